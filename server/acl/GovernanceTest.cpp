// Governance on a real data folder (files, meta.db, DocumentStore) with the default
// Settings: organisations get their spaces and default rights, the roster is guarded,
// a rename carries everything along, terms are checked, and permission entries change
// what AccessPolicy decides.
#include "acl/Governance.h"

#include "acl/GovernanceTestSupport.h"

#include <algorithm>

using namespace kiroku;
using namespace kiroku::acl;

namespace {

bool hasJapanese(const std::string& text) {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

class GovernanceTest : public GovernanceFixture {
protected:
    void SetUp() override { setUpWith({"yamada", "suzuki", "ito", "sato", "kato"}); }

    static DocPath path(const std::string& text) { return DocPath::fromText(text); }
    static std::string in(const std::string& org, const std::string& folder) {
        return org + "/" + folder;
    }

    RoleAssignment assignR7(const std::string& user, const std::string& role,
                            const std::string& org = kAssoc) {
        return gov_->assign(user, role, org, Date::of(2025, 4, 1), Date::of(2026, 3, 31), actor_);
    }
    // The person as the policy sees them on a day inside 令和7年度.
    Subject who(const std::string& name) {
        auto lease = db_->lease();
        auto user = db::users::find(**lease, name);
        EXPECT_TRUE(user) << name;
        return policy_->subjectFor(*user, Date::of(2025, 6, 1));
    }
    Rights rights(const std::string& name, const std::string& where) {
        return policy_->decide(who(name), path(where)).rights;
    }
};

}  // namespace

TEST_F(GovernanceTest, AddOrgCreatesEachKindsSpaceFolders) {
    for (const char* top : {kCity, kDistrict, kAssoc}) {
        auto e = store_->stat(path(top));
        ASSERT_TRUE(e) << top;
        EXPECT_TRUE(e->isDir) << top;
    }
    for (const auto& category : settings_.categories) {
        auto e = store_->stat(path(in(kAssoc, category)));
        ASSERT_TRUE(e) << category;
        EXPECT_TRUE(e->isDir) << category;
    }
    auto shared = store_->stat(path(in(kDistrict, settings_.sharedFolder)));
    ASSERT_TRUE(shared);
    EXPECT_TRUE(shared->isDir);
    // A district has no association categories, an association no shared folder.
    EXPECT_FALSE(store_->stat(path(in(kDistrict, "議事録"))));
    EXPECT_FALSE(store_->stat(path(in(kAssoc, settings_.sharedFolder))));
    EXPECT_TRUE(store_->list(path(kCity)).empty());

    auto snap = AccessPolicy::load(*db_);
    ASSERT_EQ(snap->orgs.size(), 3u);
    const Organisation* city = snap->orgNamed(kCity);
    const Organisation* district = snap->orgNamed(kDistrict);
    const Organisation* assoc = snap->orgNamed(kAssoc);
    ASSERT_TRUE(city && district && assoc);
    EXPECT_EQ(city->kind, OrgKind::City);
    EXPECT_EQ(city->parentId, 0);
    EXPECT_EQ(district->parentId, city->id);
    EXPECT_EQ(assoc->kind, OrgKind::Association);
    EXPECT_EQ(assoc->parentId, district->id);
}

TEST_F(GovernanceTest, AddOrgRefusesAWrongParentAndADuplicate) {
    EXPECT_THROW(gov_->addOrg("緑町自治区", OrgKind::Association, kCity, actor_), GovernanceError);
    EXPECT_THROW(gov_->addOrg("西山地区", OrgKind::District, "", actor_), GovernanceError);
    EXPECT_THROW(gov_->addOrg(kAssoc, OrgKind::Association, kDistrict, actor_), GovernanceError);
    EXPECT_FALSE(store_->stat(path("西山地区")));
}

TEST_F(GovernanceTest, AddOrgGivesTheDefaultEntriesToHeadsAndMembers) {
    auto snap = AccessPolicy::load(*db_);
    const auto& top = snap->entries.at(kAssoc);
    EXPECT_TRUE(std::any_of(top.begin(), top.end(), [](const AclEntry& e) {
        return e.principal.kind == Principal::Kind::Role && e.principal.role == "区長" &&
               e.rights == Rights::Manage;
    }));

    assignR7("yamada", "区長");
    assignR7("ito", "会員");
    policy_->invalidate();

    // 区長: manages the association's whole space, writes the district's shared folder.
    EXPECT_EQ(rights("yamada", kAssoc), Rights::Manage);
    EXPECT_EQ(rights("yamada", in(kAssoc, "議事録")), Rights::Manage);
    EXPECT_EQ(rights("yamada", in(kAssoc, "回覧")), Rights::Manage);
    EXPECT_EQ(rights("yamada", in(kAssoc, "名簿")), Rights::Manage);
    EXPECT_EQ(rights("yamada", in(kDistrict, "共有")), Rights::Write);
    EXPECT_EQ(rights("yamada", kDistrict), Rights::None);
    EXPECT_EQ(rights("yamada", kCity), Rights::None);

    // 会員: reads 回覧 only.
    EXPECT_EQ(rights("ito", in(kAssoc, "回覧")), Rights::Read);
    EXPECT_EQ(rights("ito", in(kAssoc, "回覧") + "/お知らせ.pdf"), Rights::Read);
    EXPECT_EQ(rights("ito", kAssoc), Rights::None);
    EXPECT_EQ(rights("ito", in(kAssoc, "議事録")), Rights::None);
    EXPECT_EQ(rights("ito", in(kAssoc, "名簿")), Rights::None);
    EXPECT_EQ(rights("ito", in(kDistrict, "共有")), Rights::None);

    // Outside the term, nothing (after the 30-day grace period).
    auto lease = db_->lease();
    auto yamada = db::users::find(**lease, "yamada");
    Subject later = policy_->subjectFor(*yamada, Date::of(2026, 6, 1));
    EXPECT_EQ(policy_->decide(later, path(in(kAssoc, "議事録"))).rights, Rights::None);
}

TEST_F(GovernanceTest, RosterIsProtectedAndItsReadsRecorded) {
    const std::string roster = in(kAssoc, settings_.rosterFolder);
    auto snap = AccessPolicy::load(*db_);
    EXPECT_EQ(snap->protectedPaths.count(roster), 1u);
    EXPECT_EQ(snap->auditedPaths.count(roster), 1u);
    EXPECT_TRUE(policy_->isRoster(path(roster)));
    EXPECT_TRUE(policy_->isRoster(path(roster + "/会員名簿.xlsx")));
    EXPECT_FALSE(policy_->isRoster(path(kAssoc)));
    EXPECT_FALSE(policy_->isRoster(path(in(kAssoc, "議事録"))));
    EXPECT_FALSE(policy_->isRoster(path(in(kDistrict, "共有"))));

    // An officer who writes the whole space gets nothing in the roster, which inherits
    // nothing; the 書記 keeps it.
    assignR7("sato", "副会長");
    assignR7("suzuki", "書記");
    assignR7("ito", "会員");
    gov_->grant(path(kAssoc), gov_->parsePrincipal(std::string("role:") + kAssoc + "/会員"),
                Rights::Read, actor_);
    policy_->invalidate();
    EXPECT_EQ(rights("sato", in(kAssoc, "議事録")), Rights::Write);
    EXPECT_EQ(rights("sato", roster), Rights::None);
    EXPECT_EQ(rights("suzuki", roster), Rights::Write);
    EXPECT_EQ(rights("ito", in(kAssoc, "議事録")), Rights::Read);
    EXPECT_EQ(rights("ito", roster), Rights::None);
}

TEST_F(GovernanceTest, RenameOrgRenamesTheFolderAndTheRulesFollowIt) {
    assignR7("yamada", "区長");
    assignR7("ito", "会員");
    gov_->renameOrg(kAssoc, "桜丘自治区", actor_);
    policy_->invalidate();

    EXPECT_FALSE(store_->stat(path(kAssoc)));
    ASSERT_TRUE(store_->stat(path("桜丘自治区/議事録")));
    auto snap = AccessPolicy::load(*db_);
    EXPECT_FALSE(snap->orgNamed(kAssoc));
    ASSERT_TRUE(snap->orgNamed("桜丘自治区"));
    EXPECT_EQ(snap->entries.count(kAssoc), 0u);
    EXPECT_EQ(snap->entries.count("桜丘自治区"), 1u);

    EXPECT_EQ(rights("yamada", "桜丘自治区/議事録"), Rights::Manage);
    EXPECT_EQ(rights("yamada", "桜丘自治区/名簿"), Rights::Manage);
    EXPECT_EQ(rights("ito", "桜丘自治区/回覧"), Rights::Read);
    EXPECT_EQ(rights("ito", "桜丘自治区/名簿"), Rights::None);
    EXPECT_EQ(rights("yamada", kAssoc), Rights::None);
    EXPECT_TRUE(policy_->isRoster(path("桜丘自治区/名簿")));
    EXPECT_FALSE(policy_->isRoster(path(in(kAssoc, "名簿"))));
    EXPECT_EQ(snap->protectedPaths.count("桜丘自治区/名簿"), 1u);
    // The members of the district keep their shared folder under the new name.
    EXPECT_EQ(rights("yamada", in(kDistrict, "共有")), Rights::Write);

    EXPECT_THROW(gov_->renameOrg(kAssoc, "別の名前", actor_), GovernanceError);
    EXPECT_THROW(gov_->renameOrg("桜丘自治区", kDistrict, actor_), GovernanceError);
}

TEST_F(GovernanceTest, AssignRefusesARoleNotInTheCatalogue) {
    for (const auto& [role, org] :
         std::vector<std::pair<std::string, std::string>>{{"社長", kAssoc},
                                                          {"地区会長", kAssoc},
                                                          {"区長", kDistrict},
                                                          {"会員", kCity},
                                                          {"", kAssoc}}) {
        try {
            assignR7("yamada", role, org);
            ADD_FAILURE() << role << " in " << org << " was accepted";
        } catch (const GovernanceError& e) {
            EXPECT_TRUE(hasJapanese(e.japanese())) << e.japanese();
        }
    }
    EXPECT_THROW(assignR7("nobody", "区長"), GovernanceError);
    EXPECT_THROW(assignR7("yamada", "区長", "存在しない自治会"), GovernanceError);
    EXPECT_TRUE(gov_->assignments(std::nullopt, std::nullopt).empty());
}

// A newcomer's typo (若葉台自治 for 若葉台自治会, inoeu for inoue) is refused naming what they
// most likely meant; a name nothing is close to is refused plainly.
TEST_F(GovernanceTest, UnknownOrganisationsAndLoginsSuggestTheNearestName) {
    auto refusal = [&](auto&& f) -> Message {
        try {
            f();
        } catch (const GovernanceError& e) {
            return e.message();
        }
        ADD_FAILURE() << "accepted";
        return {};
    };
    Message org = refusal([&] { assignR7("yamada", "区長", "桜ヶ丘自治"); });
    EXPECT_EQ(org.code, "org.not_registered_near");
    EXPECT_NE(org.ja.find("「桜ヶ丘自治区」のことではありませんか"), std::string::npos) << org.ja;
    Message far = refusal([&] { assignR7("yamada", "区長", "旭台町内会"); });
    EXPECT_EQ(far.code, "org.not_registered");
    Message login = refusal([&] { assignR7("yamda", "区長"); });
    EXPECT_EQ(login.code, "user.unknown_near");
    EXPECT_NE(login.en.find("Did you mean \"yamada\"?"), std::string::npos) << login.en;
    Message person = refusal([&] { gov_->parsePrincipal("person:sazuki"); });
    EXPECT_EQ(person.code, "user.unknown_near");
    EXPECT_EQ(refusal([&] { assignR7("nobody-at-all", "区長"); }).code, "user.unknown");
    EXPECT_TRUE(gov_->assignments(std::nullopt, std::nullopt).empty());
}

TEST_F(GovernanceTest, AssignRefusesAnEndBeforeTheStart) {
    EXPECT_THROW(
        gov_->assign("yamada", "区長", kAssoc, Date::of(2026, 3, 31), Date::of(2025, 4, 1), actor_),
        GovernanceError);
    EXPECT_TRUE(gov_->assignments(std::nullopt, std::nullopt).empty());
    // A term of a single day is a term.
    auto one =
        gov_->assign("yamada", "区長", kAssoc, Date::of(2025, 4, 1), Date::of(2025, 4, 1), actor_);
    EXPECT_EQ(one.start, "2025-04-01");
    EXPECT_EQ(one.end, "2025-04-01");
}

TEST_F(GovernanceTest, AssignRefusesAnOverlappingTermOfTheSameRole) {
    auto first = assignR7("yamada", "区長");
    EXPECT_THROW(gov_->assign("yamada", "区長", kAssoc, Date::of(2026, 3, 31),
                              Date::of(2027, 3, 31), actor_),
                 GovernanceError);
    EXPECT_THROW(
        gov_->assign("yamada", "区長", kAssoc, Date::of(2024, 4, 1), Date::of(2025, 4, 1), actor_),
        GovernanceError);
    EXPECT_THROW(
        gov_->assign("yamada", "区長", kAssoc, Date::of(2025, 5, 1), Date::of(2025, 5, 31), actor_),
        GovernanceError);
    // The next term, another role at the same time, another person in the same role: fine.
    EXPECT_NO_THROW(gov_->assign("yamada", "区長", kAssoc, Date::of(2026, 4, 1),
                                 Date::of(2027, 3, 31), actor_));
    EXPECT_NO_THROW(assignR7("yamada", "会計"));
    EXPECT_NO_THROW(assignR7("suzuki", "区長"));
    auto all = gov_->assignments(std::nullopt, std::nullopt);
    EXPECT_EQ(all.size(), 4u);
    EXPECT_EQ(gov_->assignments(std::string(kAssoc), Date::of(2025, 6, 1)).size(), 3u);
    EXPECT_GT(first.id, 0);
}

TEST_F(GovernanceTest, EndAssignmentBeforeItsStartCancelsIt) {
    auto next =
        gov_->assign("yamada", "区長", kAssoc, Date::of(2026, 4, 1), Date::of(2027, 3, 31), actor_);
    auto result = gov_->endAssignment(next.id, Date::of(2026, 3, 31), actor_);
    EXPECT_FALSE(result);
    EXPECT_TRUE(gov_->assignments(std::nullopt, std::nullopt).empty());
    EXPECT_THROW(gov_->endAssignment(next.id, Date::of(2026, 3, 31), actor_), GovernanceError);
}

TEST_F(GovernanceTest, EndAssignmentAfterItsStartSetsTheLastDay) {
    auto term = assignR7("yamada", "区長");
    auto last = gov_->endAssignment(term.id, Date::of(2025, 9, 30), actor_);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->str(), "2025-09-30");
    auto all = gov_->assignments(std::nullopt, std::nullopt);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].end, "2025-09-30");

    // On its first day: a term of one day, not a cancellation.
    auto other = assignR7("suzuki", "書記");
    auto first = gov_->endAssignment(other.id, Date::of(2025, 4, 1), actor_);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->str(), "2025-04-01");

    // A date after the planned end changes nothing.
    auto third = assignR7("ito", "会員");
    auto unchanged = gov_->endAssignment(third.id, Date::of(2030, 1, 1), actor_);
    ASSERT_TRUE(unchanged);
    EXPECT_EQ(unchanged->str(), "2026-03-31");

    EXPECT_THROW(gov_->endAssignment(999999, Date::of(2025, 9, 30), actor_), GovernanceError);
}

