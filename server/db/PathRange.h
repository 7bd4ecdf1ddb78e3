#pragma once
// PathRange: SQL that selects a path and everything below it, by comparing text:
// "a/b" and the paths in ["a/b/", "a/b0") ('0' follows '/'), which an index on the
// column serves. Paths are compared as bytes (SQLite's BINARY; PostgreSQL needs the
// column in COLLATE "C"), where UTF-8 sorts as its code points.

#include <string>

namespace kiroku::db {

struct PathRange {
    explicit PathRange(const std::string& path)
        : self(path),
          lo(path.empty() ? std::string() : path + "/"),
          hi(path.empty() ? std::string("\xff") : path + "0") {}
    // The condition on `column`; bind self, lo and hi, in that order.
    static std::string sql(const char* column) {
        std::string c = column;
        return "(" + c + " = ? OR (" + c + " >= ? AND " + c + " < ?))";
    }
    std::string self, lo, hi;
};

}  // namespace kiroku::db
