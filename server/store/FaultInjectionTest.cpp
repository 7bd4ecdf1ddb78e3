// Fault injection for every change the store makes (the contract of LevelDB's
// fault_injection_test.cc): for each scenario, each durable step in turn
//
//   - fails with an I/O error: the call throws, and the data folder is exactly as it
//     was before (or, for a failure after the commit, exactly as after), with nothing
//     left for recovery to do and nothing for `kiroku check` to report;
//   - is where the process loses power and dies (a forked child): after a restart the
//     folder is exactly as before the change (died before its commit) or after it,
//     and `kiroku check` reports nothing.
//
// "Exactly" compares every file's bytes, every version's and trash entry's bytes, the
// dead properties and the audit log's changes (which are also the index queue).
#include "db/Audit.h"
#include "db/Nodes.h"
#include "db/Props.h"
#include "db/Trash.h"
#include "db/Versions.h"
#include "store/Checker.h"
#include "store/DocumentStore.h"
#include "store/FaultyFileSystem.h"
#include "store/FileOps.h"

#include <Poco/DigestStream.h>
#include <Poco/File.h>
#include <Poco/MD5Engine.h>
#include <Poco/TemporaryFile.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

using namespace kiroku;

namespace {

const Actor kActor{"tester", "127.0.0.1", ""};

Settings settings() {
    Settings s;
    s.keepVersions = 2;  // an overwrite of A/a.txt also prunes a version
    s.minFreeBytes = 0;
    return s;
}

void put(DocumentStore& store, const std::string& path, const std::string& text) {
    auto up =
        store.beginUpload(DocPath::fromText(path), kActor, static_cast<std::int64_t>(text.size()));
    up->write(text.data(), text.size());
    up->commit();
}

void setProp(DocumentStore& store, const std::string& path, const std::string& value) {
    PropChange c;
    c.prop = DeadProp{"urn:kiroku-test", "colour",
                      "<colour xmlns=\"urn:kiroku-test\">" + value + "</colour>"};
    store.patchProps(DocPath::fromText(path), {c}, kActor);
}

DocPath P(const char* text) { return DocPath::fromText(text); }

struct Scenario {
    const char* name;
    std::function<void(DocumentStore&)> run;
};

void PrintTo(const Scenario& s, std::ostream* os) { *os << s.name; }

const std::vector<Scenario>& scenarios() {
    static const std::vector<Scenario> list = {
        {"PutNew", [](DocumentStore& s) { put(s, "B/new.txt", "新しい文書"); }},
        {"PutOverwrite", [](DocumentStore& s) { put(s, "A/a.txt", "第4版"); }},
        {"PutOverEmpty", [](DocumentStore& s) { put(s, "empty.txt", "もう空ではない"); }},
        {"MoveFolder", [](DocumentStore& s) { s.move(P("A"), P("B/A2"), kActor); }},
        {"MoveOverwrite",
         [](DocumentStore& s) { s.move(P("b.txt"), P("B/old.txt"), kActor, true); }},
        {"CopyFolder", [](DocumentStore& s) { s.copy(P("A"), P("C"), true, kActor); }},
        {"CopyOverwrite",
         [](DocumentStore& s) { s.copy(P("b.txt"), P("B/old.txt"), true, kActor, true); }},
        {"DeleteFolder", [](DocumentStore& s) { s.remove(P("A"), kActor); }},
        {"DeleteFile", [](DocumentStore& s) { s.remove(P("b.txt"), kActor); }},
        {"RestoreTrash", [](DocumentStore& s) { s.restoreTrash(s.trash().back().id, kActor); }},
        {"RestoreVersion",
         [](DocumentStore& s) { s.restoreVersion(s.versions(P("A/a.txt")).back().id, kActor); }},
        {"MakeFolder", [](DocumentStore& s) { s.makeFolder(P("B/Sub"), kActor); }},
        {"PatchProps", [](DocumentStore& s) { setProp(s, "b.txt", "blue"); }},
        {"PurgeTrash", [](DocumentStore& s) { s.purgeTrash(s.trash().back().id, kActor); }},
    };
    return list;
}

std::string digestOf(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return "(missing)";
    if (S_ISDIR(st.st_mode)) {
        std::vector<std::string> names;
        Poco::File(path).list(names);
        std::sort(names.begin(), names.end());
        std::string out = "{";
        for (const auto& n : names) out += n + "=" + digestOf(path + "/" + n) + ";";
        return out + "}";
    }
    std::ifstream in(path, std::ios::binary);
    Poco::MD5Engine md5;
    Poco::DigestOutputStream out(md5);
    out << in.rdbuf();
    out.close();
    return Poco::DigestEngine::digestToHex(md5.digest());
}

// Everything a person or the index could see, in a canonical text.
std::string describe(const DataDir& dir, Database& db) {
    std::ostringstream out;
    out << "files " << digestOf(dir.files()) << "\n";
    auto lease = db.lease();
    auto& s = **lease;
    std::multiset<std::string> lines;
    for (const auto& v : db::versions::all(s)) {
        lines.insert("version " + v.path + " " + std::to_string(v.size) + " " +
                     digestOf(dir.versions() + "/" + v.blob));
    }
    for (const auto& t : db::trash::all(s)) {
        lines.insert("trash " + t.path + " " + (t.isDir ? "dir " : "file ") +
                     digestOf(dir.trash() + "/" + t.blob));
    }
    for (const auto& n : db::nodes::live(s)) {
        for (const auto& p : db::props::ofNode(s, n.id))
            lines.insert("prop " + *n.path + " " + p.name + " " + p.xml);
    }
    for (const auto& l : lines) out << l << "\n";
    AuditFilter all;
    all.limit = 100000;
    auto events = db::audit::query(s, all);
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
        out << "audit " << it->action << " " << it->path << " " << it->dest << " " << it->result
            << "\n";
    }
    return out.str();
}