TEST_F(GovernanceTest, GrantAndRevokeChangeTheDecisionAtOnce) {
    assignR7("ito", "会員");
    const std::string minutes = in(kAssoc, "議事録");
    policy_->invalidate();
    ASSERT_EQ(rights("ito", minutes), Rights::None);

    Principal members = gov_->parsePrincipal(std::string("role:") + kAssoc + "/会員");
    gov_->grant(path(minutes), members, Rights::Read, actor_);
    policy_->invalidate();
    EXPECT_EQ(rights("ito", minutes), Rights::Read);
    EXPECT_EQ(rights("ito", minutes + "/4月定例会.docx"), Rights::Read);

    // Granting again changes the rights of the same entry.
    gov_->grant(path(minutes), members, Rights::Write, actor_);
    policy_->invalidate();
    EXPECT_EQ(rights("ito", minutes), Rights::Write);

    Principal person = gov_->parsePrincipal("person:kato");
    gov_->grant(path(minutes), person, Rights::Read, actor_);
    policy_->invalidate();
    EXPECT_EQ(rights("kato", minutes), Rights::Read);

    gov_->revoke(path(minutes), members, actor_);
    policy_->invalidate();
    EXPECT_EQ(rights("ito", minutes), Rights::None);
    EXPECT_EQ(rights("kato", minutes), Rights::Read);
    gov_->revoke(path(minutes), person, actor_);
    policy_->invalidate();
    EXPECT_EQ(rights("kato", minutes), Rights::None);

    EXPECT_THROW(gov_->grant(path(in(kAssoc, "存在しない")), members, Rights::Read, actor_),
                 GovernanceError);
}

