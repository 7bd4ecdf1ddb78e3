#pragma once
// DavRequest: one WebDAV request under /dav/ (RFC 4918, class 1 and 2), from an
// authenticated person. It translates the protocol — the target and Destination URLs,
// Depth, Overwrite, the If header and the conditional headers, XML bodies, multistatus
// answers — into calls of the document service, which decides rights, locks and what
// is recorded; errors become statuses with a plain Japanese and English text. One
// object serves one request on one thread.

#include "core/Settings.h"
#include "dav/IfHeader.h"
#include "dav/Xml.h"
#include "http/RequestBody.h"
#include "service/DocumentService.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <set>
#include <string>

namespace kiroku::dav {

// Live properties (RFC 4918 §15), computed from the file.
enum class LiveProp {
    None,
    ResourceType,
    CreationDate,
    LastModified,
    ContentLength,
    ContentType,
    ETag,
    DisplayName,
    SupportedLock,
    LockDiscovery,
    QuotaAvailable,
    QuotaUsed  // RFC 4331; only when asked for by name
};

// A property a PROPFIND asks for, resolved once per request.
struct WantedProp {
    std::string ns;
    std::string name;
    LiveProp live = LiveProp::None;
};

using service::Lock;

// What all WebDAV requests share; owned by the server, outlives every request.
struct DavContext {
    service::DocumentService& documents;
    const Settings& settings;
    Poco::Logger& log;
    std::string prefix = "/dav";  // URL prefix of the drive, without a trailing slash
};

// Thrown inside a request to end it with a status and a message of the catalogue (and,
// for RFC 4918 preconditions, the XML element that names the one that failed).
class DavStatus : public Refusal {
public:
    DavStatus(int status, Message message, std::string xmlError = {})
        : Refusal(std::move(message)), status_(status), xmlError_(std::move(xmlError)) {}
    int status() const { return status_; }
    const std::string& xmlError() const { return xmlError_; }

private:
    int status_;
    std::string xmlError_;
};

class DavRequest {
public:
    DavRequest(DavContext& ctx, Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response, const User& user, std::string address);

    // Serves the request; never throws.
    void handle();

private:
    // methods
    void doOptions();
    void doGet(bool head);
    void doPut();
    void doDelete();
    void doMkcol();
    void doCopyMove(bool move);
    void doPropfind();
    void doProppatch();
    void doLock();
    void doUnlock();

    // helpers (DavRequest.cpp)
    DocPath parseTarget();
    std::string href(const DocPath& path, bool isDir) const;
    void checkIfHeader(const DocPath& path);
    void checkConditionalHeaders(const std::optional<Entry>& entry, bool isRead);
    std::optional<XmlNode> readXmlBody();
    void sendBytes(int status, const std::string& contentType, const std::string& body);
    void sendMultistatus(const std::string& body);
    void sendError(const DavStatus& error);
    DavStatus translate(const service::ServiceError& e) const;
    std::string lockDiscovery(const DocPath& path);
    static std::string activeLock(const Lock& lock, const std::string& hrefPrefix);
    int requestedTimeout() const;

    // properties (DavProps.cpp)
    static std::vector<WantedProp> allLiveProps();
    static WantedProp wanted(const std::string& ns, const std::string& name);
    bool appendLive(std::string& out, const WantedProp& w, const Entry& e,
                    const std::vector<DeadProp>& dead, bool namesOnly);
    void appendResponse(std::string& out, const Entry& entry, const std::vector<DeadProp>& dead,
                        const std::vector<WantedProp>& wanted, bool allDead, bool namesOnly);

    DavContext& ctx_;
    service::DocumentService& docs_;
    Poco::Net::HTTPServerRequest& request_;
    Poco::Net::HTTPServerResponse& response_;
    service::Caller caller_;
    RequestBody body_;
    std::vector<IfList> ifLists_;
    bool sent_ = false;
};

// Content type guessed from a file name's extension.
const char* contentTypeFor(std::string_view name);

}  // namespace kiroku::dav
