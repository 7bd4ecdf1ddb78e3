#pragma once
// Names as old PCs, USB sticks and Macs wrote them, made into names the drive takes, for
// `kiroku import` and the browser's folder upload. Pure functions, thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace kiroku::import {

// What a PC or a Mac leaves beside people's files, never worth bringing in: Thumbs.db,
// desktop.ini, .DS_Store, ._* (macOS resource forks), ~$* (Office's lock files),
// .~lock.*# (LibreOffice's), and the system folders of a USB stick or a Mac volume
// ($RECYCLE.BIN, System Volume Information, .Trashes, .Spotlight-V100, .fseventsd).
bool isJunk(std::string_view name, bool isFolder);

struct ImportedName {
    std::string name;        // UTF-8 in NFC, a name DocPath accepts
    bool fromCp932 = false;  // the bytes were Shift_JIS as Windows writes it (CP932)
    bool adjusted = false;   // characters Windows cannot store were replaced
};

// The name for a file or folder named `bytes` on the source disk: UTF-8 as it is (NFC),
// else CP932 (an old Windows PC's Shift_JIS names, from a ZIP or a FAT stick read on
// Linux). Characters Windows cannot store (< > : " | ? *) become their full-width forms
// (＜ ＞ ： ＂ ｜ ？ ＊), trailing dots and spaces are dropped, and a reserved device name
// (CON, NUL, COM1 …) gets a "_" after it, as a PC would have to. Nothing when the bytes
// read as neither encoding or the result is still no valid name (too long, controls).
std::optional<ImportedName> importName(std::string_view bytes);

// `bytes` as text fit to print: valid UTF-8 as it is, other bytes as \xNN.
std::string printable(std::string_view bytes);

}  // namespace kiroku::import
