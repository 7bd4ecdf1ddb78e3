// extract_odf: files for the odf extractor plugin, OpenDocument: odt, ods, odp (plugins/odf),
// loaded and called as kiroku-extract does. Asserts the Extractor contract (ExtractorHarness.h).
#include "ExtractorHarness.h"

KIROKU_EXTRACTOR_HARNESS("odf")
