#pragma once
// `kiroku import SRC --to PATH`: brings a folder tree from outside (a USB stick, an old
// shared folder, an unpacked ZIP from an old Windows PC) into a folder of the drive.
//
// plan() only reads: it walks SRC (never following links), names every file and folder
// as the drive will (ImportNames.h: CP932 names decoded, junk left out), reads the 年度
// each will be filed under, compares each with what the drive holds at its place, and
// finds content the drive already holds elsewhere (by size, then by hash of those that
// could match only). run() carries a plan out, one change of the store per file or
// folder (each all-or-nothing, audited as the CLI's), keeping modification times, so an
// interrupted import loses nothing and a second run imports nothing twice: a file
// whose place already holds the same bytes is left as it is.
//
// The contents of SRC go into PATH (like `cp -r SRC/. PATH`); PATH is made when its
// parent exists. Not thread-safe: one Importer per import.

#include "messages/Messages.h"
#include "store/DocumentStore.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kiroku::import {

enum class Action {
    AddFolder,     // a new folder
    FolderExists,  // the folder is already there: its contents are compared one by one
    Add,           // a new file
    Update,        // the drive's file differs and is older: it becomes a version
    Same,          // the drive already holds these bytes at this place: left alone
    KeepDrives,    // the drive's file differs and is as new or newer: left alone
    Junk,          // Thumbs.db, desktop.ini, ~$*, .DS_Store, ._* …: left out
    BadName,       // a name that reads as neither UTF-8 nor CP932, or cannot be stored
    Clash,         // a file where the drive has a folder (or the other way round), or
                   // a name that another of SRC's names already takes (case, width)
    Unreadable,    // a link, a device, or a file that cannot be read
};

struct Item {
    std::string source;  // relative to SRC, printable (bytes that are no text as \xNN)
    DocPath target;      // where it goes (empty for Junk/BadName/Unreadable)
    Action action = Action::Add;
    bool isFolder = false;
    bool fromCp932 = false;     // its name (or a folder's above it) was Shift_JIS
    bool nameAdjusted = false;  // characters Windows cannot store were replaced
    std::uint64_t size = 0;
    std::int64_t modified = 0;      // seconds since the epoch
    int year = 0;                   // the 年度 the index files it under
    bool yearFromName = false;      // … read from its name or folders (else from its date)
    std::optional<DocPath> sameAs;  // the same bytes are already in the drive there
                                    // (or come earlier in this import)
    std::string diskPath;           // the source file's path on disk
};

struct Plan {
    std::string source;
    DocPath to;
    bool makeTo = false;      // PATH itself is made
    std::vector<Item> items;  // folders before what is in them
    std::size_t count(Action a) const;
    std::uint64_t bytesToCopy() const;  // of Add and Update
    std::size_t duplicates() const;     // files to copy whose bytes are already in
};

struct Progress {
    std::size_t done = 0, total = 0;  // files and folders to make
    std::uint64_t bytes = 0, totalBytes = 0;
};

struct Failure {
    std::string source;
    Message message;
};

struct Outcome {
    std::size_t folders = 0, added = 0, updated = 0;
    std::uint64_t bytes = 0;
    std::vector<Failure> failures;
};

class Importer {
public:
    Importer(DocumentStore& store, Actor actor) : store_(store), actor_(std::move(actor)) {}

    // Throws StoreError NotFound when PATH's parent is no folder, NotAFolder when PATH is
    // a file; std::runtime_error when SRC is no readable folder.
    Plan plan(const std::string& source, const DocPath& to);

    // Carries the plan out. `skipDuplicates` leaves files whose bytes the drive already
    // holds elsewhere out. Stops at the first InsufficientStorage (what is in stays in).
    Outcome run(const Plan& plan, bool skipDuplicates,
                const std::function<void(const Progress&)>& progress = {});

private:
    DocumentStore& store_;
    Actor actor_;
};

}  // namespace kiroku::import
