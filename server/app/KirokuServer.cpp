#include "app/KirokuServer.h"

#include "search/Extraction.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>

namespace kiroku {

namespace {

Poco::Net::HTTPServerParams::Ptr serverParams(const Settings& s) {
    Poco::Net::HTTPServerParams::Ptr p = new Poco::Net::HTTPServerParams;
    p->setMaxThreads(s.maxThreads);
    p->setMaxQueued(s.maxQueued);
    p->setKeepAlive(true);
    p->setKeepAliveTimeout(Poco::Timespan(s.keepAliveSeconds, 0));
    p->setMaxKeepAliveRequests(s.maxKeepAliveRequests);
    p->setTimeout(Poco::Timespan(60, 0));
    p->setSoftwareVersion("Kiroku/0.1");
    return p;
}

// Mozilla's "intermediate" server profile (version 5.7): TLS 1.2 and 1.3 only, and for
// TLS 1.2 only suites with forward secrecy and an AEAD cipher — no CBC, no SHA-1, no
// static RSA key exchange. TLS 1.3's suites are OpenSSL's defaults, all of them fine.
const char* const kIntermediateCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

Poco::Net::Context::Params tlsParams(const CertificateFiles& files) {
    Poco::Net::Context::Params p;
    p.privateKeyFile = files.keyFile;
    p.certificateFile = files.certFile;
    p.verificationMode = Poco::Net::Context::VERIFY_NONE;
    p.loadDefaultCAs = false;
    p.cipherList = kIntermediateCiphers;
    p.dhUse2048Bits = true;  // the DHE suites with a 2048-bit group (ffdhe2048's size)
    return p;
}

}  // namespace

KirokuServer::KirokuServer(const DataDir& dir, const Settings& settings, Poco::Logger& log)
    : dir_(dir), settings_(settings), log_(log) {
    dir_.ensureLayout();
    db_ = std::make_unique<Database>(dir_.metaDb());
    store_ = std::make_unique<DocumentStore>(dir_, *db_, settings_);
    users_ = std::make_unique<UserDirectory>(*db_);
    throttle_ = std::make_unique<LoginThrottle>(settings_.loginFailureLimit);
    auth_ = std::make_unique<Authenticator>(*users_, *throttle_, log_, *db_);
    policy_ = std::make_unique<acl::AccessPolicy>(*db_, settings_);
    governance_ = std::make_unique<acl::Governance>(*db_, *store_, settings_);
    searchIndex_ = std::make_unique<indexer::SearchIndex>(
        dir_.index(), indexer::NormaliseOptions{settings_.itaiji, settings_.timeZone},
        static_cast<std::size_t>(settings_.searchCacheMB) << 20,
        static_cast<std::size_t>(settings_.rememberedHits));
    search_ = std::make_unique<SearchService>(
        *db_, *store_, *searchIndex_,
        workerPoolExtractor(executableDir(), settings_.extractWorkers),
        static_cast<std::size_t>(std::max(settings_.extractWorkers, 1)));
    indexLoop_ = std::make_unique<IndexLoop>(*search_, *searchIndex_, settings_.scanMinutes, log_);
    OcrAvailability ocr = setUpOcr(*search_, dir_.index(), executableDir(), settings_);
    if (ocr.available) {
        log_.information("OCR reads scans and photos: %s", ocr.what);
        ocrLoop_ =
            std::make_unique<OcrLoop>(*search_, ocrPoolExtractor(executableDir(), settings_), log_);
    } else {
        log_.information("OCR is off: %s", ocr.what);
    }
    documents_ =
        std::make_unique<service::DocumentService>(*store_, *policy_, locks_, log_, search_.get());
    admin_ = std::make_unique<service::AdminService>(*documents_, *store_, *governance_, *policy_,
                                                     *db_, search_.get());
    davContext_ =
        std::make_unique<dav::DavContext>(dav::DavContext{*documents_, settings_, log_, "/dav"});
    history_ = std::make_unique<service::HistoryService>(*documents_, *db_);
    handovers_ = std::make_unique<service::HandoverService>(*documents_, *history_, *policy_, *db_,
                                                            settings_);
    apiContext_ = std::make_unique<api::ApiContext>(
        api::ApiContext{*documents_, *admin_, *handovers_, settings_, log_});
    housekeeping_ = std::make_unique<Housekeeping>(*store_, settings_.trashDays, log_, [this] {
        if (int opened = handovers_->openDue(Date::today()))
            log_.information("opened %d handovers that fell due", opened);
    });
    people_ = std::make_unique<service::PeopleService>(*documents_, *users_, *db_);
    sessions_ = std::make_unique<SessionStore>(settings_.webIdleMinutes, settings_.webMaxHours);
    renderer_ = std::make_unique<web::Renderer>(webFiles());
    webContext_ = std::make_unique<web::WebContext>(
        web::WebContext{*documents_, *admin_, *history_, *people_, *handovers_, *auth_, *sessions_,
                        *renderer_, settings_, log_, ""});
    routerContext_ = std::make_unique<RouterContext>(
        RouterContext{*davContext_, *apiContext_, *auth_, settings_, log_, *webContext_});
}

KirokuServer::~KirokuServer() { stop(); }

bool KirokuServer::hasUsers() const { return !users_->list().empty(); }

void KirokuServer::start() {
    pool_ = std::make_unique<Poco::ThreadPool>(2, settings_.maxThreads * 2, 60, 256 * 1024);
    http::ListenerLimits limits;
    limits.perAddress = settings_.maxConnectionsPerAddress;
    limits.headerTimeout = Poco::Timespan(settings_.requestHeaderSeconds, 0);
    listener_ = std::make_unique<http::Listener>(*pool_, limits, log_);
    // Poco's ServerSocket(address) also sets SO_REUSEPORT, with which a second kirokud
    // on the same port starts silently and takes half the requests: bind without it.
    Poco::Net::ServerSocket plain;
    plain.bind(Poco::Net::SocketAddress(settings_.httpListen), true, false);
    plain.listen(128);
    listener_->add(plain, new Router(*routerContext_, false), serverParams(settings_), false);
    if (settings_.httpsListen != "off") {
        certificate_ = ensureCertificate(dir_.tls());
        webContext_->fingerprint = certificate_->sha256Fingerprint;
        Poco::Net::initializeSSL();
        Poco::Net::Context::Ptr context =
            new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, tlsParams(*certificate_));
        context->disableProtocols(
            Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
            Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
        context->enableSessionCache(true, "kiroku");
        Poco::Net::SecureServerSocket secure{context};
        secure.bind(Poco::Net::SocketAddress(settings_.httpsListen), true, false);
        secure.listen(128);
        listener_->add(secure, new Router(*routerContext_, true), serverParams(settings_), true);
    }
    listener_->start();
    indexLoop_->start();
    if (ocrLoop_) ocrLoop_->start();
    housekeeping_->start();
}

void KirokuServer::stop() {
    if (housekeeping_) housekeeping_->stop();
    if (ocrLoop_) ocrLoop_->stop();
    if (indexLoop_) indexLoop_->stop();
    if (listener_) listener_->stop();
    if (pool_) pool_->joinAll();
    listener_.reset();
    pool_.reset();
}

}  // namespace kiroku