TEST_F(GovernanceTest, RevokeOfAnEntryThatDoesNotExistThrows) {
    Principal treasurer = gov_->parsePrincipal(std::string("role:") + kAssoc + "/会計");
    auto before = AccessPolicy::load(*db_)->version;
    // 会計 writes the whole space, but through the entry on the top folder, not on 回覧.
    EXPECT_THROW(gov_->revoke(path(in(kAssoc, "回覧")), treasurer, actor_), GovernanceError);
    EXPECT_THROW(gov_->revoke(path(in(kAssoc, "存在しない")), treasurer, actor_), GovernanceError);
    EXPECT_THROW(gov_->revoke(path(kAssoc), gov_->parsePrincipal("person:ito"), actor_),
                 GovernanceError);
    EXPECT_EQ(AccessPolicy::load(*db_)->version, before);  // nothing was changed
    EXPECT_NO_THROW(gov_->revoke(path(kAssoc), treasurer, actor_));
}

TEST_F(GovernanceTest, ProtectRefusesWhatIsNotAFolderAndChangesNothing) {
    auto before = AccessPolicy::load(*db_)->version;
    // Off as well as on: "inherits again" must not be said of a folder that is not there.
    for (bool on : {true, false}) {
        EXPECT_THROW(gov_->setProtected(path(in(kAssoc, "名薄")), on, actor_), GovernanceError);
    }
    store_->makeFolder(path(in(kAssoc, "その他/写真")), actor_);
    store_->remove(path(in(kAssoc, "その他/写真")), actor_);
    EXPECT_THROW(gov_->setProtected(path(in(kAssoc, "その他/写真")), false, actor_),
                 GovernanceError);
    EXPECT_EQ(AccessPolicy::load(*db_)->version, before);

    gov_->setProtected(path(in(kAssoc, "会計")), true, actor_);
    EXPECT_EQ(AccessPolicy::load(*db_)->protectedPaths.count(in(kAssoc, "会計")), 1u);
    gov_->setProtected(path(in(kAssoc, "会計")), false, actor_);
    EXPECT_EQ(AccessPolicy::load(*db_)->protectedPaths.count(in(kAssoc, "会計")), 0u);
}

