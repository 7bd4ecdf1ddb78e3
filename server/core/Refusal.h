#pragma once
// Refusal: the base of every error that is the person's to read. Its message comes
// from the catalogue (messages/Messages.h): what happened and what to do, in Japanese
// and English. what() is the English text; detail() is what the server's log needs
// (it may name paths on the disk) and never reaches a client. Boundaries (WebDAV, API,
// CLI) turn a Refusal into a status or an exit code; subclasses (BadName, StoreError,
// ServiceError, UserError, GovernanceError) tell them which.

#include "messages/Messages.h"

#include <stdexcept>
#include <string>

namespace kiroku {

class Refusal : public std::runtime_error {
public:
    explicit Refusal(Message message, std::string detail = {})
        : std::runtime_error(message.en),
          message_(std::move(message)),
          detail_(std::move(detail)) {}
    const Message& message() const { return message_; }
    const std::string& code() const { return message_.code; }
    const std::string& japanese() const { return message_.ja; }
    const std::string& english() const { return message_.en; }
    const std::string& detail() const { return detail_.empty() ? message_.en : detail_; }

private:
    Message message_;
    std::string detail_;
};

}  // namespace kiroku
