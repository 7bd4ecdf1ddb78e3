#pragma once
// StoreError: why the document store refused or failed an operation. The kind lets
// each protocol map it to its own status (WebDAV: 404, 409, 405, 507 …); the
// messages are plain English and Japanese, fit to show the person.

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
    StoreError(Kind kind, const std::string& english, std::string japanese)
        : Refusal(english, std::move(japanese)), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

}  // namespace kiroku