std::string problemsOf(const DataDir& dir, Database& db) {
    std::string out;
    for (const auto& p : checkStore(dir, db).problems) out += p.what + "\n";
    return out;
}

class FaultInjection : public ::testing::TestWithParam<Scenario> {
protected:
    static void SetUpTestSuite() {
        root_ = Poco::TemporaryFile::tempName();
        Poco::File(root_).createDirectories();
        DataDir dir(root_ + "/template");
        dir.ensureLayout();
        Database db(dir.metaDb());
        DocumentStore store(dir, db, settings());
        store.makeFolder(P("A"), kActor);
        put(store, "A/a.txt", "第1版");
        put(store, "A/a.txt", "第2版");
        put(store, "A/a.txt", "第3版");
        setProp(store, "A/a.txt", "red");
        setProp(store, "A", "green");
        store.makeFolder(P("B"), kActor);
        put(store, "B/old.txt", "古い");
        put(store, "b.txt", "ビー");
        put(store, "empty.txt", "");
        store.makeFolder(P("Gone"), kActor);
        put(store, "Gone/g.txt", "消す前");
        put(store, "Gone/g.txt", "消した");
        setProp(store, "Gone/g.txt", "grey");
        store.remove(P("Gone"), kActor);
    }
    static void TearDownTestSuite() { Poco::File(root_).remove(true); }

    // A fresh copy of the template data folder.
    DataDir fresh(const std::string& name) {
        std::string path = root_ + "/" + name;
        if (Poco::File(path).exists()) Poco::File(path).remove(true);
        Poco::File(root_ + "/template").copyTo(path);
        return DataDir(path);
    }

    static std::string root_;
};

std::string FaultInjection::root_;

struct Expected {
    std::string before, after;
    int steps = 0;
    int commitStep = 0;  // the step that commits (0: none)
};

// Counting FaultyFileSystem that also remembers when the commit happened.
class CountingFileSystem : public test::FaultyFileSystem {
public:
    using FaultyFileSystem::FaultyFileSystem;
    void commit(Transaction& tx) override {
        FaultyFileSystem::commit(tx);
        commitStep = steps();
    }
    int commitStep = 0;
};

