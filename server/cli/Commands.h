#pragma once
// The kiroku admin CLI, as a function so tests can drive it without a process: every
// command of `kiroku --help` (people, organisations, terms, permission entries, the
// trash and versions, the audit log, search and the index, check, backup and restore,
// the demo). What it prints comes from the message catalogue, in Japanese unless
// KIROKU_LANG=en (or --lang en) asks for English; refusals give both.
// Every command but init, restore and defaults needs a data directory that `kiroku init`
// or kirokud's first start made; none of them creates one.
// Returns the process exit code: 0 success, 1 refused or failed (one line on err),
// 2 usage error (with the usage), or --data is not a data directory (one line).

#include <iostream>
#include <string>
#include <vector>

namespace kiroku::cli {

int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err);

}  // namespace kiroku::cli
