// A year of handovers at the service level, with the date set the way tests set it
// (KIROKU_TODAY): terms for 令和8年度 and 令和9年度, files written during 令和8年度, the
// outgoing 会計's notes and submission, the successor's receipt on April 1, and the
// cases around them — re-appointment (継続), two holders of one role, a role with no
// successor, and people who must not see a record at all.
#include "service/HandoverService.h"

#include "acl/Governance.h"
#include "audit/AuditLog.h"
#include "auth/UserDirectory.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

using namespace kiroku;
using namespace kiroku::service;

namespace {

class HandoverServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = Poco::TemporaryFile::tempName();
        dir_ = std::make_unique<DataDir>(root_);
        dir_->ensureLayout();
        db_ = std::make_unique<Database>(dir_->metaDb());
        store_ = std::make_unique<DocumentStore>(*dir_, *db_, settings_);
        policy_ = std::make_unique<acl::AccessPolicy>(*db_, settings_);
        documents_ =
            std::make_unique<DocumentService>(*store_, *policy_, locks_, Poco::Logger::get("test"));
        history_ = std::make_unique<HistoryService>(*documents_, *db_);
        handovers_ =
            std::make_unique<HandoverService>(*documents_, *history_, *policy_, *db_, settings_);
        UserDirectory users(*db_);
        for (const char* name : {"kaikei8", "kaikei9", "kaikei10", "kucho", "hancho_a", "hancho_b",
                                 "hancho_c", "shoki", "kaiin", "admin"}) {
            users.add(name, name, "password-123");
        }
        users.setAdmin("admin", true);
        acl::Governance gov(*db_, *store_, settings_);
        Actor admin{"test", "local", "admin"};
        gov.addOrg("市", acl::OrgKind::City, "", admin);
        gov.addOrg("地区", acl::OrgKind::District, "市", admin);
        gov.addOrg("桜ヶ丘自治区", acl::OrgKind::Association, "地区", admin);
        auto term = [&](const char* user, const char* role, int year) {
            gov.assign(user, role, "桜ヶ丘自治区", Date::of(year, 4, 1), Date::of(year + 1, 3, 31),
                       admin);
        };
        term("kaikei8", "会計", 2026);
        term("kaikei9", "会計", 2027);
        term("kaikei10", "会計", 2028);
        term("kucho", "区長", 2026);
        term("kucho", "区長", 2027);  // 再任
        term("hancho_a", "班長", 2026);
        term("hancho_b", "班長", 2026);
        term("hancho_c", "班長", 2027);
        term("shoki", "書記", 2026);  // nobody after
        term("kaiin", "会員", 2026);
        term("kaiin", "会員", 2027);
        policy_->invalidate();
        put("kaikei8", "桜ヶ丘自治区/会計/令和8年度 収支予算書.txt", "予算");
        put("kaikei8", "桜ヶ丘自治区/会計/令和8年度 通帳の写し.txt", "通帳");
    }
    void TearDown() override {
        handovers_.reset();
        history_.reset();
        documents_.reset();
        policy_.reset();
        store_.reset();
        db_.reset();
        Poco::File(root_).remove(true);
    }
    // The date every caller of the test lives on (their roles, their "today").
    void setToday(const char* date) { today_ = *Date::parse(date); }
    Caller caller(const std::string& name) {
        auto user = UserDirectory(*db_).find(name);
        return Caller{*user, "127.0.0.1", policy_->subjectFor(*user, today_), {}};
    }
    void put(const std::string& who, const std::string& path, const std::string& text) {
        auto up = documents_->beginUpload(caller(who), DocPath::fromText(path),
                                          static_cast<std::int64_t>(text.size()));
        up->write(text.data(), text.size());
        up->commit();
    }
    std::int64_t recordOf(const std::string& role, const std::string& holder) {
        return handovers_->find(caller("admin"), "桜ヶ丘自治区", role, 2026, holder);
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
    std::size_t auditRows(const std::string& action, const std::string& user) {
        AuditFilter f;
        f.user = user;
        std::size_t n = 0;
        for (const auto& e : audit::query(*db_, f)) n += e.action == action ? 1 : 0;
        return n;
    }

    Settings settings_;
    Date today_ = Date::of(2026, 6, 1);
    std::string root_;
    std::unique_ptr<DataDir> dir_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<DocumentStore> store_;
    std::unique_ptr<acl::AccessPolicy> policy_;
    LockManager locks_;
    std::unique_ptr<DocumentService> documents_;
    std::unique_ptr<HistoryService> history_;
    std::unique_ptr<HandoverService> handovers_;
};