TEST_P(FaultInjection, EveryStepFailsOrCrashesCleanly) {
    const Scenario& scenario = GetParam();
    Expected e;
    {
        DataDir dir = fresh("before");
        Database db(dir.metaDb());
        e.before = describe(dir, db);
    }
    {
        DataDir dir = fresh("after");
        Database db(dir.metaDb());
        CountingFileSystem fs(posixFileSystem(), dir.root(), root_ + "/shadow-count");
        {
            DocumentStore store(dir, db, settings(), fs);
            scenario.run(store);
        }
        e.steps = fs.steps();
        e.commitStep = fs.commitStep;
        e.after = describe(dir, db);
        EXPECT_EQ(problemsOf(dir, db), "");
    }
    ASSERT_NE(e.before, e.after) << scenario.name << " changed nothing";
    ASSERT_GT(e.commitStep, 0) << scenario.name;

    for (int k = 1; k <= e.steps; ++k) {
        SCOPED_TRACE(std::string(scenario.name) + ": failure at step " + std::to_string(k) +
                     " of " + std::to_string(e.steps) + " (commit at " +
                     std::to_string(e.commitStep) + ")");
        DataDir dir = fresh("fail");
        Database db(dir.metaDb());
        test::FaultyFileSystem fs(posixFileSystem(), dir.root(), root_ + "/shadow-fail");
        fs.failAt(k, k % 3 == 0 ? ENOSPC : EIO);
        bool threw = false;
        {
            DocumentStore store(dir, db, settings(), fs);
            try {
                scenario.run(store);
            } catch (const std::exception&) {
                threw = true;
            }
        }
        EXPECT_EQ(threw, k <= e.commitStep);
        // Consistent at once, before any recovery (a failure after the commit leaves
        // only clean-up, which the next start finishes).
        EXPECT_EQ(describe(dir, db), k <= e.commitStep ? e.before : e.after);
        if (k <= e.commitStep) {
            EXPECT_EQ(problemsOf(dir, db), "");
        }
        // And after a restart.
        { DocumentStore again(dir, db, settings()); }
        EXPECT_EQ(describe(dir, db), k <= e.commitStep ? e.before : e.after);
        EXPECT_EQ(problemsOf(dir, db), "");
    }
    {
        SCOPED_TRACE(std::string(scenario.name) + ": the commit fails after it happened");
        DataDir dir = fresh("fail-after");
        Database db(dir.metaDb());
        test::FaultyFileSystem fs(posixFileSystem(), dir.root(), root_ + "/shadow-fail-after");
        fs.failAt(e.commitStep, EIO, true);
        {
            DocumentStore store(dir, db, settings(), fs);
            EXPECT_NO_THROW(scenario.run(store));
        }
        EXPECT_EQ(describe(dir, db), e.after);
        EXPECT_EQ(problemsOf(dir, db), "");
    }

    // Power cut just before each step, and just after the last.
    for (int k = 1; k <= e.steps + 1; ++k) {
        SCOPED_TRACE(std::string(scenario.name) + ": power cut before step " + std::to_string(k) +
                     " of " + std::to_string(e.steps) + " (commit at " +
                     std::to_string(e.commitStep) + ")");
        DataDir dir = fresh("crash");
        std::string shadow = root_ + "/shadow-crash-" + std::to_string(k);
        pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            try {
                Database db(dir.metaDb());
                test::FaultyFileSystem fs(posixFileSystem(), dir.root(), shadow);
                fs.crashAt(k);
                DocumentStore store(dir, db, settings(), fs);
                scenario.run(store);
                fs.powerCut();
            } catch (...) {
                _exit(2);
            }
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
            << "the child did not crash as planned";
        Database db(dir.metaDb());
        { DocumentStore restarted(dir, db, settings()); }
        EXPECT_EQ(describe(dir, db), k <= e.commitStep ? e.before : e.after);
        EXPECT_EQ(problemsOf(dir, db), "");
        // The next change works as usual.
        DocumentStore store(dir, db, settings());
        put(store, "after-restart.txt", "ok");
    }
}

INSTANTIATE_TEST_SUITE_P(Store, FaultInjection, ::testing::ValuesIn(scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& info) {
                             return std::string(info.param.name);
                         });

}  // namespace
