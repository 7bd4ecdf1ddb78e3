// extract_html: files for the html extractor plugin, HTML, XHTML and XML (plugins/html), loaded and
// called as kiroku-extract does. Asserts the Extractor contract (ExtractorHarness.h).
#include "ExtractorHarness.h"

KIROKU_EXTRACTOR_HARNESS("html")