TEST_F(HandoverServiceTest, AYearOfTheTreasurersHandover) {
    // Nothing opens before March 1 of the term's last fiscal year; then every R8 term does.
    EXPECT_EQ(handovers_->openDue(Date::of(2027, 2, 28)), 0);
    EXPECT_EQ(handovers_->openDue(Date::of(2027, 3, 1)), 5);  // not 会員
    EXPECT_EQ(handovers_->openDue(Date::of(2027, 3, 2)), 0);  // once
    setToday("2027-03-10");
    const std::int64_t id = recordOf("会計", "kaikei8");

    Caller out = caller("kaikei8");
    auto waiting = handovers_->waiting(out);
    ASSERT_EQ(waiting.size(), 1u);
    EXPECT_EQ(waiting[0].id, id);
    handovers_->setNote(out, id, "通帳と印鑑は別々に保管してください。");
    db::MatterRow dues{0, 0, "町内会費の未納 3 件", "open", "2027-05-31", "4月の役員会で報告", {}};
    handovers_->putMatter(out, id, dues,
                          {DocPath::fromText("桜ヶ丘自治区/会計/令和8年度 収支予算書.txt")});
    handovers_->putMatter(out, id, {0, 0, "防犯灯の電気代の口座振替", "open", "", "", {}}, {});
    handovers_->putContact(out, id, {0, 0, "市民協働課", "みどり市役所", "0000-00-0000", ""});
    for (const char* item : {"通帳", "印鑑", "金庫の鍵"})
        handovers_->putItem(out, id, {0, 0, item, "会長宅の金庫", "", 1, "", ""});
    EXPECT_EQ(codeOf([&] {
                  handovers_->putItem(out, id, {0, 0, "", "", "", 1, "", ""});
              }),
              ServiceError::Code::BadRequest);
    // Until it is handed over it is the holder's draft: the successor does not see it.
    EXPECT_EQ(codeOf([&] { handovers_->setNote(caller("kaikei9"), id, "x"); }),
              ServiceError::Code::NotFound);
    EXPECT_EQ(codeOf([&] { handovers_->show(caller("kaikei9"), id, false); }),
              ServiceError::Code::NotFound);

    HandoverDetail d = handovers_->show(out, id);
    EXPECT_EQ(d.summary.status, HandoverStatus::Preparing);
    EXPECT_EQ(d.summary.fiscalYear, "令和8年度");
    EXPECT_EQ(d.summary.successors, std::vector<std::string>{"kaikei9"});
    ASSERT_EQ(d.matters.size(), 2u);
    ASSERT_EQ(d.matterDocuments[0].size(), 1u);
    EXPECT_EQ(d.matterDocuments[0][0], "桜ヶ丘自治区/会計/令和8年度 収支予算書.txt");
    EXPECT_EQ(d.items.size(), 3u);
    // The inventory is what the role can write, generated: both files, with who wrote them.
    std::set<std::string> files;
    for (const auto& i : d.inventory) {
        files.insert(i.path.str());
        if (i.path.name() == "令和8年度 収支予算書.txt") {
            EXPECT_EQ(i.category, "会計");
            EXPECT_EQ(i.by, "kaikei8");
        }
    }
    EXPECT_TRUE(files.count("桜ヶ丘自治区/会計/令和8年度 収支予算書.txt"));
    EXPECT_TRUE(files.count("桜ヶ丘自治区/会計/令和8年度 通帳の写し.txt"));
    bool created = false;
    for (const auto& c : d.changes) created |= c.action == "create" && c.user == "kaikei8";
    EXPECT_TRUE(created);
    EXPECT_TRUE(d.canSubmit);
    // A page listing each folder's newest asks for their details only: the same documents,
    // the newest first in the folder with who wrote it, the others counted without.
    HandoverParts newest;
    newest.detailedPerFolder = 1;
    HandoverDetail page = handovers_->show(out, id, newest);
    ASSERT_EQ(page.inventory.size(), d.inventory.size());
    const InventoryItem* first = nullptr;
    const InventoryItem* second = nullptr;
    for (const auto& i : page.inventory) {
        if (i.folder != "桜ヶ丘自治区/会計") continue;
        if (!first) {
            first = &i;
        } else {
            second = &i;
        }
    }
    ASSERT_TRUE(first && second);
    EXPECT_GE(first->modifiedUs, second->modifiedUs);
    EXPECT_EQ(first->by, "kaikei8");
    EXPECT_EQ(second->by, "");
    EXPECT_EQ(second->year, 0);
    EXPECT_EQ(page.changes.size(), d.changes.size());
    // The changes alone (their own page): no inventory.
    HandoverParts changesOnly;
    changesOnly.inventory = false;
    page = handovers_->show(out, id, changesOnly);
    EXPECT_TRUE(page.inventory.empty());
    EXPECT_EQ(page.changes.size(), d.changes.size());

    handovers_->submit(out, id);
    // Handed over in March: the successor reads it, but sees no document names before
    // their own term gives them the folders.
    d = handovers_->show(caller("kaikei9"), id);
    EXPECT_EQ(d.summary.status, HandoverStatus::Handed);
    EXPECT_TRUE(d.inventory.empty());
    EXPECT_TRUE(d.matterDocuments[0].empty());
    EXPECT_EQ(codeOf([&] { handovers_->setNote(out, id, "後から"); }),
              ServiceError::Code::Conflict);
    EXPECT_EQ(codeOf([&] { handovers_->receive(caller("kaiin"), id); }),
              ServiceError::Code::NotFound);

    // April 1: the successor finds it waiting, receives one item, then the whole.
    setToday("2027-04-01");
    Caller next = caller("kaikei9");
    waiting = handovers_->waiting(next);
    ASSERT_EQ(waiting.size(), 1u);
    EXPECT_EQ(waiting[0].status, HandoverStatus::Handed);
    d = handovers_->show(next, id);
    EXPECT_TRUE(d.canReceive);
    EXPECT_FALSE(d.canEdit);
    handovers_->receive(next, id, d.items[0].id);
    EXPECT_EQ(handovers_->show(next, id, false).summary.status, HandoverStatus::Handed);
    handovers_->receive(next, id);
    d = handovers_->show(next, id, false);
    EXPECT_EQ(d.summary.status, HandoverStatus::Received);
    EXPECT_EQ(d.summary.receivedBy, "kaikei9");
    for (const auto& i : d.items) EXPECT_EQ(i.receivedBy, "kaikei9");
    EXPECT_TRUE(handovers_->waiting(next).empty());

    // After the grace period the predecessor no longer writes; the record stays readable
    // to the role's later holders, year after year, and to nobody else.
    setToday("2027-05-15");
    EXPECT_FALSE(documents_->rights(caller("kaikei8"), DocPath::fromText("桜ヶ丘自治区/会計"))
                     .allows(Rights::Write));
    setToday("2028-06-01");
    EXPECT_EQ(handovers_->show(caller("kaikei10"), id, false).summary.holder, "kaikei8");
    EXPECT_EQ(codeOf([&] { handovers_->show(caller("kaiin"), id, false); }),
              ServiceError::Code::NotFound);
    EXPECT_TRUE(handovers_->list(caller("kaiin")).empty());

    // The audit log tells the story.
    EXPECT_EQ(auditRows("handover-open", "kirokud"), 5u);
    EXPECT_EQ(auditRows("handover-submit", "kaikei8"), 1u);
    EXPECT_EQ(auditRows("handover-receive", "kaikei9"), 2u);
    EXPECT_GE(auditRows("handover-note", "kaikei8"), 6u);
}