TEST_F(GovernanceTest, NearestFolderCorrectsEachMisspeltSegment) {
    auto near = [&](const std::string& text) {
        auto p = gov_->nearestFolder(path(text));
        return p ? p->str() : std::string("(none)");
    };
    // 薄 for 簿: one character, though three bytes of UTF-8 differ in two.
    EXPECT_EQ(near(in(kAssoc, "名薄")), in(kAssoc, "名簿"));
    EXPECT_EQ(near(in(kAssoc, "議時録")), in(kAssoc, "議事録"));
    // The organisation misspelt too (自治会 for 自治区), one level at a time.
    EXPECT_EQ(near("桜ヶ丘自治会/名薄"), in(kAssoc, "名簿"));
    // Only folders of the same parent: 共有 is the district's, not the association's.
    EXPECT_EQ(near(in(kAssoc, "共用")), "(none)");
    EXPECT_EQ(near(in(kDistrict, "共用")), in(kDistrict, "共有"));
    // Nothing close, or nothing wrong.
    EXPECT_EQ(near(in(kAssoc, "写真")), "(none)");
    EXPECT_EQ(near(in(kAssoc, "名簿")), "(none)");
    EXPECT_EQ(near(""), "(none)");
    // A file is not a folder to suggest.
    {
        auto upload = store_->beginUpload(path(in(kAssoc, "議事録/名薄.txt")), actor_, 1);
        upload->write("x", 1);
        upload->commit();
    }
    EXPECT_EQ(near(in(kAssoc, "議事録/名簿.txt")), "(none)");
}

