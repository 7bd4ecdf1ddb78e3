// extract_ooxml: files for the ooxml extractor plugin, Office Open XML: docx, xlsx, pptx
// (plugins/ooxml), loaded and called as kiroku-extract does. Asserts the Extractor contract
// (ExtractorHarness.h).
#include "ExtractorHarness.h"

KIROKU_EXTRACTOR_HARNESS("ooxml")
