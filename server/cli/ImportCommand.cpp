// kiroku import SRC --to PATH [--dry-run] [--skip-duplicates]
#include "cli/Env.h"
#include "core/FiscalYear.h"
#include "import/Importer.h"

#include <unistd.h>

#include <chrono>
#include <iomanip>
#include <map>
#include <memory>
#include <sstream>

namespace kiroku::cli {

namespace {

using import::Action;

std::string megabytes(std::uint64_t bytes) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (1024.0 * 1024.0);
    return s.str();
}

const char* actionCode(Action a) {
    switch (a) {
        case Action::AddFolder:
            return "cli.import.action.add_folder";
        case Action::FolderExists:
            return "cli.import.action.folder_exists";
        case Action::Add:
            return "cli.import.action.add";
        case Action::Update:
            return "cli.import.action.update";
        case Action::Same:
            return "cli.import.action.same";
        case Action::KeepDrives:
            return "cli.import.action.keep_drives";
        case Action::Junk:
            return "cli.import.action.junk";
        case Action::BadName:
            return "cli.import.action.bad_name";
        case Action::Clash:
            return "cli.import.action.clash";
        case Action::Unreadable:
            return "cli.import.action.unreadable";
    }
    return "cli.import.action.add";
}

// One line per file or folder the import does something with or leaves out for a
// reason; those already in place (the same bytes, an existing folder) only count.
void printItems(Env& env, const import::Plan& plan) {
    for (const import::Item& i : plan.items) {
        if (i.action == Action::Same || i.action == Action::FolderExists) continue;
        std::string line = "  " + env.text(msg(actionCode(i.action))) + "  " + i.source;
        if (i.isFolder) line += "/";
        if (!i.target.isRoot()) line += "  -> /" + i.target.str();
        if (!i.isFolder && (i.action == Action::Add || i.action == Action::Update)) {
            std::string year = FiscalYear{i.year}.japanese();
            if (env.lang == "en") year = "FY" + std::to_string(i.year);
            line += "  " +
                    env.text(msg(i.yearFromName ? "cli.import.year_name" : "cli.import.year_date",
                                 {{"year", year}}));
        }
        env.out << line << "\n";
        if (i.fromCp932 && !i.target.isRoot() && i.action != Action::Junk)
            env.out << "      " << env.text(msg("cli.import.note_cp932")) << "\n";
        if (i.nameAdjusted)
            env.out << "      " << env.text(msg("cli.import.note_adjusted")) << "\n";
        if (i.sameAs && (i.action == Action::Add || i.action == Action::Update)) {
            env.out << "      "
                    << env.text(msg("cli.import.note_same_as", {{"path", "/" + i.sameAs->str()}}))
                    << "\n";
        }
    }
}

void printSummary(Env& env, const import::Plan& plan, bool skipDuplicates) {
    auto n = [&](Action a) { return std::to_string(plan.count(a)); };
    env.say(msg("cli.import.summary", {{"add", n(Action::Add)},
                                       {"update", n(Action::Update)},
                                       {"folders", n(Action::AddFolder)},
                                       {"mb", megabytes(plan.bytesToCopy())}}));
    env.say(msg("cli.import.summary_left", {{"same", n(Action::Same)},
                                            {"keep", n(Action::KeepDrives)},
                                            {"junk", n(Action::Junk)},
                                            {"bad", n(Action::BadName)},
                                            {"clash", n(Action::Clash)},
                                            {"unreadable", n(Action::Unreadable)}}));
    if (std::size_t d = plan.duplicates()) {
        env.say(msg(skipDuplicates ? "cli.import.duplicates_skipped" : "cli.import.duplicates",
                    {{"n", std::to_string(d)}}));
    }
    std::map<int, std::size_t> named, dated;
    for (const import::Item& i : plan.items) {
        if (i.isFolder || (i.action != Action::Add && i.action != Action::Update)) continue;
        ++(i.yearFromName ? named : dated)[i.year];
    }
    if (named.empty() && dated.empty()) return;
    env.say(msg("cli.import.years"));
    std::map<int, std::pair<std::size_t, std::size_t>> years;
    for (auto [y, c] : named) years[y].first = c;
    for (auto [y, c] : dated) years[y].second = c;
    for (auto it = years.rbegin(); it != years.rend(); ++it) {
        std::string year = FiscalYear{it->first}.japanese();
        if (env.lang == "en") year = "FY" + std::to_string(it->first);
        env.say(msg("cli.import.year_row", {{"year", year},
                                            {"named", std::to_string(it->second.first)},
                                            {"dated", std::to_string(it->second.second)}}));
    }
}

// Progress on a terminal: one line, rewritten in place at most ten times a second.
std::function<void(const import::Progress&)> progressPrinter(Env& env) {
    if (&env.out != &std::cout || !::isatty(STDOUT_FILENO)) return {};
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    return [&env, last](const import::Progress& p) {
        auto now = std::chrono::steady_clock::now();
        if (p.done < p.total && now - *last < std::chrono::milliseconds(100)) return;
        *last = now;
        env.out << "\r" << std::left << std::setw(72)
                << env.text(msg("cli.import.progress", {{"done", std::to_string(p.done)},
                                                        {"total", std::to_string(p.total)},
                                                        {"mb", megabytes(p.bytes)},
                                                        {"total_mb", megabytes(p.totalBytes)}}))
                << std::flush;
    };
}

}  // namespace

int importCommand(Env& env) {
    const std::string& source = env.arg(1, "cli.what.import_source");
    if (!env.flag("to")) throw UsageError(msg("cli.usage.import_to_needed"));
    DocPath to = DocPath::fromText(env.flags["to"]);
    bool dryRun = env.flag("dry-run");
    bool skipDuplicates = env.flag("skip-duplicates");
    import::Importer importer(*env.store, env.actor());
    import::Plan plan;
    try {
        plan = importer.plan(source, to);
    } catch (const std::runtime_error& e) {
        if (dynamic_cast<const Refusal*>(&e)) throw;
        throw StoreError(StoreError::Kind::NotFound,
                         msg("cli.import.not_a_source", {{"path", source}}));
    }
    env.say(msg("cli.import.from", {{"path", source}}));
    env.say(msg(plan.makeTo ? "cli.import.to_new" : "cli.import.to", {{"path", "/" + to.str()}}));
    printItems(env, plan);
    printSummary(env, plan, skipDuplicates);
    std::size_t work =
        plan.count(Action::Add) + plan.count(Action::Update) + plan.count(Action::AddFolder);
    if (dryRun) {
        env.say(msg("cli.import.dry_run"));
        return 0;
    }
    if (work == 0 && !plan.makeTo) {
        env.say(msg("cli.import.nothing"));
        return 0;
    }
    auto progress = progressPrinter(env);
    import::Outcome out = importer.run(plan, skipDuplicates, progress);
    if (progress) env.out << "\r" << std::string(72, ' ') << "\r";
    env.say(msg("cli.import.done", {{"added", std::to_string(out.added)},
                                    {"updated", std::to_string(out.updated)},
                                    {"folders", std::to_string(out.folders)},
                                    {"mb", megabytes(out.bytes)}}));
    for (const import::Failure& f : out.failures) {
        env.err << env.text(msg("cli.import.failed_item",
                                {{"source", f.source}, {"reason", env.text(f.message)}}))
                << "\n";
    }
    return out.failures.empty() ? 0 : 1;
}

}  // namespace kiroku::cli
