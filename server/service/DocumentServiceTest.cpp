// The document service decides once for every protocol: these tests call it the way a
// web page would (no WebDAV request, no lock tokens) and check that what WebDAV set up
// — locks, protected folders, recorded reads — holds all the same.
#include "service/DocumentService.h"

#include "acl/Governance.h"
#include "audit/AuditLog.h"
#include "auth/UserDirectory.h"
#include "service/HistoryService.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

using namespace kiroku;
using namespace kiroku::service;

namespace {

class DocumentServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = Poco::TemporaryFile::tempName();
        dir_ = std::make_unique<DataDir>(root_);
        dir_->ensureLayout();
        db_ = std::make_unique<Database>(dir_->metaDb());
        store_ = std::make_unique<DocumentStore>(*dir_, *db_, settings_);
        policy_ = std::make_unique<acl::AccessPolicy>(*db_, settings_);
        service_ =
            std::make_unique<DocumentService>(*store_, *policy_, locks_, Poco::Logger::get("test"));
        UserDirectory users(*db_);
        users.add("kucho", "区長", "password-123");
        users.add("shoki", "書記", "password-123");
        users.add("kaiin", "会員", "password-123");
        acl::Governance gov(*db_, *store_, settings_);
        Actor admin{"test", "local", "admin"};
        gov.addOrg("市", acl::OrgKind::City, "", admin);
        gov.addOrg("地区", acl::OrgKind::District, "市", admin);
        gov.addOrg("桜ヶ丘自治区", acl::OrgKind::Association, "地区", admin);
        Date from = *Date::parse("2000-01-01"), to = *Date::parse("2999-12-31");
        gov.assign("kucho", "区長", "桜ヶ丘自治区", from, to, admin);
        gov.assign("shoki", "書記", "桜ヶ丘自治区", from, to, admin);
        gov.assign("kaiin", "会員", "桜ヶ丘自治区", from, to, admin);
        policy_->invalidate();
        put(caller("kucho"), "桜ヶ丘自治区/名簿/役員名簿.txt", "区長 山田 0000-00-0001");
        put(caller("kucho"), "桜ヶ丘自治区/議事録/総会.txt", "令和8年度 総会");
    }
    void TearDown() override {
        service_.reset();
        policy_.reset();
        store_.reset();
        db_.reset();
        Poco::File(root_).remove(true);
    }
    Caller caller(const std::string& name, std::set<std::string> tokens = {}) {
        auto user = UserDirectory(*db_).find(name);
        return service_->caller(*user, "127.0.0.1", std::move(tokens));
    }
    void put(const Caller& who, const std::string& path, const std::string& text) {
        auto up = service_->beginUpload(who, DocPath::fromText(path),
                                        static_cast<std::int64_t>(text.size()));
        up->write(text.data(), text.size());
        up->commit();
    }
    static ServiceError::Code codeOf(const std::function<void()>& f) {
        try {
            f();
        } catch (const ServiceError& e) {
            return e.code();
        }
        ADD_FAILURE() << "no ServiceError";
        return ServiceError::Code::Internal;
    }
    std::size_t auditRows(const std::string& user, const std::string& action,
                          const std::string& result = "ok") {
        AuditFilter f;
        f.user = user;
        std::size_t n = 0;
        for (const auto& e : audit::query(*db_, f))
            n += e.action == action && e.result == result ? 1 : 0;
        return n;
    }

    std::string root_;
    Settings settings_;
    LockManager locks_;
    std::unique_ptr<DataDir> dir_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<DocumentStore> store_;
    std::unique_ptr<acl::AccessPolicy> policy_;
    std::unique_ptr<DocumentService> service_;
};

