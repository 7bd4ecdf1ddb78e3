#include "core/Settings.h"

#include <Poco/File.h>

#include <fstream>

namespace kiroku {

Settings Settings::from(const Poco::Util::AbstractConfiguration& c) {
    Settings s;
    s.httpListen = c.getString("http.listen", s.httpListen);
    s.httpsListen = c.getString("https.listen", s.httpsListen);
    s.httpAllowRemote = c.getBool("http.allowRemote", s.httpAllowRemote);
    s.maxThreads = c.getInt("server.maxThreads", s.maxThreads);
    s.maxQueued = c.getInt("server.maxQueued", s.maxQueued);
    s.keepAliveSeconds = c.getInt("server.keepAliveTimeout", s.keepAliveSeconds);
    s.maxKeepAliveRequests = c.getInt("server.maxKeepAliveRequests", s.maxKeepAliveRequests);
    s.maxXmlBody = c.getInt64("dav.maxXmlBody", s.maxXmlBody);
    s.minFreeBytes = c.getInt64("store.minFreeBytes", s.minFreeBytes);
    s.keepVersions = c.getInt("store.keepVersions", s.keepVersions);
    s.lockDefaultSeconds = c.getInt("dav.lockDefaultTimeout", s.lockDefaultSeconds);
    s.lockMaxSeconds = c.getInt("dav.lockMaxTimeout", s.lockMaxSeconds);
    s.loginFailureLimit = c.getInt("auth.failureLimit", s.loginFailureLimit);
    return s;
}

void Settings::writeDefaultFile(const std::string& path) {
    if (Poco::File(path).exists()) return;
    const Settings d;
    std::ofstream out(path);
    out << "# Kiroku (記録) configuration. Every line below shows a default; remove the '#'\n"
           "# and change the value to override it, then restart kirokud.\n"
           "# Command-line options (--listen, --listen-tls) override this file.\n\n"
           "# Plain HTTP address. Only loopback clients may use it unless http.allowRemote is true.\n"
        << "#http.listen = " << d.httpListen << "\n"
        << "#http.allowRemote = false\n\n"
           "# HTTPS address for the office LAN (self-signed certificate in tls/). 'off' disables it.\n"
        << "#https.listen = " << d.httpsListen << "\n\n"
           "# Worker threads: each keep-alive connection holds one while it is open.\n"
        << "#server.maxThreads = " << d.maxThreads << "\n"
        << "#server.maxQueued = " << d.maxQueued << "\n"
        << "#server.keepAliveTimeout = " << d.keepAliveSeconds << "\n"
        << "#server.maxKeepAliveRequests = " << d.maxKeepAliveRequests << "\n\n"
           "# Largest XML request body (PROPFIND, PROPPATCH, LOCK) in bytes.\n"
        << "#dav.maxXmlBody = " << d.maxXmlBody << "\n"
        << "# Lock timeouts in seconds: used when a client asks for none / the most granted.\n"
        << "#dav.lockDefaultTimeout = " << d.lockDefaultSeconds << "\n"
        << "#dav.lockMaxTimeout = " << d.lockMaxSeconds << "\n\n"
           "# Uploads are refused (507) when they would leave less free disk space than this.\n"
        << "#store.minFreeBytes = " << d.minFreeBytes << "\n"
        << "# Earlier versions kept per file.\n"
        << "#store.keepVersions = " << d.keepVersions << "\n\n"
           "# Failed logins (per person or per address) before further attempts are delayed.\n"
        << "#auth.failureLimit = " << d.loginFailureLimit << "\n";
    if (!out) throw Poco::WriteFileException("cannot write " + path);
}

}  // namespace kiroku
