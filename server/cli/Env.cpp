#include "cli/Env.h"

#include "auth/UserDirectory.h"
#include "core/Clock.h"

#include <Poco/File.h>
#include <Poco/NumberParser.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <termios.h>
#include <unistd.h>

namespace kiroku::cli {

const std::string& Env::arg(std::size_t i, const char* what) const {
    if (i >= args.size()) throw UsageError(msg("cli.usage.missing", {{"what", text(msg(what))}}));
    return args[i];
}

void requireDataDirectory(const DataDir& dir) {
    if (dir.isDataDirectory()) return;
    bool exists = Poco::File(dir.root()).exists();
    throw NotADataDirectory(
        msg(exists ? "cli.data.not_data_dir" : "cli.data.missing", {{"path", dir.root()}}));
}

void Env::open(const std::string& dataDir, const std::string& configFile) {
    dir = std::make_unique<DataDir>(dataDir);
    requireDataDirectory(*dir);
    dir->ensureLayout();
    std::string file = configFile.empty() ? dir->properties() : configFile;
    if (!configFile.empty() && !Poco::File(file).exists()) {
        throw UsageError(msg("cli.usage.no_config", {{"path", file}}));
    }
    if (Poco::File(file).exists()) {
        Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config(
            new Poco::Util::PropertyFileConfiguration(file));
        settings = Settings::from(*config);
    }
    // Today for terms and rights is the association's, as kirokud's; a faked date is said
    // once, on stderr, so that output meant for a pipe stays clean.
    if (auto warning = Clock::install(settings.timeZone)->fakeWarning()) {
        err << "kiroku: " << warning->both() << "\n";
    }
    db = std::make_unique<Database>(dir->metaDb(), 2);
    store = std::make_unique<DocumentStore>(*dir, *db, settings);
}

void Env::say(const Message& m) { out << text(m) << "\n"; }

Actor Env::actor() const { return Actor{"kiroku-cli", "local", msg("label.admin_cli").ja}; }

void unknownSubcommand(const std::string& command, const std::string& sub) {
    throw UsageError(msg("cli.usage.unknown_subcommand", {{"command", command}, {"sub", sub}}));
}

Date dateArg(const std::string& text) {
    auto d = Date::parse(text);
    if (!d) throw UsageError(msg("cli.usage.bad_date", {{"text", text}}));
    return *d;
}

FiscalYear yearArg(const std::string& flag, const std::string& text) {
    auto fy = FiscalYear::parse(text);
    if (!fy) throw UsageError(msg("cli.usage.bad_year", {{"flag", flag}, {"text", text}}));
    return *fy;
}

std::int64_t numberArg(const std::string& text) {
    Poco::Int64 n = 0;
    if (!Poco::NumberParser::tryParse64(text, n) || n < 1) {
        throw UsageError(msg("cli.usage.bad_number", {{"text", text}}));
    }
    return n;
}

std::string readPassword(Env& env, const Message& prompt) {
    if (&env.in == &std::cin && ::isatty(STDIN_FILENO)) {
        auto ask = [&](const std::string& text) {
            termios old{};
            ::tcgetattr(STDIN_FILENO, &old);
            termios quiet = old;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
            env.err << text << ": " << std::flush;
            std::string line;
            std::getline(std::cin, line);
            ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
            env.err << "\n";
            return line;
        };
        std::string first = ask(env.text(prompt));
        if (ask(env.text(msg("cli.password.again"))) != first)
            throw UserError(msg("user.passwords_differ"));
        return first;
    }
    std::string line;
    if (!std::getline(env.in, line)) throw UsageError(msg("cli.usage.no_password"));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace kiroku::cli
