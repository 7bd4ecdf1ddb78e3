// extract_pdf: files for the pdf extractor plugin, PDF through poppler (plugins/pdf), loaded and
// called as kiroku-extract does. Asserts the Extractor contract (ExtractorHarness.h).
#include "ExtractorHarness.h"

KIROKU_EXTRACTOR_HARNESS("pdf")
