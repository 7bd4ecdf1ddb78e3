#pragma once
// For the tests of acl/ (test-only): a fresh data folder with its meta.db, store,
// Governance and AccessPolicy on the default Settings, the people given, and the three
// levels of organisation (みどり市 > 東山地区 > 桜ヶ丘自治区). Removed after each test.

#include "acl/Governance.h"
#include "acl/Policy.h"
#include "db/Users.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>

namespace kiroku::acl {

class GovernanceFixture : public ::testing::Test {
protected:
    static constexpr const char* kCity = "みどり市";
    static constexpr const char* kDistrict = "東山地区";
    static constexpr const char* kAssoc = "桜ヶ丘自治区";

    // The data folder, with `people` (no administrators) and the three organisations.
    void setUpWith(std::initializer_list<const char*> people) {
        root_ = Poco::TemporaryFile::tempName();
        dir_ = std::make_unique<DataDir>(root_);
        dir_->ensureLayout();
        db_ = std::make_unique<Database>(dir_->metaDb());
        store_ = std::make_unique<DocumentStore>(*dir_, *db_, settings_);
        gov_ = std::make_unique<Governance>(*db_, *store_, settings_);
        policy_ = std::make_unique<AccessPolicy>(*db_, settings_);
        {
            // People only need to exist here; a real password hash would cost a KDF each.
            auto lease = db_->lease();
            for (const char* name : people) {
                db::users::add(**lease, name, name, "pbkdf2-sha256$1$AAAA$AAAA");
            }
        }
        gov_->addOrg(kCity, OrgKind::City, "", actor_);
        gov_->addOrg(kDistrict, OrgKind::District, kCity, actor_);
        gov_->addOrg(kAssoc, OrgKind::Association, kDistrict, actor_);
    }
    void TearDown() override {
        policy_.reset();
        gov_.reset();
        store_.reset();
        db_.reset();
        if (!root_.empty()) Poco::File(root_).remove(true);
    }

    std::string root_;
    Settings settings_;
    Actor actor_{"kiroku-cli", "local", ""};
    std::unique_ptr<DataDir> dir_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<DocumentStore> store_;
    std::unique_ptr<Governance> gov_;
    std::unique_ptr<AccessPolicy> policy_;
};

}  // namespace kiroku::acl
