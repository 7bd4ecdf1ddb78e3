#include "dav/Destination.h"

#include "dav/DavRequest.h"

#include <Poco/String.h>

namespace kiroku::dav {

DocPath destinationPath(std::string_view destination, std::string_view host,
                        std::string_view prefix) {
    std::string dest(destination);
    auto scheme = dest.find("://");
    if (scheme != std::string::npos) {
        auto slash = dest.find('/', scheme + 3);
        // Another server is not this drive: 502 (RFC 4918 §9.8.5; security review,
        // finding 15).
        std::string authority = dest.substr(
            scheme + 3, slash == std::string::npos ? std::string::npos : slash - scheme - 3);
        if (Poco::icompare(authority, std::string(host)) != 0)
            throw DavStatus(502, msg("dav.destination_outside"));
        dest = slash == std::string::npos ? "/" : dest.substr(slash);
    }
    if (dest.find('#') != std::string::npos) {
        throw DavStatus(400, msg("dav.destination_fragment"));
    }
    dest = dest.substr(0, dest.find('?'));
    if (dest.compare(0, prefix.size(), prefix) != 0 ||
        (dest.size() > prefix.size() && dest[prefix.size()] != '/')) {
        throw DavStatus(502, msg("dav.destination_outside"));
    }
    return DocPath::fromUrl(std::string_view(dest).substr(prefix.size()));
}

}  // namespace kiroku::dav
