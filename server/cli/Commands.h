#pragma once
// The kiroku admin CLI, as a function so tests can drive it without a process.
//   kiroku --data DIR user add NAME --display "山田 太郎"   (password from stdin)
//   kiroku --data DIR user passwd|disable|enable NAME ; user list
//   kiroku --data DIR trash list ; trash restore ID [--to PATH]
//   kiroku --data DIR versions list PATH ; versions restore ID
//   kiroku --data DIR backup DEST ; restore SRC [--force]
//   kiroku --data DIR demo
// Returns the process exit code: 0 success, 1 refused or failed (one line on err),
// 2 usage error.

#include <iostream>
#include <string>
#include <vector>

namespace kiroku::cli {

int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace kiroku::cli