TEST_F(DocumentServiceTest, WebUploadHonoursAWebDavLock) {
    // Office on a PC locks the minutes over WebDAV (the 書記, depth 0, exclusive).
    DocPath minutes = DocPath::fromText("桜ヶ丘自治区/議事録/総会.txt");
    LockRequest request;
    request.infinite = false;
    LockGrant grant = service_->lock(caller("shoki"), minutes, request);

    // The 区長 uploads a new version from a web page: refused while the lock stands.
    EXPECT_EQ(codeOf([&] { put(caller("kucho"), minutes.str(), "上書き"); }),
              ServiceError::Code::Locked);
    // So is the 書記 from the browser, without the lock token of the Office session.
    EXPECT_EQ(codeOf([&] { put(caller("shoki"), minutes.str(), "上書き"); }),
              ServiceError::Code::Locked);
    // And deleting or moving it away.
    EXPECT_EQ(codeOf([&] { service_->remove(caller("kucho"), minutes); }),
              ServiceError::Code::Locked);
    EXPECT_EQ(codeOf([&] {
                  service_->move(caller("kucho"), minutes,
                                 DocPath::fromText("桜ヶ丘自治区/議事録/x.txt"), false);
              }),
              ServiceError::Code::Locked);
    // Nothing changed.
    auto file = service_->open(caller("kucho"), minutes);
    EXPECT_EQ(file->entry().size, std::string("令和8年度 総会").size());

    // The lock's holder, with its token, may save; once unlocked, anyone with rights may.
    put(caller("shoki", {grant.lock.token}), minutes.str(), "書記の版");
    service_->unlock(caller("shoki"), minutes, grant.lock.token);
    put(caller("kucho"), minutes.str(), "区長の版");
}

TEST_F(DocumentServiceTest, HiddenAndMissingLookTheSame) {
    Caller kaiin = caller("kaiin");
    auto hidden =
        codeOf([&] { service_->find(kaiin, DocPath::fromText("桜ヶ丘自治区/名簿/役員名簿.txt")); });
    auto missing =
        codeOf([&] { service_->find(kaiin, DocPath::fromText("桜ヶ丘自治区/名簿/ない.txt")); });
    EXPECT_EQ(hidden, ServiceError::Code::NotFound);
    EXPECT_EQ(missing, ServiceError::Code::NotFound);
    EXPECT_EQ(service_->state(kaiin, DocPath::fromText("桜ヶ丘自治区/名簿/役員名簿.txt")).exists,
              false);
}

TEST_F(DocumentServiceTest, ReadsOfTheRosterAreRecordedWhateverItIsCalled) {
    Caller shoki = caller("shoki");
    service_->open(shoki, DocPath::fromText("桜ヶ丘自治区/名簿/役員名簿.txt"));
    EXPECT_EQ(auditRows("shoki", "read"), 1u);
    // The 区長 renames the roster; its reads are still recorded.
    service_->move(caller("kucho"), DocPath::fromText("桜ヶ丘自治区/名簿"),
                   DocPath::fromText("桜ヶ丘自治区/会員一覧"), false);
    service_->open(shoki, DocPath::fromText("桜ヶ丘自治区/会員一覧/役員名簿.txt"));
    EXPECT_EQ(auditRows("shoki", "read"), 2u);
    // Reading ordinary minutes is not recorded.
    service_->open(shoki, DocPath::fromText("桜ヶ丘自治区/議事録/総会.txt"));
    EXPECT_EQ(auditRows("shoki", "read"), 2u);
}

TEST_F(DocumentServiceTest, MovingTheRosterNeedsManageAndKeepsItProtected) {
    DocPath roster = DocPath::fromText("桜ヶ丘自治区/名簿");
    DocPath intoCircular = DocPath::fromText("桜ヶ丘自治区/回覧/名簿");
    EXPECT_EQ(codeOf([&] { service_->move(caller("shoki"), roster, intoCircular, false); }),
              ServiceError::Code::Forbidden);
    EXPECT_EQ(auditRows("shoki", "move"), 0u);
    EXPECT_EQ(auditRows("shoki", "move", "denied"), 1u);
    service_->move(caller("kucho"), roster, intoCircular, false);
    EXPECT_EQ(codeOf([&] { service_->find(caller("kaiin"), intoCircular.child("役員名簿.txt")); }),
              ServiceError::Code::NotFound);
    for (const auto& e : service_->list(caller("kaiin"), DocPath::fromText("桜ヶ丘自治区/回覧"))) {
        EXPECT_NE(e.path, intoCircular) << "a 会員 sees the roster in 回覧";
    }
    EXPECT_NO_THROW(service_->open(caller("shoki"), intoCircular.child("役員名簿.txt")));
}

