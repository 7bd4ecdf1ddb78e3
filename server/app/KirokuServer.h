#pragma once
// KirokuServer: the composition root of kirokud. From a data directory and settings it
// assembles the metadata database, the document store, the rights policy, the document
// and admin services, the search index and its loop, logins, and the HTTP and HTTPS
// listeners. start() returns once both listen; stop() waits for requests to finish.

#include "acl/Governance.h"
#include "acl/Policy.h"
#include "api/ApiRequest.h"
#include "app/Housekeeping.h"
#include "app/Router.h"
#include "auth/Authenticator.h"
#include "core/DataDir.h"
#include "core/Settings.h"
#include "db/Database.h"
#include "http/Certificate.h"
#include "http/Listener.h"
#include "search/IndexLoop.h"
#include "search/OcrLoop.h"
#include "search/SearchService.h"
#include "service/AdminService.h"
#include "service/DocumentService.h"
#include "service/HandoverService.h"
#include "service/HistoryService.h"
#include "service/LockManager.h"
#include "store/DocumentStore.h"
#include "web/WebRequest.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>

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

    // False while nobody can log in (a new data directory, or every user removed).
    bool hasUsers() const;

    // Set after start() when HTTPS is on.
    const std::optional<CertificateFiles>& certificate() const { return certificate_; }

private:
    DataDir dir_;
    Settings settings_;
    Poco::Logger& log_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<DocumentStore> store_;
    service::LockManager locks_;
    std::unique_ptr<acl::AccessPolicy> policy_;
    std::unique_ptr<acl::Governance> governance_;
    std::unique_ptr<indexer::SearchIndex> searchIndex_;
    std::unique_ptr<SearchService> search_;
    std::unique_ptr<IndexLoop> indexLoop_;
    std::unique_ptr<OcrLoop> ocrLoop_;  // when OCR can run here
    std::unique_ptr<Housekeeping> housekeeping_;
    std::unique_ptr<service::DocumentService> documents_;
    std::unique_ptr<service::AdminService> admin_;
    std::unique_ptr<service::HistoryService> history_;
    std::unique_ptr<service::HandoverService> handovers_;
    std::unique_ptr<service::PeopleService> people_;
    std::unique_ptr<SessionStore> sessions_;
    std::unique_ptr<web::Renderer> renderer_;
    std::unique_ptr<web::WebContext> webContext_;
    std::unique_ptr<api::ApiContext> apiContext_;
    std::unique_ptr<UserDirectory> users_;
    std::unique_ptr<LoginThrottle> throttle_;
    std::unique_ptr<Authenticator> auth_;
    std::unique_ptr<dav::DavContext> davContext_;
    std::unique_ptr<RouterContext> routerContext_;
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<http::Listener> listener_;  // both ports
    std::optional<CertificateFiles> certificate_;
};

}  // namespace kiroku
