// 検索: the search page — one box, filters (年度, category, organisation, type), sorting,
// paging, and hits with their highlighted words. The document service searches only
// what the person may read.

#include "core/FiscalYear.h"
#include "web/Format.h"
#include "web/WebRequest.h"

#include <Poco/NumberParser.h>

#include <algorithm>

namespace kiroku::web {

namespace {

constexpr std::size_t kPerPage = 20;
constexpr std::int64_t kLastPage = 500;  // 10,000 matches: past them, a word more is better

std::string unescapeHtml(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '&') {
            static const std::pair<const char*, char> entities[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
            bool found = false;
            for (const auto& [e, c] : entities) {
                std::size_t n = std::char_traits<char>::length(e);
                if (s.compare(i, n, e) == 0) {
                    out += c;
                    i += n;
                    found = true;
                    break;
                }
            }
            if (found) continue;
        }
        out += s[i++];
    }
    return out;
}

// A snippet as the index gives it (escaped, the words found in <mark>) as pieces of plain
// text, each marked or not, for the template to escape again by construction.
struct Piece {
    std::string text;
    bool marked = false;
};
std::vector<Piece> snippetPieces(const std::string& snippet) {
    std::vector<Piece> out;
    std::size_t at = 0;
    bool marked = false;
    while (at < snippet.size()) {
        const char* tag = marked ? "</mark>" : "<mark>";
        std::size_t next = snippet.find(tag, at);
        std::string part =
            snippet.substr(at, next == std::string::npos ? std::string::npos : next - at);
        if (!part.empty()) out.push_back({unescapeHtml(part), marked});
        if (next == std::string::npos) break;
        at = next + std::char_traits<char>::length(tag);
        marked = !marked;
    }
    return out;
}

}  // namespace

void WebRequest::searchPage() {
    auto dict = pageDict(text("web.search.title"));
    dict->ShowSection("NAV_SEARCH");
    std::string q = param("q");
    dict->SetValue("Q", q);
    indexer::SearchQuery sq;
    sq.text = q;
    sq.organisation = param("org");
    sq.category = param("cat");
    sq.type = param("type");
    sq.byDate = param("sort") == "date";
    int year = 0;
    if (!param("year").empty()) {
        auto fy = FiscalYear::parse(param("year"));
        if (fy) year = fy->year;
    }
    sq.year = year;
    std::int64_t page = 1;
    Poco::NumberParser::tryParse64(param("page"), page);
    page = std::clamp<std::int64_t>(page, 1, kLastPage);
    sq.offset = static_cast<std::size_t>(page - 1) * kPerPage;
    sq.limit = kPerPage;

    // The filters: years around today, the organisations the person sees, the categories.
    int thisYear = FiscalYear::containing(Date::today()).year;
    for (int y = thisYear; y >= thisYear - 10; --y) {
        Dict* o = dict->AddSectionDictionary("YEAR_OPTION");
        o->SetValue("VALUE", std::to_string(y));
        o->SetValue("LABEL", msg("web.search.year_option", {{"year", fiscalYearText(y, lang_)},
                                                            {"western", std::to_string(y)}})
                                 .in(lang_));
        if (y == year) o->SetValue("SELECTED", "selected");
    }
    service::Me me = ctx_.admin.me(*caller_);
    for (const auto& f : me.folders) {
        Dict* o = dict->AddSectionDictionary("ORG_OPTION");
        o->SetValue("VALUE", f.path.name());
        o->SetValue("LABEL", f.path.name());
        if (f.path.name() == sq.organisation) o->SetValue("SELECTED", "selected");
    }
    for (const auto& c : ctx_.settings.categories) {
        Dict* o = dict->AddSectionDictionary("CAT_OPTION");
        o->SetValue("VALUE", c);
        o->SetValue("LABEL", c);
        if (c == sq.category) o->SetValue("SELECTED", "selected");
    }
    for (const char* t : {"pdf", "docx", "xlsx", "pptx", "text", "image"}) {
        Dict* o = dict->AddSectionDictionary("TYPE_OPTION");
        o->SetValue("VALUE", t);
        o->SetValue("LABEL", text(std::string("web.search.type.") + t));
        if (sq.type == t) o->SetValue("SELECTED", "selected");
    }
    if (sq.byDate) dict->SetValue("SORT_DATE", "selected");

    bool filtered = year || !sq.organisation.empty() || !sq.category.empty() || !sq.type.empty();
    if (q.empty() && !filtered) {
        dict->ShowSection("NO_QUERY");
        return sendPage("search", *dict);
    }
    indexer::SearchResult r = ctx_.documents.search(*caller_, sq);
    dict->ShowSection("ASKED");
    dict->SetValue("COUNT", msg(r.totalExact ? "web.search.count" : "web.search.count_more",
                                {{"count", countText(r.total)}})
                                .in(lang_));
    for (const auto& h : r.hits) {
        Dict* hit = dict->AddSectionDictionary("HIT");
        DocPath p = DocPath::fromText(h.path);
        hit->SetValue("H_NAME", h.name);
        hit->SetValue("H_HREF", fileHref(p));
        hit->SetValue("H_FOLDER", p.parent().str());
        hit->SetValue("H_FOLDER_HREF", folderHref(p.parent()));
        hit->SetValue("H_YEAR", h.year ? fiscalYearText(h.year, lang_) : text("web.none"));
        hit->SetValue("H_UPDATED", dateOfMicros(h.modifiedUs, lang_));
        hit->SetValue("H_UPDATED_ISO", isoDateOfMicros(h.modifiedUs));
        hit->SetValue("H_KIND", text(kindOf(h.name).code));
        for (const auto& piece : snippetPieces(h.snippet)) {
            Dict* s = hit->AddSectionDictionary("PIECE");
            if (piece.marked)
                s->SetValueAndShowSection("MARKED", piece.text, "IS_MARKED");
            else
                s->SetValueAndShowSection("PLAIN", piece.text, "IS_PLAIN");
        }
    }
    if (r.hits.empty()) dict->ShowSection("NOTHING");
    // Past the exact count, the number of pages is not known: the page is numbered alone,
    // and "next" is there while more matches follow.
    const std::size_t pages = (r.total + kPerPage - 1) / kPerPage;
    const bool more = r.totalExact ? static_cast<std::size_t>(page) < pages : page < kLastPage;
    auto pageHref = [&](std::int64_t n) {
        return query("/search", {{"q", q},
                                 {"year", year ? std::to_string(year) : std::string()},
                                 {"org", sq.organisation},
                                 {"cat", sq.category},
                                 {"type", sq.type},
                                 {"sort", sq.byDate ? "date" : ""},
                                 {"page", std::to_string(n)}});
    };
    if (pages > 1 || page > 1 || more) {
        dict->ShowSection("PAGING");
        dict->SetValue(
            "PAGE_TEXT",
            r.totalExact
                ? msg("web.search.page",
                      {{"page", std::to_string(page)}, {"pages", std::to_string(pages)}})
                      .in(lang_)
                : msg("web.search.page_of_many", {{"page", std::to_string(page)}}).in(lang_));
        if (page > 1) dict->SetValueAndShowSection("PREV_HREF", pageHref(page - 1), "HAS_PREV");
        if (more) dict->SetValueAndShowSection("NEXT_HREF", pageHref(page + 1), "HAS_NEXT");
    }
    sendPage("search", *dict);
}

}  // namespace kiroku::web