TEST_F(DocumentServiceTest, RefusalsOfChangesAreRecordedAsDenied) {
    Caller kaiin = caller("kaiin");
    EXPECT_EQ(codeOf([&] { put(kaiin, "桜ヶ丘自治区/回覧/お知らせ.txt", "x"); }),
              ServiceError::Code::Forbidden);
    AuditFilter f;
    f.user = "kaiin";
    auto events = audit::query(*db_, f);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().result, "denied");
}

}  // namespace

// Who last changed each file of a folder page comes from the file's own node: an update,
// a copy to it (not from it), a move into the folder; nothing for a name without one,
// and nothing the person may not read where it happened.
TEST_F(DocumentServiceTest, LastChangesFollowEachDocument) {
    HistoryService history(*service_, *db_);
    auto kucho = caller("kucho"), shoki = caller("shoki"), kaiin = caller("kaiin");
    auto at = [](const char* p) { return DocPath::fromText(p); };
    put(shoki, "桜ヶ丘自治区/議事録/総会.txt", "令和8年度 総会 修正");
    put(kucho, "桜ヶ丘自治区/議事録/役員会.txt", "役員会");
    service_->copy(shoki, at("桜ヶ丘自治区/議事録/役員会.txt"),
                   at("桜ヶ丘自治区/議事録/役員会の写し.txt"), false, false);
    put(kucho, "桜ヶ丘自治区/名簿/班長名簿.txt", "班長");
    service_->move(kucho, at("桜ヶ丘自治区/名簿/班長名簿.txt"),
                   at("桜ヶ丘自治区/議事録/班長名簿.txt"), false);
    for (int i = 0; i < 30; ++i) put(shoki, "桜ヶ丘自治区/議事録/別.txt", std::to_string(i));

    const std::vector<std::string> names = {"総会.txt", "役員会.txt", "役員会の写し.txt",
                                            "班長名簿.txt", "ない.txt"};
    auto changes = history.lastChanges(kucho, at("桜ヶ丘自治区/議事録"), names);
    ASSERT_EQ(changes.size(), 4u);
    EXPECT_EQ(changes.at("総会.txt").user, "shoki");
    EXPECT_EQ(changes.at("総会.txt").action, "update");
    EXPECT_EQ(changes.at("役員会.txt").user, "kucho");
    EXPECT_EQ(changes.at("役員会.txt").action, "create");
    EXPECT_EQ(changes.at("役員会の写し.txt").user, "shoki");
    EXPECT_EQ(changes.at("役員会の写し.txt").action, "copy");
    EXPECT_EQ(changes.at("班長名簿.txt").action, "move");
    EXPECT_EQ(changes.at("班長名簿.txt").path, "桜ヶ丘自治区/議事録/班長名簿.txt");

    // 会員 reads 回覧 but not the roster folder a file came from: its move is not shown.
    put(shoki, "桜ヶ丘自治区/回覧/お知らせ.txt", "回覧");
    put(kucho, "桜ヶ丘自治区/名簿/連絡網.txt", "連絡網");
    service_->move(kucho, at("桜ヶ丘自治区/名簿/連絡網.txt"), at("桜ヶ丘自治区/回覧/連絡網.txt"),
                   false);
    ASSERT_NO_THROW(service_->find(kaiin, at("桜ヶ丘自治区/回覧/連絡網.txt")));
    auto seen = history.lastChanges(kaiin, at("桜ヶ丘自治区/回覧"), {"お知らせ.txt", "連絡網.txt"});
    EXPECT_EQ(seen.count("連絡網.txt"), 0u);
    EXPECT_EQ(seen.at("お知らせ.txt").user, "shoki");
    EXPECT_EQ(
        history.lastChanges(kucho, at("桜ヶ丘自治区/回覧"), {"連絡網.txt"}).at("連絡網.txt").user,
        "kucho");
}