TEST_F(GovernanceTest, ParsePrincipalAcceptsTheThreeForms) {
    auto snap = AccessPolicy::load(*db_);
    Principal role = gov_->parsePrincipal(std::string("role:") + kAssoc + "/区長");
    EXPECT_EQ(role.kind, Principal::Kind::Role);
    EXPECT_EQ(role.orgId, snap->orgNamed(kAssoc)->id);
    EXPECT_EQ(role.role, "区長");

    Principal districtRole = gov_->parsePrincipal(std::string("role:") + kDistrict + "/地区委員");
    EXPECT_EQ(districtRole.orgId, snap->orgNamed(kDistrict)->id);

    Principal members = gov_->parsePrincipal(std::string("members:") + kDistrict + "/区長");
    EXPECT_EQ(members.kind, Principal::Kind::Members);
    EXPECT_EQ(members.orgId, snap->orgNamed(kDistrict)->id);
    EXPECT_EQ(members.role, "区長");

    Principal person = gov_->parsePrincipal("person:ito");
    EXPECT_EQ(person.kind, Principal::Kind::Person);
    EXPECT_GT(person.userId, 0);
    EXPECT_EQ(snap->describe(person), "person:ito");
}

TEST_F(GovernanceTest, ParsePrincipalRefusesTheRestInJapanese) {
    const std::string a = kAssoc, d = kDistrict;
    const std::vector<std::string> refused = {"",
                                              "区長",
                                              "group:" + a + "/区長",
                                              "role:" + a,
                                              "role:" + a + "/社長",
                                              "role:存在しない自治会/区長",
                                              "role:" + d + "/区長",
                                              "members:" + a + "/区長",
                                              "members:" + d + "/地区会長",
                                              "person:nobody",
                                              "person:",
                                              "ROLE:" + a + "/区長",
                                              " role:" + a + "/区長"};
    for (const std::string& text : refused) {
        try {
            gov_->parsePrincipal(text);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const GovernanceError& e) {
            EXPECT_TRUE(hasJapanese(e.japanese())) << text << ": " << e.japanese();
            EXPECT_FALSE(std::string(e.what()).empty());
        }
    }
}

