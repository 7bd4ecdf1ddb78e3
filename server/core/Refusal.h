#pragma once
// Refusal: the base of every error that is the person's to read: what() is plain
// English, japanese() plain Japanese, both saying what happened and what to do.
// Boundaries (WebDAV, API, CLI) turn it into a status or an exit code; subclasses
// (BadName, StoreError, UserError, GovernanceError) tell them which.

#include <stdexcept>
#include <string>

namespace kiroku {

class Refusal : public std::runtime_error {
public:
    Refusal(const std::string& english, std::string japanese)
        : std::runtime_error(english), japanese_(std::move(japanese)) {}
    const std::string& japanese() const { return japanese_; }

private:
    std::string japanese_;
};

}  // namespace kiroku
