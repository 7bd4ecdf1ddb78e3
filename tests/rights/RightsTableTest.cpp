// The rights table (cases.tsv), evaluated against the library: the same setup
// (setup.txt, through the kiroku CLI) and the same questions WebDAV asks AccessPolicy.
// rights_http_test.sh runs the same cases over HTTP against a real kirokud.
#include "acl/Policy.h"
#include "auth/UserDirectory.h"
#include "cli/Commands.h"
#include "core/DataDir.h"

#include <Poco/File.h>
#include <Poco/StringTokenizer.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace kiroku;

namespace {

struct Case {
    std::string date, person, operation, folder, expected;
    int line = 0;
};

std::vector<std::string> lines(const std::string& file) {
    std::ifstream in(file);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) {
        if (!l.empty() && l[0] != '#') out.push_back(l);
    }
    return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

class RightsTable : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = Poco::TemporaryFile::tempName();
        for (const auto& line : lines(std::string(KIROKU_RIGHTS_DIR) + "/setup.txt")) {
            std::vector<std::string> args = {"--data", root_};
            for (const auto& a : split(line, ' ')) {
                if (!a.empty()) args.push_back(a);
            }
            std::istringstream password("password-123\n");
            std::ostringstream out, err;
            ASSERT_EQ(cli::run(args, password, out, err), 0) << line << ": " << err.str();
        }
    }
    void TearDown() override {
        users_.reset();
        policy_.reset();
        db_.reset();
        Poco::File(root_).remove(true);
    }
    // The setup's database, opened once the CLI has written it.
    void open() {
        dir_ = std::make_unique<DataDir>(root_);
        db_ = std::make_unique<Database>(dir_->metaDb());
        policy_ = std::make_unique<acl::AccessPolicy>(*db_, settings_);
        users_ = std::make_unique<UserDirectory>(*db_);
    }
    std::string root_;
    Settings settings_;
    std::unique_ptr<DataDir> dir_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<acl::AccessPolicy> policy_;
    std::unique_ptr<UserDirectory> users_;
};

}  // namespace

TEST_F(RightsTable, EveryCaseHoldsAgainstTheLibrary) {
    open();
    acl::AccessPolicy& policy = *policy_;
    UserDirectory& users = *users_;
    int checked = 0;
    int lineNo = 0;
    std::ifstream in(std::string(KIROKU_RIGHTS_DIR) + "/cases.tsv");
    for (std::string l; std::getline(in, l);) {
        ++lineNo;
        if (l.empty() || l[0] == '#') continue;
        auto f = split(l, '\t');
        ASSERT_EQ(f.size(), 5u) << "cases.tsv:" << lineNo;
        Case c{f[0], f[1], f[2], f[3], f[4], lineNo};
        auto user = users.find(c.person);
        ASSERT_TRUE(user) << c.person;
        auto date = Date::parse(c.date);
        ASSERT_TRUE(date) << c.date;
        acl::Subject who = policy.subjectFor(*user, *date);
        DocPath path = DocPath::fromText(c.folder);
        acl::Decision d = policy.decide(who, path);
        bool visible = d.allows(acl::Rights::Read) || policy.canTraverse(who, path);
        acl::Rights wanted = c.operation == "read"    ? acl::Rights::Read
                             : c.operation == "write" ? acl::Rights::Write
                                                      : acl::Rights::Manage;
        std::string actual;
        if (!visible) {
            actual = "404";
        } else if (c.operation == "read" || d.allows(wanted)) {
            actual = "allow";
        } else {
            actual = "403";
        }
        EXPECT_EQ(actual, c.expected) << "cases.tsv:" << c.line << ": " << l << " (rights "
                                      << acl::rightsName(d.rights) << " via " << d.via << ")";
        ++checked;
    }
    EXPECT_GE(checked, 50);
}

TEST_F(RightsTable, FlipHappensAtMidnightOnAprilFirstWithoutAnyChange) {
    open();
    acl::AccessPolicy& policy = *policy_;
    UserDirectory& users = *users_;
    DocPath minutes = DocPath::fromText("桜ヶ丘自治区/議事録");
    auto rights = [&](const char* person, const char* date) {
        return policy.decide(policy.subjectFor(*users.find(person), *Date::parse(date)), minutes)
            .rights;
    };
    EXPECT_EQ(rights("nakamura", "2026-03-31"), acl::Rights::Manage);
    EXPECT_EQ(rights("yoshida", "2026-03-31"), acl::Rights::None);
    EXPECT_EQ(rights("nakamura", "2026-04-01"), acl::Rights::Read);  // grace period
    EXPECT_EQ(rights("yoshida", "2026-04-01"), acl::Rights::Manage);
    EXPECT_EQ(rights("nakamura", "2026-05-01"), acl::Rights::None);  // 30 days later
}

TEST_F(RightsTable, TheAuditLogIsAppendOnly) {
    open();
    auto lease = db_->lease();
    using Poco::Data::Keywords::now;
    EXPECT_THROW((**lease << "UPDATE audit SET user = 'someone-else'", now), Poco::Exception);
    EXPECT_THROW((**lease << "DELETE FROM audit", now), Poco::Exception);
    int count = 0;
    **lease << "SELECT count(*) FROM audit WHERE action IN ('org-add', 'role-assign', 'acl-grant')",
        Poco::Data::Keywords::into(count), Poco::Data::Keywords::now;
    EXPECT_EQ(count, 6 + 10 + 2);  // every organisation, term and grant of setup.txt
}