// Regression: `role assign YAMADA …` and `acl grant … person:Yamada` said the person was
// unknown although logins match names in any case.
TEST_F(GovernanceTest, RegressionPeopleAreNamedInAnyCase) {
    auto a =
        gov_->assign("YAMADA", "区長", kAssoc, Date::of(2025, 4, 1), Date::of(2026, 3, 31), actor_);
    auto b =
        gov_->assign("yamada", "会計", kAssoc, Date::of(2025, 4, 1), Date::of(2026, 3, 31), actor_);
    EXPECT_EQ(a.userId, b.userId);
    EXPECT_EQ(gov_->parsePrincipal("person:Yamada").userId, a.userId);
}

// A role that does not change hands (会員) may be held without an end date: the holding
// gives rights on any later day, ends like any other, and overlaps every later term.
TEST_F(GovernanceTest, AnOpenEndedHoldingLastsUntilItIsEnded) {
    auto open =
        gov_->assign("ito", "会員", kAssoc, Date::of(2025, 4, 1), Governance::openEnd(), actor_);
    EXPECT_TRUE(open.openEnded());
    User ito;
    {
        auto lease = db_->lease();
        ito = *db::users::find(**lease, "ito");
    }
    for (const auto& day : {Date::of(2025, 4, 1), Date::of(2027, 5, 1), Date::of(2040, 1, 1)}) {
        EXPECT_EQ(policy_->decide(policy_->subjectFor(ito, day), path(in(kAssoc, "回覧"))).rights,
                  Rights::Read)
            << day.str();
    }
    EXPECT_EQ(policy_->subjectFor(ito, Date::of(2025, 3, 31)).held.size(), 0u);
    EXPECT_THROW(
        gov_->assign("ito", "会員", kAssoc, Date::of(2031, 4, 1), Date::of(2032, 3, 31), actor_),
        GovernanceError);
    auto last = gov_->endAssignment(open.id, Date::of(2027, 6, 30), actor_);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->str(), "2027-06-30");
    EXPECT_FALSE(gov_->assignments(std::nullopt, std::nullopt)[0].openEnded());
}

