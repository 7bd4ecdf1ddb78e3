#pragma once
// The production ExtractFn: text extraction through a pool of kiroku-extract worker
// processes (untrusted files never touch kirokud's own memory), found beside the
// running executable (a build tree) or in "<its dir>/../lib/kiroku" (installed), with
// the plugins in "plugins/" there.

#include "search/SearchService.h"

#include <memory>
#include <string>

namespace kiroku {

// Directory of the running executable (/proc/self/exe).
std::string executableDir();

// An ExtractFn backed by `workers` long-lived kiroku-extract processes from `binDir`.
ExtractFn workerPoolExtractor(const std::string& binDir, std::size_t workers = 2);

}  // namespace kiroku
