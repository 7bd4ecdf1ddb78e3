#pragma once
// Settings: every tunable of kirokud, with its default, read from kiroku.properties.
// writeDefaultFile() produces the commented file a new data directory starts with.

#include <Poco/Util/AbstractConfiguration.h>

#include <cstdint>
#include <string>

namespace kiroku {

struct Settings {
    std::string httpListen = "127.0.0.1:8080";   // http.listen
    std::string httpsListen = "0.0.0.0:8443";    // https.listen ("off" disables HTTPS)
    bool httpAllowRemote = false;                // http.allowRemote: plain HTTP from the LAN
    int maxThreads = 96;                         // server.maxThreads
    int maxQueued = 256;                         // server.maxQueued
    int keepAliveSeconds = 15;                   // server.keepAliveTimeout
    int maxKeepAliveRequests = 1000;             // server.maxKeepAliveRequests
    std::int64_t maxXmlBody = 1 << 20;           // dav.maxXmlBody (bytes)
    std::int64_t minFreeBytes = 64ll << 20;      // store.minFreeBytes
    int keepVersions = 20;                       // store.keepVersions (per file)
    int lockDefaultSeconds = 3600;               // dav.lockDefaultTimeout
    int lockMaxSeconds = 86400;                  // dav.lockMaxTimeout
    int loginFailureLimit = 5;                   // auth.failureLimit

    // Reads every key that is present; missing keys keep their defaults.
    static Settings from(const Poco::Util::AbstractConfiguration& config);

    // Writes a properties file listing every key, commented out, with its default.
    // Does nothing when the file exists. Throws Poco::Exception on I/O errors.
    static void writeDefaultFile(const std::string& path);
};

}  // namespace kiroku
