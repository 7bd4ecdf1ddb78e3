#pragma once
// Sets a response's status code with its standard reason phrase (RFC 9110 / RFC 4918).
// Poco's setStatus keeps the previous phrase ("423 OK"), and its phrase for 207 is
// not the RFC's; clients show this text to people.

#include <Poco/Net/HTTPResponse.h>

namespace kiroku {

void setStatus(Poco::Net::HTTPResponse& response, int status);

}  // namespace kiroku
