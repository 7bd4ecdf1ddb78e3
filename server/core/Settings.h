#pragma once
// Settings: every tunable of kirokud, with its default, read from kiroku.properties.
// writeDefaultFile() produces the commented file a new data directory starts with.

#include <Poco/Util/AbstractConfiguration.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace kiroku {

struct Settings {
    std::string httpListen = "127.0.0.1:8080";  // http.listen
    std::string httpsListen = "0.0.0.0:8443";   // https.listen ("off" disables HTTPS)
    bool httpAllowRemote = false;               // http.allowRemote: plain HTTP from the LAN
    int maxThreads = 96;                        // server.maxThreads
    int maxQueued = 256;                        // server.maxQueued
    int keepAliveSeconds = 15;                  // server.keepAliveTimeout
    int maxConnectionsPerAddress = 20;          // server.maxConnectionsPerAddress (0: no limit)
    int requestHeaderSeconds = 10;              // server.requestHeaderTimeout
    int maxKeepAliveRequests = 1000;            // server.maxKeepAliveRequests
    std::int64_t maxXmlBody = 1 << 20;          // dav.maxXmlBody (bytes)
    std::int64_t minFreeBytes = 64ll << 20;     // store.minFreeBytes
    int keepVersions = 20;                      // store.keepVersions (per file)
    int trashDays = 30;             // store.trashDays: the trash keeps a deletion this long
    int lockDefaultSeconds = 3600;  // dav.lockDefaultTimeout
    int lockMaxSeconds = 86400;     // dav.lockMaxTimeout
    int loginFailureLimit = 5;      // auth.failureLimit
    int webIdleMinutes = 120;       // web.idleMinutes: a web login ends after this long unused
    int webMaxHours = 12;           // web.maxHours: and after this long in any case
    int graceDays = 30;             // roles.graceDays: read-only after a term
    // time.zone: the association's time zone (IANA name); "today" for rights, terms and
    // 年度, and the times pages show, are in it whatever the machine's own zone.
    std::string timeZone = "Asia/Tokyo";
    std::string handoverOpens = "03-01";  // handover.opens: MM-DD a term's handover opens
    std::vector<std::string> handoverSkipRoles = {"会員"};  // handover.skipRoles: none to write
    int extractWorkers = 2;    // index.extractWorkers: kiroku-extract processes
    int scanMinutes = 10;      // index.scanMinutes: look for files changed on disk
    bool itaiji = false;       // index.itaiji: 髙 = 高, 﨑 = 崎 … (reindex after a change)
    int searchCacheMB = 8;     // index.searchCacheMB: what searches remember between them
    int rememberedHits = 100;  // index.rememberedHits: a search's first hits kept in order
    // OCR of scanned PDFs and photos: after the ordinary indexing, one low-priority worker.
    bool ocr = true;                                // ocr.enabled
    std::string ocrLanguages = "jpn+jpn_vert+eng";  // ocr.languages (Tesseract's names)
    int ocrMaxPages = 20;                           // ocr.maxPages: of a PDF, the first ones
    int ocrSecondsPerFile = 120;                    // ocr.secondsPerFile
    int ocrWorkers = 1;                             // ocr.workers
    // Role catalogue per organisation kind (roles.association, roles.district, roles.city).
    std::vector<std::string> associationRoles = {"会長", "区長", "副会長", "会計",
                                                 "書記", "監事", "班長",   "会員"};
    std::vector<std::string> districtRoles = {"地区会長", "地区委員", "事務局"};
    std::vector<std::string> cityRoles = {"市担当"};
    std::vector<std::string> headRoles = {"会長", "区長"};  // roles.heads
    std::vector<std::string> officerRoles = {"会長", "区長", "副会長", "会計",
                                             "書記"};       // roles.officers
    std::vector<std::string> auditorRoles = {"監事"};       // roles.auditors: read the whole space
    std::vector<std::string> rosterWriterRoles = {"書記"};  // roles.rosterWriters: write the roster
    std::vector<std::string> districtStaffRoles = {
        "事務局"};  // roles.districtStaff: write, not manage
    // Folders created in an association's space (org.categories), and the special ones.
    std::vector<std::string> categories = {"議事録", "引継ぎ", "様式・申請書", "会計",
                                           "回覧",   "名簿",   "その他"};
    std::string rosterFolder = "名簿";    // org.rosterFolder: personal information
    std::string circularFolder = "回覧";  // org.circularFolder: members read it
    std::string sharedFolder = "共有";    // org.sharedFolder: a district's shared folder

    // Reads every key that is present; missing keys keep their defaults.
    static Settings from(const Poco::Util::AbstractConfiguration& config);

    // Writes a properties file listing every key, commented out, with its default.
    // Does nothing when the file exists. Throws Poco::Exception on I/O errors.
    static void writeDefaultFile(const std::string& path);
    // The same text, to a stream (`kiroku defaults`, used by install/install.sh).
    static void writeDefaults(std::ostream& out);
};

}  // namespace kiroku
