#include "core/Settings.h"

#include <Poco/File.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>
#include <fstream>

namespace kiroku {

namespace {

std::vector<std::string> list(const Poco::Util::AbstractConfiguration& c, const std::string& key,
                              const std::vector<std::string>& fallback) {
    if (!c.has(key)) return fallback;
    std::vector<std::string> out;
    Poco::StringTokenizer parts(
        c.getString(key), ",",
        Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& p : parts) out.push_back(p);
    return out;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
    return out;
}

}  // namespace

Settings Settings::from(const Poco::Util::AbstractConfiguration& c) {
    Settings s;
    s.httpListen = c.getString("http.listen", s.httpListen);
    s.httpsListen = c.getString("https.listen", s.httpsListen);
    s.httpAllowRemote = c.getBool("http.allowRemote", s.httpAllowRemote);
    s.maxThreads = c.getInt("server.maxThreads", s.maxThreads);
    s.maxQueued = c.getInt("server.maxQueued", s.maxQueued);
    s.keepAliveSeconds = c.getInt("server.keepAliveTimeout", s.keepAliveSeconds);
    s.maxConnectionsPerAddress =
        c.getInt("server.maxConnectionsPerAddress", s.maxConnectionsPerAddress);
    s.requestHeaderSeconds = c.getInt("server.requestHeaderTimeout", s.requestHeaderSeconds);
    s.maxKeepAliveRequests = c.getInt("server.maxKeepAliveRequests", s.maxKeepAliveRequests);
    s.maxXmlBody = c.getInt64("dav.maxXmlBody", s.maxXmlBody);
    s.minFreeBytes = c.getInt64("store.minFreeBytes", s.minFreeBytes);
    s.keepVersions = c.getInt("store.keepVersions", s.keepVersions);
    s.trashDays = c.getInt("store.trashDays", s.trashDays);
    s.lockDefaultSeconds = c.getInt("dav.lockDefaultTimeout", s.lockDefaultSeconds);
    s.lockMaxSeconds = c.getInt("dav.lockMaxTimeout", s.lockMaxSeconds);
    s.loginFailureLimit = c.getInt("auth.failureLimit", s.loginFailureLimit);
    s.webIdleMinutes = c.getInt("web.idleMinutes", s.webIdleMinutes);
    s.webMaxHours = c.getInt("web.maxHours", s.webMaxHours);
    s.graceDays = c.getInt("roles.graceDays", s.graceDays);
    s.timeZone = c.getString("time.zone", s.timeZone);
    s.handoverOpens = c.getString("handover.opens", s.handoverOpens);
    s.handoverSkipRoles = list(c, "handover.skipRoles", s.handoverSkipRoles);
    s.extractWorkers = c.getInt("index.extractWorkers", s.extractWorkers);
    s.scanMinutes = c.getInt("index.scanMinutes", s.scanMinutes);
    s.itaiji = c.getBool("index.itaiji", s.itaiji);
    s.searchCacheMB = std::clamp(c.getInt("index.searchCacheMB", s.searchCacheMB), 1, 4096);
    s.rememberedHits = std::clamp(c.getInt("index.rememberedHits", s.rememberedHits), 0, 1000);
    s.ocr = c.getBool("ocr.enabled", s.ocr);
    s.ocrLanguages = c.getString("ocr.languages", s.ocrLanguages);
    s.ocrMaxPages = c.getInt("ocr.maxPages", s.ocrMaxPages);
    s.ocrSecondsPerFile = c.getInt("ocr.secondsPerFile", s.ocrSecondsPerFile);
    s.ocrWorkers = c.getInt("ocr.workers", s.ocrWorkers);
    s.associationRoles = list(c, "roles.association", s.associationRoles);
    s.districtRoles = list(c, "roles.district", s.districtRoles);
    s.cityRoles = list(c, "roles.city", s.cityRoles);
    s.headRoles = list(c, "roles.heads", s.headRoles);
    s.officerRoles = list(c, "roles.officers", s.officerRoles);
    s.auditorRoles = list(c, "roles.auditors", s.auditorRoles);
    s.rosterWriterRoles = list(c, "roles.rosterWriters", s.rosterWriterRoles);
    s.districtStaffRoles = list(c, "roles.districtStaff", s.districtStaffRoles);
    s.categories = list(c, "org.categories", s.categories);
    s.rosterFolder = c.getString("org.rosterFolder", s.rosterFolder);
    s.circularFolder = c.getString("org.circularFolder", s.circularFolder);
    s.sharedFolder = c.getString("org.sharedFolder", s.sharedFolder);
    return s;
}

void Settings::writeDefaultFile(const std::string& path) {
    if (Poco::File(path).exists()) return;
    std::ofstream out(path);
    writeDefaults(out);
    if (!out) throw Poco::WriteFileException("cannot write " + path);
}

void Settings::writeDefaults(std::ostream& out) {
    const Settings d;
    out << "# Kiroku (記録) configuration. Every line below shows a default; remove the '#'\n"
           "# and change the value to override it, then restart kirokud.\n"
           "# Command-line options (--listen, --listen-tls) override this file.\n\n"
           "# Plain HTTP address. Only loopback clients may use it unless http.allowRemote is "
           "true.\n"
        << "#http.listen = " << d.httpListen << "\n"
        << "#http.allowRemote = false\n\n"
           "# HTTPS address for the office LAN (self-signed certificate in tls/). 'off' disables "
           "it.\n"
        << "#https.listen = " << d.httpsListen
        << "\n\n"
           "# Worker threads: each keep-alive connection holds one while it is open.\n"
        << "#server.maxThreads = " << d.maxThreads << "\n"
        << "#server.maxQueued = " << d.maxQueued << "\n"
        << "#server.keepAliveTimeout = " << d.keepAliveSeconds << "\n"
        << "#server.maxKeepAliveRequests = " << d.maxKeepAliveRequests << "\n"
        << "# Connections one address may hold open at once (both ports; 0: no limit). Raise it\n"
           "# when a reverse proxy or a shared gateway connects for many people.\n"
        << "#server.maxConnectionsPerAddress = " << d.maxConnectionsPerAddress << "\n"
        << "# Seconds a new connection has to send its first request (HTTPS: to begin the\n"
           "# handshake) before it is closed; until then it holds no worker thread.\n"
        << "#server.requestHeaderTimeout = " << d.requestHeaderSeconds
        << "\n\n"
           "# Largest XML request body (PROPFIND, PROPPATCH, LOCK) in bytes.\n"
        << "#dav.maxXmlBody = " << d.maxXmlBody << "\n"
        << "# Lock timeouts in seconds: used when a client asks for none / the most granted.\n"
        << "#dav.lockDefaultTimeout = " << d.lockDefaultSeconds << "\n"
        << "#dav.lockMaxTimeout = " << d.lockMaxSeconds
        << "\n\n"
           "# Uploads are refused (507) when they would leave less free disk space than this.\n"
        << "#store.minFreeBytes = " << d.minFreeBytes << "\n"
        << "# Earlier versions kept per file.\n"
        << "#store.keepVersions = " << d.keepVersions << "\n"
        << "# Days the trash keeps what was deleted before it is purged for good (kirokud\n"
           "# purges every hour; kiroku trash purge does it at once).\n"
        << "#store.trashDays = " << d.trashDays
        << "\n\n"
           "# Search index: text-extraction worker processes, and how often (minutes) to look\n"
           "# for files changed directly on the disk.\n"
        << "#index.extractWorkers = " << d.extractWorkers << "\n"
        << "#index.scanMinutes = " << d.scanMinutes
        << "\n"
           "# Treat variant kanji as the same (髙 = 高, 﨑 = 崎, 齋 = 斎 …). Run kiroku reindex "
           "after a change.\n"
        << "#index.itaiji = false\n"
        << "# Megabytes searches may keep between them (what the checks of long words found,\n"
           "# totals): more makes repeated searches of a large drive faster.\n"
        << "#index.searchCacheMB = " << d.searchCacheMB
        << "\n"
           "# How many first hits of each search are kept in their order, within the above:\n"
           "# its next pages up to there, and the same search again, are then quick. 0: none.\n"
        << "#index.rememberedHits = " << d.rememberedHits
        << "\n\n"
           "# OCR: scanned PDFs and photos are read after the ordinary indexing, by this many\n"
           "# low-priority workers, in these Tesseract languages (jpn_vert: vertical writing),\n"
           "# at most this many pages of a PDF and this many seconds a file. It turns itself\n"
           "# off when tesseract-ocr-jpn is not installed (kiroku index status says so).\n"
        << "#ocr.enabled = true\n"
        << "#ocr.languages = " << d.ocrLanguages << "\n"
        << "#ocr.maxPages = " << d.ocrMaxPages << "\n"
        << "#ocr.secondsPerFile = " << d.ocrSecondsPerFile << "\n"
        << "#ocr.workers = " << d.ocrWorkers
        << "\n\n"
           "# Failed logins (per person or per address) before further attempts are delayed.\n"
        << "#auth.failureLimit = " << d.loginFailureLimit
        << "\n\n"
           "# A login to the web pages ends after this many minutes unused, and after this many\n"
           "# hours in any case (the person logs in again).\n"
        << "#web.idleMinutes = " << d.webIdleMinutes << "\n"
        << "#web.maxHours = " << d.webMaxHours
        << "\n\n"
           "# The association's time zone (an IANA name such as Asia/Tokyo). Today's date for\n"
           "# rights, terms of office and 年度 (April 1 to March 31), and the times the pages\n"
           "# show, are in this zone, whatever the machine's own zone (a NAS or container often\n"
           "# runs on UTC: leave this as it is, and terms still change at midnight in Japan).\n"
           "# kirokud refuses to start with a name the time-zone database does not know.\n"
        << "#time.zone = " << d.timeZone
        << "\n\n"
           "# Roles (役職) per organisation kind, and which of them head or run an association.\n"
        << "#roles.association = " << joined(d.associationRoles) << "\n"
        << "#roles.district = " << joined(d.districtRoles) << "\n"
        << "#roles.city = " << joined(d.cityRoles) << "\n"
        << "#roles.heads = " << joined(d.headRoles) << "\n"
        << "#roles.officers = " << joined(d.officerRoles) << "\n"
        << "# Auditors (監事) read a whole association; roster writers write its 名簿; a "
           "district's\n"
           "# staff write its space but do not manage it.\n"
        << "#roles.auditors = " << joined(d.auditorRoles) << "\n"
        << "#roles.rosterWriters = " << joined(d.rosterWriterRoles) << "\n"
        << "#roles.districtStaff = " << joined(d.districtStaffRoles) << "\n"
        << "# Days a previous holder keeps read-only access after the term ends.\n"
        << "#roles.graceDays = " << d.graceDays << "\n"
        << "# The day (MM-DD) in a term's last fiscal year when its handover (引継ぎ) opens.\n"
        << "#handover.opens = " << d.handoverOpens << "\n"
        << "# Roles whose terms need no handover (plain members).\n"
        << "#handover.skipRoles = " << joined(d.handoverSkipRoles)
        << "\n\n"
           "# Folders created in a new association's space, and the special ones among them.\n"
        << "#org.categories = " << joined(d.categories) << "\n"
        << "#org.rosterFolder = " << d.rosterFolder << "\n"
        << "#org.circularFolder = " << d.circularFolder << "\n"
        << "#org.sharedFolder = " << d.sharedFolder << "\n";
}

}  // namespace kiroku
