#pragma once
// StoreError: why the document store refused or failed an operation. The kind tells
// the document service which ServiceError it is; the message comes from the catalogue,
// and the detail (for the log) may name paths on the disk.

#include "core/Refusal.h"

#include <stdexcept>
#include <string>

namespace kiroku {

class StoreError : public Refusal {
public:
    enum class Kind {
        NotFound,             // no such file or folder
        ParentMissing,        // the folder it would go in does not exist
        Exists,               // something already has that name
        CaseConflict,         // a name differing only by upper/lower case exists
        NotAFolder,           // a folder was needed
        IsAFolder,            // a file was needed
        InsufficientStorage,  // disk full, or below the configured free-space reserve
        Invalid,              // the request makes no sense (e.g. move into itself)
        Io,                   // any other file-system failure
    };
    StoreError(Kind kind, Message message, std::string detail = {})
        : Refusal(std::move(message), std::move(detail)), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

}  // namespace kiroku
