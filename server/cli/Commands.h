#pragma once
// The kiroku admin CLI, as a function so tests can drive it without a process: every
// command of `kiroku --help` (people, organisations, terms, permission entries, the
// trash and versions, the audit log, search and the index, check, backup and restore,
// the demo). What it prints comes from the message catalogue, in Japanese unless
// KIROKU_LANG=en (or --lang en) asks for English; refusals give both.
// Returns the process exit code: 0 success, 1 refused or failed (one line on err),
// 2 usage error (with the usage).

#include <iostream>
#include <string>
#include <vector>

namespace kiroku::cli {

int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err);

}  // namespace kiroku::cli
