// AccessReporter on a real data folder: what a person can open on a date is what
// AccessPolicy::decide says, with the entry and the role's term behind it; the April 1
// change shows as the outgoing head's read-only grace and the incoming head's manage;
// unknown people and paths are refused with a message that helps.
#include "acl/AccessReport.h"

#include "acl/GovernanceTestSupport.h"

using namespace kiroku;
using namespace kiroku::acl;

namespace {

class AccessReportTest : public GovernanceFixture {
protected:
    void SetUp() override {
        setUpWith({"yamada", "nakamura", "ito", "boss"});
        {
            auto lease = db_->lease();
            db::users::setAdmin(**lease, "boss", true);
        }
        // The admin guide's handover: 山田 is 区長 in R8, 中村 from R9; 伊藤 a member.
        gov_->assign("yamada", "区長", kAssoc, Date::of(2026, 4, 1), Date::of(2027, 3, 31), actor_);
        gov_->assign("nakamura", "区長", kAssoc, Date::of(2027, 4, 1), Date::of(2028, 3, 31),
                     actor_);
        gov_->assign("ito", "会員", kAssoc, Date::of(2026, 4, 1), Date::of(2027, 3, 31), actor_);
        policy_->invalidate();
    }

    AccessReport report(const std::string& who, const std::string& date,
                        const std::optional<std::string>& path = std::nullopt) {
        std::optional<DocPath> p;
        if (path) p = DocPath::fromText(*path);
        return AccessReporter(*policy_, *gov_, *store_, *db_).report(who, *Date::parse(date), p);
    }
    static const AccessPoint& at(const AccessReport& r, const std::string& path) {
        for (const auto& p : r.points) {
            if (p.path.str() == path) return p;
        }
        throw std::runtime_error("no point " + path);
    }
};

}  // namespace

TEST_F(AccessReportTest, EveryPointIsWhatDecideSays) {
    for (const char* name : {"yamada", "nakamura", "ito", "boss"}) {
        for (const char* date : {"2027-03-31", "2027-04-01", "2027-05-01"}) {
            AccessReport r = report(name, date);
            ASSERT_FALSE(r.points.empty());
            auto lease = db_->lease();
            Subject who = policy_->subjectFor(*db::users::find(**lease, name), *Date::parse(date));
            for (const auto& p : r.points) {
                EXPECT_EQ(p.rights, policy_->decide(who, p.path).rights)
                    << name << " " << date << " /" << p.path.str();
                EXPECT_EQ(p.reasons.empty(), p.rights == Rights::None && !who.admin);
            }
        }
    }
}

TEST_F(AccessReportTest, ListsTheSpacesTheirCategoriesAndWhereRightsChange) {
    AccessReport r = report("ito", "2027-03-31");
    for (const char* path : {"みどり市", "東山地区", "東山地区/共有", kAssoc, "桜ヶ丘自治区/回覧",
                             "桜ヶ丘自治区/名簿", "桜ヶ丘自治区/議事録"}) {
        EXPECT_NO_THROW(at(r, path)) << path;
    }
    EXPECT_TRUE(std::is_sorted(
        r.points.begin(), r.points.end(),
        [](const AccessPoint& a, const AccessPoint& b) { return a.path.str() < b.path.str(); }));
}

