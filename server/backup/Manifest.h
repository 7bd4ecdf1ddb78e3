#pragma once
// Manifest: the list of what a backup holds, written last as DEST/MANIFEST. A backup
// without it is incomplete. One line per folder or file, fields separated by tabs:
//
//   # kiroku-backup 1
//   # type  mode  mtime                 size  sha256    path
//   d       0750  1767225600.000000000  -     -         files
//   f       0640  1767225600.123456789  1234  9f86d0…   files/回覧/お知らせ.txt
//
// `mode` is octal permission bits, `mtime` seconds.nanoseconds since the epoch (a
// restore sets both again, so ETags and dates stay as they were), `path` is relative
// to the backup's root with '/' between names; a tab, newline, carriage return or
// backslash in a path is written \t, \n, \r or \\. Lines starting with '#' after the
// first are comments. With ordinary names,
//   awk -F'\t' '$1 == "f" { print $5 "  " $6 }' MANIFEST | sha256sum -c
// checks a backup without Kiroku. A Manifest is a plain value; not thread-safe.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kiroku::backup {

struct ManifestEntry {
    bool folder = false;
    std::string path;          // relative, '/' separated, never empty
    mode_t mode = 0;           // permission bits
    std::int64_t mtimeNs = 0;  // modification time, nanoseconds since the epoch
    std::uint64_t size = 0;    // files only
    std::string sha256;        // files only: 64 lowercase hex digits
};

class Manifest {
public:
    static constexpr const char* kFileName = "MANIFEST";

    // Entries in the order they were added: a folder before what it contains.
    std::vector<ManifestEntry> entries;
    // Free text kept in the header comments (when and from where), one line each.
    std::vector<std::string> notes;

    std::string text() const;

    // Parses MANIFEST text. Throws BackupError naming the first malformed line.
    static Manifest parse(const std::string& text);

    // Reads DIR/MANIFEST. Throws BackupError when it is missing (an incomplete
    // backup) or malformed.
    static Manifest read(const std::string& dir);

    std::size_t fileCount() const;
    std::uint64_t byteCount() const;
};

}  // namespace kiroku::backup