// The April renewal: last year's holders who end with the year are carried over, once;
// those who hold the role already, end early or have no end date are left alone.
TEST_F(GovernanceTest, RenewalCarriesLastYearsHoldersOverOnce) {
    for (const char* name : {"yamada", "suzuki", "ito"}) assignR7(name, "会員");
    assignR7("sato", "班長");
    gov_->assign("kato", "会員", kAssoc, Date::of(2025, 4, 1), Date::of(2025, 12, 31), actor_);
    gov_->assign("kato", "班長", kAssoc, Date::of(2025, 4, 1), Governance::openEnd(), actor_);
    gov_->assign("ito", "会員", kAssoc, Date::of(2026, 4, 1), Date::of(2027, 3, 31), actor_);

    RenewalPlan plan = gov_->planRenewal(kAssoc, FiscalYear{2026}, {});
    ASSERT_EQ(plan.carried.size(), 3u);
    EXPECT_EQ(plan.carried[0].from.role, "班長");  // the catalogue's order, then by name
    EXPECT_EQ(plan.carried[0].from.userName, "sato");
    EXPECT_EQ(plan.carried[1].from.userName, "suzuki");
    EXPECT_EQ(plan.carried[2].from.userName, "yamada");
    EXPECT_EQ(plan.carried[2].start, "2026-04-01");
    EXPECT_EQ(plan.carried[2].end, "2027-03-31");
    EXPECT_EQ(plan.alreadyAssigned, 1u);                                  // ito
    EXPECT_EQ(gov_->assignments(std::nullopt, std::nullopt).size(), 7u);  // a plan changes nothing

    EXPECT_EQ(gov_->planRenewal(kAssoc, FiscalYear{2026}, {"会員"}).carried.size(), 2u);
    EXPECT_THROW(gov_->planRenewal(kAssoc, FiscalYear{2026}, {"村長"}), GovernanceError);
    EXPECT_THROW(gov_->planRenewal("西町", FiscalYear{2026}, {}), GovernanceError);

    auto made = gov_->renew(plan, actor_);
    ASSERT_EQ(made.size(), 3u);
    for (const auto& a : made) {
        EXPECT_EQ(a.start, "2026-04-01");
        EXPECT_NE(a.renewedFrom, 0);
    }
    EXPECT_EQ(gov_->assignments(kAssoc, Date::of(2026, 5, 1)).size(), 5u);
    // Again: nothing left to carry, and the old plan is refused whole.
    EXPECT_TRUE(gov_->planRenewal(kAssoc, FiscalYear{2026}, {}).carried.empty());
    EXPECT_THROW(gov_->renew(plan, actor_), GovernanceError);
    EXPECT_EQ(gov_->assignments(std::nullopt, std::nullopt).size(), 10u);
}

// Part of the list (the admin page's ticks); a term the plan does not carry is refused
// and nothing changes.
TEST_F(GovernanceTest, RenewalOfPartOfTheListIsAllOrNothing) {
    auto a = assignR7("yamada", "会員");
    auto b = assignR7("suzuki", "会員");
    RenewalPlan plan = gov_->planRenewal(kAssoc, FiscalYear{2026}, {"会員"});
    EXPECT_THROW(gov_->renew(plan, actor_, std::vector<std::int64_t>{a.id, 999999}),
                 GovernanceError);
    EXPECT_EQ(gov_->assignments(std::nullopt, std::nullopt).size(), 2u);
    auto made = gov_->renew(plan, actor_, std::vector<std::int64_t>{b.id});
    ASSERT_EQ(made.size(), 1u);
    EXPECT_EQ(made[0].userName, "suzuki");
    EXPECT_EQ(made[0].renewedFrom, b.id);
}