TEST_F(AccessReportTest, TheAprilFirstHandoverWithItsReasons) {
    // Before April 1: 山田 manages through the entry on the association's space.
    AccessReport before = report("yamada", "2027-03-31");
    const AccessPoint& space = at(before, kAssoc);
    EXPECT_EQ(space.rights, Rights::Manage);
    ASSERT_EQ(space.reasons.size(), 1u);
    const AccessReason& why = space.reasons.front();
    EXPECT_EQ(why.kind, AccessReason::Kind::Role);
    EXPECT_EQ(why.entryPath, kAssoc);
    EXPECT_EQ(why.principal, "role:桜ヶ丘自治区/区長");
    EXPECT_EQ(why.entryRights, Rights::Manage);
    ASSERT_TRUE(why.role);
    EXPECT_EQ(why.role->role, "桜ヶ丘自治区/区長");
    EXPECT_EQ(why.role->from, "2026-04-01");
    EXPECT_EQ(why.role->to, "2027-03-31");
    EXPECT_FALSE(why.role->readOnly);
    // The roster is protected: its own entry for the 区長 is the reason there.
    EXPECT_EQ(at(before, "桜ヶ丘自治区/名簿").reasons.front().entryPath, "桜ヶ丘自治区/名簿");
    EXPECT_EQ(at(report("nakamura", "2027-03-31"), kAssoc).rights, Rights::None);

    // April 1: 山田 reads only (until April 30), 中村 manages.
    AccessReport april = report("yamada", "2027-04-01");
    ASSERT_EQ(april.roles.size(), 1u);
    EXPECT_TRUE(april.roles.front().readOnly);
    EXPECT_EQ(april.roles.front().readOnlyUntil, "2027-04-30");
    const AccessPoint& readOnly = at(april, "桜ヶ丘自治区/名簿");
    EXPECT_EQ(readOnly.rights, Rights::Read);
    ASSERT_EQ(readOnly.reasons.size(), 1u);
    EXPECT_TRUE(readOnly.reasons.front().role->readOnly);
    EXPECT_EQ(readOnly.reasons.front().entryRights, Rights::Manage);
    AccessReport incoming = report("nakamura", "2027-04-01");
    EXPECT_EQ(at(incoming, kAssoc).rights, Rights::Manage);
    EXPECT_EQ(at(incoming, kAssoc).reasons.front().role->from, "2027-04-01");

    // After the grace period: nothing, and no role.
    AccessReport after = report("yamada", "2027-05-01");
    EXPECT_TRUE(after.roles.empty());
    for (const auto& p : after.points) EXPECT_EQ(p.rights, Rights::None) << p.path.str();
}

TEST_F(AccessReportTest, AMemberPassesThroughTheSpaceToTheCirculars) {
    AccessReport r = report("ito", "2027-03-31", std::string(kAssoc));
    ASSERT_EQ(r.points.size(), 1u);
    EXPECT_EQ(r.points.front().rights, Rights::None);
    EXPECT_TRUE(r.points.front().passThrough);
    AccessReport circulars = report("ito", "2027-03-31", std::string("桜ヶ丘自治区/回覧"));
    EXPECT_EQ(circulars.points.front().rights, Rights::Read);
    EXPECT_FALSE(circulars.points.front().passThrough);
    EXPECT_EQ(circulars.points.front().reasons.front().principal, "role:桜ヶ丘自治区/会員");
    EXPECT_FALSE(at(report("ito", "2027-03-31"), "桜ヶ丘自治区/名簿").passThrough);
}

TEST_F(AccessReportTest, AnAdministratorManagesEverywhereBecauseAdministrator) {
    AccessReport r = report("boss", "2027-04-01", std::string("桜ヶ丘自治区/名簿"));
    EXPECT_TRUE(r.person.admin);
    EXPECT_EQ(r.points.front().rights, Rights::Manage);
    ASSERT_EQ(r.points.front().reasons.size(), 1u);
    EXPECT_EQ(r.points.front().reasons.front().kind, AccessReason::Kind::Admin);
}

TEST_F(AccessReportTest, RefusesAnUnknownPersonAndAPathWhereNothingIs) {
    try {
        report("nobody", "2027-04-01");
        FAIL() << "an unknown person was answered";
    } catch (const AccessQueryError& e) {
        EXPECT_EQ(e.kind(), AccessQueryError::Kind::NoPerson);
        EXPECT_EQ(e.code(), "user.unknown");
    }
    try {
        report("ito", "2027-04-01", std::string("桜ヶ丘自治区/名薄"));
        FAIL() << "a missing folder was answered";
    } catch (const AccessQueryError& e) {
        EXPECT_EQ(e.kind(), AccessQueryError::Kind::NoPath);
        EXPECT_EQ(e.code(), "access.no_path_near");
        EXPECT_NE(e.japanese().find("/桜ヶ丘自治区/名簿"), std::string::npos) << e.japanese();
    }
    try {
        report("ito", "2027-04-01", std::string("どこにもない"));
        FAIL() << "a missing folder was answered";
    } catch (const AccessQueryError& e) {
        EXPECT_EQ(e.code(), "access.no_path");
    }
}

TEST(AccessDate, TakesADateOrAFiscalYearsFirstDay) {
    EXPECT_EQ(accessDate("2027-04-01")->str(), "2027-04-01");
    EXPECT_EQ(accessDate("２０２７－０４－０１")->str(), "2027-04-01");
    EXPECT_EQ(accessDate("R9")->str(), "2027-04-01");
    EXPECT_EQ(accessDate("令和9年度")->str(), "2027-04-01");
    EXPECT_EQ(accessDate("2027")->str(), "2027-04-01");
    EXPECT_FALSE(accessDate("2027-4-1"));
    EXPECT_FALSE(accessDate("tomorrow"));
    EXPECT_FALSE(accessDate(""));
}
