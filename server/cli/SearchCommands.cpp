// kiroku search, index status|scan, reindex: the search index, seen from the NAS.
#include "cli/Env.h"
#include "search/Extraction.h"
#include "search/SearchService.h"

#include <cstring>

namespace kiroku::cli {

namespace {

// Scans and photos are queued for kirokud's OCR (when OCR can run here).
std::unique_ptr<SearchService> openSearch(Env& env, indexer::SearchIndex& index) {
    std::size_t workers = static_cast<std::size_t>(std::max(env.settings.extractWorkers, 1));
    auto search = std::make_unique<SearchService>(
        *env.db, *env.store, index, workerPoolExtractor(executableDir(), workers), workers);
    setUpOcr(*search, env.dir->index(), executableDir(), env.settings);
    return search;
}

// An index written by an earlier version answers wrongly: say so, and how to mend it.
bool indexIsCurrent(Env& env, const indexer::SearchIndex& index) {
    if (index.hasCurrentFormat()) return true;
    env.err << msg("cli.index.old_format").both() << "\n";
    return false;
}

}  // namespace

int searchCommand(Env& env) {
    indexer::SearchIndex index(
        env.dir->index(), indexer::NormaliseOptions{env.settings.itaiji, env.settings.timeZone});
    if (!indexIsCurrent(env, index)) return 1;
    auto search = openSearch(env, index);
    search->processQueue(1000000);
    indexer::SearchQuery q;
    for (std::size_t i = 1; i < env.args.size(); ++i) q.text += (i > 1 ? " " : "") + env.args[i];
    if (env.flag("path")) q.folder = DocPath::fromText(env.flags["path"]).str();
    if (env.flag("org")) q.organisation = env.flags["org"];
    if (env.flag("category")) q.category = env.flags["category"];
    if (env.flag("year")) q.year = yearArg("--year", env.flags["year"]).year;
    if (env.flag("type")) q.type = env.flags["type"];
    q.byDate = env.flag("sort") && env.flags["sort"] == "date";
    if (env.flag("limit"))
        q.limit =
            static_cast<std::size_t>(std::min<std::int64_t>(numberArg(env.flags["limit"]), 1000));
    // The CLI on the NAS sees everything.
    auto r = search->search(q, indexer::ReadableScope::everything());
    env.say(msg(r.totalExact ? "cli.search.total" : "cli.search.total_more",
                {{"n", std::to_string(r.total)}}));
    Message marks = msg("cli.search.marks");  // the two brackets that show a match on a terminal
    const std::string& brackets = env.text(marks);
    std::size_t split = brackets.find(' ');
    for (const auto& h : r.hits) {
        std::string snippet = h.snippet;
        for (const char* tag : {"<mark>", "</mark>"}) {
            bool closing = tag[1] == '/';
            std::string with = closing ? brackets.substr(split + 1) : brackets.substr(0, split);
            for (auto at = snippet.find(tag); at != std::string::npos; at = snippet.find(tag)) {
                snippet.replace(at, std::strlen(tag), with);
            }
        }
        env.out << "/" << h.path << "  (" << (h.year ? FiscalYear{h.year}.japanese() : "-") << ", "
                << h.type << ")\n    " << snippet << "\n";
    }
    return 0;
}

int indexCommand(Env& env) {
    indexer::SearchIndex index(
        env.dir->index(), indexer::NormaliseOptions{env.settings.itaiji, env.settings.timeZone});
    auto search = openSearch(env, index);
    const std::string& sub = env.arg(1, "cli.what.index_subcommand");
    if (sub == "scan") {
        std::size_t changes = search->processQueue(1000000);
        std::size_t scanned = search->scan();
        env.say(msg("cli.index.scanned",
                    {{"changes", std::to_string(changes)}, {"scanned", std::to_string(scanned)}}));
        return 0;
    }
    if (sub != "status") unknownSubcommand("index", sub);
    indexIsCurrent(env, index);
    IndexStatus s = search->status(1000);
    env.say(msg("cli.index.status", {{"indexed", std::to_string(s.indexed)},
                                     {"pending", std::to_string(s.pending)},
                                     {"failed", std::to_string(s.failed)}}));
    env.say(s.ocrOn ? msg("cli.index.ocr_on", {{"pending", std::to_string(s.ocrPending)},
                                               {"languages", s.ocrLanguages}})
                    : msg("cli.index.ocr_off",
                          {{"pending", std::to_string(s.ocrPending)}, {"why", s.ocrLanguages}}));
    for (const auto& f : s.failures) {
        env.out << "  " << env.text(msg("cli.index.failed")) << ": /" << f.path << "  (" << f.reason
                << ")\n";
    }
    return 0;
}

int reindexCommand(Env& env) {
    indexer::SearchIndex index(
        env.dir->index(), indexer::NormaliseOptions{env.settings.itaiji, env.settings.timeZone});
    auto search = openSearch(env, index);
    std::size_t n = search->reindex();
    env.say(msg("cli.index.rebuilt", {{"n", std::to_string(n)}}));
    return 0;
}

}  // namespace kiroku::cli
