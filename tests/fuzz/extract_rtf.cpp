// extract_rtf: files for the rtf extractor plugin, Rich Text Format (plugins/rtf), loaded and
// called as kiroku-extract does. Asserts the Extractor contract (ExtractorHarness.h).
#include "ExtractorHarness.h"

KIROKU_EXTRACTOR_HARNESS("rtf")
