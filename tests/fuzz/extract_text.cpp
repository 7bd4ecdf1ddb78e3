// extract_text: files for the text extractor plugin, plain text in any encoding Japanese offices
// produce (plugins/text), loaded and called as kiroku-extract does. Asserts the Extractor contract
// (ExtractorHarness.h).
#include "ExtractorHarness.h"

KIROKU_EXTRACTOR_HARNESS("text")
