#pragma once
// What every kiroku command works with: its arguments and flags, the streams, the
// language it speaks, and — once opened — the data folder, the database and the store.
// Internal to cli/.

#include "acl/Governance.h"
#include "core/DataDir.h"
#include "core/FiscalYear.h"
#include "core/Refusal.h"
#include "core/Settings.h"
#include "db/Database.h"
#include "messages/Messages.h"
#include "store/DocumentStore.h"

#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace kiroku::cli {

// A command line that cannot be run as written: exit code 2, with the usage.
class UsageError : public std::runtime_error {
public:
    explicit UsageError(Message m) : std::runtime_error(m.en), message(std::move(m)) {}
    Message message;
};

// A --data folder that is not a data directory (no meta.db): exit code 2, one line that
// names the folder and says what to do. Nothing has been created.
class NotADataDirectory : public Refusal {
public:
    using Refusal::Refusal;
};

// Throws NotADataDirectory unless `dir` is a data directory (DataDir::isDataDirectory).
void requireDataDirectory(const DataDir& dir);

struct Env {
    std::vector<std::string> args;
    std::map<std::string, std::string> flags;
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
    std::string lang = "ja";  // ja or en
    std::unique_ptr<DataDir> dir;
    std::unique_ptr<Database> db;
    std::unique_ptr<DocumentStore> store;
    Settings settings;

    Env(std::istream& i, std::ostream& o, std::ostream& e) : in(i), out(o), err(e) {}

    // The i-th argument; `what` names it (a catalogue code) when it is missing.
    const std::string& arg(std::size_t i, const char* what) const;
    bool flag(const std::string& name) const { return flags.count(name) > 0; }
    // Opens the data directory that `kiroku init` or kirokud's first start made, with its
    // configuration, database and store (a missing sub-folder is made again), and makes the
    // configured time zone this process's clock, warning on `err` when the date is faked.
    // Throws NotADataDirectory, creating nothing, when dataDir has no meta.db, and
    // ClockError for an unknown zone or a malformed KIROKU_TODAY / KIROKU_NOW.
    void open(const std::string& dataDir, const std::string& configFile);
    // Prints a message of the catalogue in the CLI's language, and a line break.
    void say(const Message& m);
    const std::string& text(const Message& m) const { return m.in(lang); }
    Actor actor() const;
    acl::Governance governance() { return acl::Governance(*db, *store, settings); }
};

// An unknown subcommand of `command`: a usage error that names the ones there are.
[[noreturn]] void unknownSubcommand(const std::string& command, const std::string& sub);
Date dateArg(const std::string& text);
// A fiscal year given as R7, 令和7年度 or 2025.
FiscalYear yearArg(const std::string& flag, const std::string& text);
std::int64_t numberArg(const std::string& text);
// A password: from a prompt on a terminal (asked twice), else a line of standard input.
std::string readPassword(Env& env, const Message& prompt);

int userCommand(Env& env);
int trashCommand(Env& env);
int versionsCommand(Env& env);
int checkCommand(Env& env);
int orgCommand(Env& env);
int roleCommand(Env& env);
int aclCommand(Env& env);
// kiroku access PERSON [PATH] [--on DATE]: what the person can open and do that day, and why.
int accessCommand(Env& env);
int auditCommand(Env& env);
int searchCommand(Env& env);
int indexCommand(Env& env);
int reindexCommand(Env& env);
int demoCommand(Env& env);
int handoverCommand(Env& env);
int importCommand(Env& env);
// The demo's handover under way: the record of `user`'s term in the role this fiscal year,
// opened now, with a note, an open matter, a contact and two items (once).
void addDemoHandover(Env& env, const std::string& org, const std::string& role,
                     const std::string& user);
// Before Env::open: init makes the data directory, only if it is new or empty.
int initCommand(Env& env, const std::string& dataDir, const std::string& configFile);
// Before Env::open: neither may create meta.db or touch tmp/ of the data folder.
int backupCommand(Env& env, const std::string& dataDir, const std::string& configFile);
int restoreCommand(Env& env, const std::string& dataDir, const std::string& configFile);

}  // namespace kiroku::cli
