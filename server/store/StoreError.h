#pragma once
// StoreError: why the document store refused or failed an operation. The kind lets
// each protocol map it to its own status (WebDAV: 404, 409, 405, 507 …); the
// messages are plain English and Japanese, fit to show the person.

#include <stdexcept>
#include <string>

namespace kiroku {

class StoreError : public std::runtime_error {
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
        : std::runtime_error(english), kind_(kind), japanese_(std::move(japanese)) {}
    Kind kind() const { return kind_; }
    const std::string& japanese() const { return japanese_; }

private:
    Kind kind_;
    std::string japanese_;
};

}  // namespace kiroku
