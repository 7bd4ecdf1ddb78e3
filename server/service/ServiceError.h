#pragma once
// ServiceError: why the document service refused or failed a request, as one of a few
// codes every protocol shares, and httpStatus(), the one mapping of those codes to HTTP
// statuses (WebDAV, the JSON API and the web pages answer alike). A protocol may only
// deviate where its RFC says so (WebDAV: MKCOL on an existing name is 405). The texts
// are for the person: no disk path, SQL or stack detail ever reaches them (the detail
// goes to the server log).

#include "core/Refusal.h"
#include "names/DocPath.h"

#include <optional>
#include <string>

namespace kiroku::service {

class ServiceError : public Refusal {
public:
    enum class Code {
        NotFound,             // missing, or hidden from this person (the same answer)
        Forbidden,            // visible, but this person may not do this
        Exists,               // something already has that name
        Conflict,             // the folder it would go in is missing, a case twin exists …
        IsAFolder,            // a file was needed
        Locked,               // someone else's lock (WebDAV) covers it
        PreconditionFailed,   // a condition the client set does not hold
        InsufficientStorage,  // the disk (or its reserve) is full
        BadRequest,           // the request itself is wrong
        Invalid,              // an operation that cannot be done (move a folder into itself)
        Internal,             // anything else; the detail is in the log
    };
    ServiceError(Code code, Message message, std::string detail = {})
        : Refusal(std::move(message), std::move(detail)), code_(code) {}
    Code code() const { return code_; }

    // For Locked: the root of the lock in the way, and whether it stands in the way of
    // taking a new lock (a conflicting lock) rather than of a change.
    std::optional<DocPath> lockRoot;
    bool lockRootIsFolder = false;
    bool conflictingLock = false;

private:
    Code code_;
};

int httpStatus(ServiceError::Code code);

}  // namespace kiroku::service