TEST_F(HandoverServiceTest, ReappointmentTwoHoldersAndNoSuccessor) {
    handovers_->openDue(Date::of(2027, 3, 1));
    setToday("2027-03-15");
    // 再任: one action, and nothing waits for anyone.
    const std::int64_t kucho = recordOf("区長", "kucho");
    HandoverDetail d = handovers_->show(caller("kucho"), kucho, false);
    EXPECT_TRUE(d.summary.reappointed);
    EXPECT_TRUE(d.canContinue);
    handovers_->continueTerm(caller("kucho"), kucho);
    EXPECT_EQ(handovers_->show(caller("kucho"), kucho, false).summary.status,
              HandoverStatus::Continued);
    EXPECT_EQ(
        codeOf([&] { handovers_->continueTerm(caller("kaikei8"), recordOf("会計", "kaikei8")); }),
        ServiceError::Code::Conflict);  // not appointed again
    EXPECT_EQ(
        codeOf([&] { handovers_->continueTerm(caller("kaikei9"), recordOf("会計", "kaikei8")); }),
        ServiceError::Code::NotFound);  // a draft: not theirs to see yet

    // Two 班長: each hands over; the one successor receives both.
    const std::int64_t a = recordOf("班長", "hancho_a"), b = recordOf("班長", "hancho_b");
    EXPECT_NE(a, b);
    EXPECT_EQ(codeOf([&] { handovers_->find(caller("admin"), "桜ヶ丘自治区", "班長", 2026); }),
              ServiceError::Code::BadRequest);
    handovers_->submit(caller("hancho_a"), a);
    handovers_->submit(caller("hancho_b"), b);
    setToday("2027-04-02");
    EXPECT_EQ(handovers_->waiting(caller("hancho_c")).size(), 2u);
    handovers_->receive(caller("hancho_c"), a);
    handovers_->receive(caller("hancho_c"), b);

    // No successor: the record stays open, flagged, and overdue after April 30.
    const std::int64_t shoki = recordOf("書記", "shoki");
    EXPECT_TRUE(handovers_->show(caller("shoki"), shoki, false).summary.noSuccessor);
    setToday("2027-05-01");
    auto all = handovers_->list(caller("admin"), 2026);
    bool flagged = false;
    for (const auto& s : all) flagged |= s.holder == "shoki" && s.noSuccessor && s.overdue;
    EXPECT_TRUE(flagged);
    // A receipt signed on paper, recorded by an administrator, names a successor.
    const std::int64_t kaikei = recordOf("会計", "kaikei8");
    EXPECT_EQ(codeOf([&] { handovers_->recordPaperReceipt(caller("admin"), kaikei, "kaiin"); }),
              ServiceError::Code::BadRequest);
    EXPECT_EQ(codeOf([&] { handovers_->recordPaperReceipt(caller("kaikei9"), kaikei, "kaikei9"); }),
              ServiceError::Code::Forbidden);
    handovers_->recordPaperReceipt(caller("admin"), kaikei, "kaikei9");
    d = handovers_->show(caller("kaikei9"), kaikei, false);
    EXPECT_EQ(d.summary.status, HandoverStatus::Received);
    EXPECT_TRUE(d.summary.receivedOnPaper);
    EXPECT_EQ(d.summary.recordedBy, "admin");
}

