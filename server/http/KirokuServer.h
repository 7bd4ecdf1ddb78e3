#pragma once
// KirokuServer: everything kirokud runs, assembled from a data directory and settings:
// the metadata database, the document store, locks, logins, and the HTTP and HTTPS
// listeners. start() returns once both listen; stop() waits for requests to finish.

#include "acl/Governance.h"
#include "acl/Policy.h"
#include "search/SearchService.h"
#include "api/ApiRequest.h"
#include "auth/Authenticator.h"
#include "core/DataDir.h"
#include "core/Settings.h"
#include "dav/LockManager.h"
#include "db/Database.h"
#include "http/Certificate.h"
#include "http/Router.h"
#include "store/DocumentStore.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <memory>
#include <thread>
#include <optional>

namespace kiroku {

class KirokuServer {
public:
    // Opens the data directory (creating its layout). Throws Poco::Exception or
    // std::runtime_error when the data directory or the database cannot be used.
    KirokuServer(const DataDir& dir, const Settings& settings, Poco::Logger& log);
    ~KirokuServer();

    // Binds the listeners (HTTPS only when settings.httpsListen is not "off") and
    // starts serving. Throws Poco::Net::NetException when an address is taken.
    void start();
    void stop();

    // Set after start() when HTTPS is on.
    const std::optional<CertificateFiles>& certificate() const { return certificate_; }

private:
    void runIndexer();

    DataDir dir_;
    Settings settings_;
    Poco::Logger& log_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<DocumentStore> store_;
    dav::LockManager locks_;
    std::unique_ptr<acl::AccessPolicy> policy_;
    std::unique_ptr<acl::Governance> governance_;
    std::unique_ptr<indexer::SearchIndex> searchIndex_;
    std::unique_ptr<SearchService> search_;
    std::thread indexer_;           // applies the index queue, scans now and then
    std::atomic<bool> stopping_{false};
    std::unique_ptr<api::ApiContext> apiContext_;
    std::unique_ptr<UserDirectory> users_;
    std::unique_ptr<LoginThrottle> throttle_;
    std::unique_ptr<Authenticator> auth_;
    std::unique_ptr<dav::DavContext> davContext_;
    std::unique_ptr<RouterContext> routerContext_;
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> http_;
    std::unique_ptr<Poco::Net::HTTPServer> https_;
    std::optional<CertificateFiles> certificate_;
};

// The start page served at "/" (from web/, embedded at build time).
const std::string& startPageHtml();

}  // namespace kiroku
