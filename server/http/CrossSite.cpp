#include "http/CrossSite.h"

#include <Poco/String.h>

namespace kiroku {

bool changesState(const std::string& method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS" && method != "PROPFIND";
}

bool crossSiteChange(const Poco::Net::HTTPRequest& request, bool secure) {
    if (!changesState(request.getMethod())) return false;
    if (request.has("Sec-Fetch-Site")) {
        std::string site = Poco::toLower(Poco::trim(request.get("Sec-Fetch-Site")));
        if (site != "same-origin" && site != "none") return true;
    }
    if (request.has("Origin")) {
        std::string origin = Poco::toLower(Poco::trim(request.get("Origin")));
        std::string own =
            std::string(secure ? "https://" : "http://") + Poco::toLower(request.getHost());
        if (origin != own) return true;
    }
    return false;
}

bool apiChangeWithoutJson(const Poco::Net::HTTPRequest& request) {
    // A form can only GET or POST; other methods from another site need its consent
    // first (a CORS preflight), which Kiroku never gives.
    if (request.getMethod() != "POST") return false;
    std::string type = Poco::toLower(Poco::trim(request.getContentType()));
    type = Poco::trim(type.substr(0, type.find(';')));
    return type != "application/json";
}

}  // namespace kiroku
