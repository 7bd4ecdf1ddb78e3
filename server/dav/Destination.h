#pragma once
// The Destination header of COPY and MOVE (RFC 4918 §10.3): an absolute URL on this
// server, or an absolute path, naming a place in the drive. Pure, thread-safe.

#include "names/DocPath.h"

#include <string_view>

namespace kiroku::dav {

// The drive path that `destination` names. `host` is the request's Host header (a URL's
// authority must equal it, ignoring case) and `prefix` the drive's URL prefix ("/dav").
// A query is ignored. Throws DavStatus (dav/DavRequest.h): 502 for another server or a
// place outside the drive, 400 for a fragment; and BadName for a path DocPath refuses.
DocPath destinationPath(std::string_view destination, std::string_view host,
                        std::string_view prefix);

}  // namespace kiroku::dav