// A term ended early opens its record at once, whatever the date.
TEST_F(HandoverServiceTest, ATermEndedEarlyOpensItsRecord) {
    acl::Governance gov(*db_, *store_, settings_);
    Actor admin{"test", "local", "admin"};
    std::int64_t term = 0;
    for (const auto& a : gov.assignments(std::string("桜ヶ丘自治区"), std::nullopt))
        if (a.userName == "shoki") term = a.id;
    gov.endAssignment(term, Date::of(2026, 9, 30), admin);
    policy_->invalidate();
    EXPECT_EQ(handovers_->openDue(Date::of(2026, 10, 1)), 1);
    EXPECT_EQ(handovers_->list(caller("shoki")).size(), 1u);
}

}  // namespace

// Issue 15: a holder who continues hands nothing over. A term carried into the next
// fiscal year by `role renew`, and a holding without an end date, open no record; the
// terms around them open theirs as before.
TEST_F(HandoverServiceTest, AHolderWhoContinuesGetsNoRecord) {
    acl::Governance gov(*db_, *store_, settings_);
    Actor admin{"test", "local", "admin"};
    auto open = gov.assign("shoki", "副会長", "桜ヶ丘自治区", Date::of(2026, 4, 1),
                           acl::Governance::openEnd(), admin);
    auto plan = gov.planRenewal("桜ヶ丘自治区", FiscalYear{2027}, {"班長"});
    ASSERT_EQ(plan.carried.size(), 2u);  // hancho_a and hancho_b
    std::vector<std::int64_t> onlyA;
    for (const auto& r : plan.carried) {
        if (r.from.userName == "hancho_a") onlyA.push_back(r.from.id);
    }
    ASSERT_EQ(gov.renew(plan, admin, onlyA).size(), 1u);
    policy_->invalidate();
    handovers_->openDue(Date::of(2027, 3, 1));
    handovers_->openDue(Date::of(2028, 3, 1));
    setToday("2027-03-15");
    EXPECT_EQ(codeOf([&] { recordOf("班長", "hancho_a"); }), ServiceError::Code::NotFound);
    EXPECT_GT(recordOf("班長", "hancho_b"), 0);
    EXPECT_GT(recordOf("区長", "kucho"), 0);  // re-appointed by hand: 継続, as before
    for (const auto& s : handovers_->list(caller("admin")))
        EXPECT_NE(s.role, "副会長") << "a record for a holding without an end date";
    EXPECT_EQ(codeOf([&] { handovers_->open(caller("admin"), open.id); }),
              ServiceError::Code::Conflict);
}
