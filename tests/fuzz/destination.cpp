// destination: the Destination header of COPY and MOVE (server/dav/Destination.h), as
// "Host header NUL Destination header".
// Asserts: a refused destination throws DavStatus (400 or 502) or BadName and nothing
// else; an accepted one names a path that the same server, sent that path as a URL of
// its own (absolute or a path), resolves to the same path.
#include "dav/Destination.h"
#include "FuzzSupport.h"
#include "dav/DavRequest.h"

using namespace kiroku;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto parts = fuzz::fields(fuzz::asText(data, size), 2);
    const std::string& host = parts[0];
    const std::string& destination = parts[1];
    DocPath path;
    try {
        path = dav::destinationPath(destination, host, "/dav");
    } catch (const dav::DavStatus& e) {
        FUZZ_CHECK(e.status() == 400 || e.status() == 502);
        return 0;
    } catch (const BadName&) {
        return 0;
    }
    std::string href = "/dav/" + path.urlEncoded();
    FUZZ_CHECK(dav::destinationPath(href, host, "/dav") == path);
    if (host.find('/') == std::string::npos) {
        FUZZ_CHECK(dav::destinationPath("http://" + host + href, host, "/dav") == path);
    }
    return 0;
}
