#include "http/KirokuServer.h"

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
    davContext_ = std::make_unique<dav::DavContext>(dav::DavContext{*store_, locks_, *policy_, settings_, log_, "/dav"});
    governance_ = std::make_unique<acl::Governance>(*db_, *store_, settings_);
    searchIndex_ = std::make_unique<indexer::SearchIndex>(dir_.index(), indexer::NormaliseOptions{settings_.itaiji});
    search_ = std::make_unique<SearchService>(*db_, *store_, *searchIndex_,
                                              workerPoolExtractor(executableDir(), settings_.extractWorkers),
                                              static_cast<std::size_t>(std::max(settings_.extractWorkers, 1)));
    apiContext_ = std::make_unique<api::ApiContext>(
        api::ApiContext{*db_, *search_, *store_, *policy_, *governance_, settings_, log_});
    routerContext_ = std::make_unique<RouterContext>(
        RouterContext{*davContext_, *apiContext_, *auth_, settings_, log_, startPageHtml()});
}

KirokuServer::~KirokuServer() { stop(); }

void KirokuServer::start() {
    pool_ = std::make_unique<Poco::ThreadPool>(2, settings_.maxThreads * 2, 60, 256 * 1024);
    // Poco's ServerSocket(address) also sets SO_REUSEPORT, with which a second kirokud
    // on the same port starts silently and takes half the requests: bind without it.
    Poco::Net::ServerSocket plain;
    plain.bind(Poco::Net::SocketAddress(settings_.httpListen), true, false);
    plain.listen(128);
    http_ = std::make_unique<Poco::Net::HTTPServer>(new Router(*routerContext_, false), *pool_, plain,
                                                    serverParams(settings_));
    if (settings_.httpsListen != "off") {
        certificate_ = ensureCertificate(dir_.tls());
        Poco::Net::initializeSSL();
        Poco::Net::Context::Ptr context = new Poco::Net::Context(
            Poco::Net::Context::TLS_SERVER_USE, certificate_->keyFile, certificate_->certFile, "",
            Poco::Net::Context::VERIFY_NONE, 9, false, "HIGH:!aNULL:!MD5:!RC4:!3DES");
        context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                  Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
        context->enableSessionCache(true, "kiroku");
        Poco::Net::SecureServerSocket secure{context};
        secure.bind(Poco::Net::SocketAddress(settings_.httpsListen), true, false);
        secure.listen(128);
        https_ = std::make_unique<Poco::Net::HTTPServer>(new Router(*routerContext_, true), *pool_, secure,
                                                         serverParams(settings_));
    }
    http_->start();
    if (https_) https_->start();
    indexer_ = std::thread([this] { runIndexer(); });
}

void KirokuServer::runIndexer() {
    // Changes are indexed within a second or two; files copied onto the disk by hand
    // are found by a scan at start and every index.scanMinutes.
    auto nextScan = std::chrono::steady_clock::now();
    try {
        if (!searchIndex_->hasCurrentFormat()) {
            log_.information("the search index was written by an earlier version: rebuilding it");
            log_.information("search index rebuilt: %z documents", search_->reindex());
        }
    } catch (const std::exception& e) {
        log_.error("rebuilding the search index failed: %s", std::string(e.what()));
    }
    while (!stopping_) {
        try {
            if (std::chrono::steady_clock::now() >= nextScan) {
                std::size_t n = search_->scan();
                if (n) log_.information("index scan: %z documents updated", n);
                nextScan = std::chrono::steady_clock::now() + std::chrono::minutes(std::max(settings_.scanMinutes, 1));
            }
            while (!stopping_ && search_->processQueue() > 0) {
            }
        } catch (const std::exception& e) {
            log_.error("indexing failed: %s", std::string(e.what()));
        }
        for (int i = 0; i < 10 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

void KirokuServer::stop() {
    stopping_ = true;
    if (indexer_.joinable()) indexer_.join();
    if (https_) https_->stopAll(true);
    if (http_) http_->stopAll(true);
    https_.reset();
    http_.reset();
    if (pool_) pool_->joinAll();
    pool_.reset();
}

}  // namespace kiroku
