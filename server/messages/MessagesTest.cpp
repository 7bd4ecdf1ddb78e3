// The message catalogue is complete: every message has Japanese and English text with
// the same placeholders, every code the sources name exists (and every message is
// used), and no Japanese text is written in the server's code outside the catalogue —
// but for the data that is not a message: the configurable catalogue of roles and
// folders with the configuration file's comments (core/Settings), and era names
// (core/FiscalYear).
#include "messages/Messages.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace kiroku;

namespace {

const std::string kServer = KIROKU_SOURCE_DIR "/server";

void sourcesIn(const std::string& dir, std::vector<std::string>& out) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n == "." || n == "..") continue;
        std::string p = dir + "/" + n;
        struct stat st {};
        ::stat(p.c_str(), &st);
        if (S_ISDIR(st.st_mode))
            sourcesIn(p, out);
        else if (n.size() > 4 &&
                 (n.substr(n.size() - 4) == ".cpp" || n.substr(n.size() - 2) == ".h"))
            out.push_back(p);
    }
    ::closedir(d);
}

std::string slurp(const std::string& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The source without its comments (string literals kept).
std::string withoutComments(const std::string& s) {
    std::string out;
    bool inString = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < s.size())
                out += s[++i];
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
            out += c;
        } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
            while (i < s.size() && s[i] != '\n') ++i;
            out += '\n';
        } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
            i = s.find("*/", i + 2);
            if (i == std::string::npos) break;
            ++i;
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<std::string> literals(const std::string& code) {
    std::vector<std::string> out;
    static const std::regex lit(R"re("((?:[^"\\\n]|\\.)*)")re");
    for (auto it = std::sregex_iterator(code.begin(), code.end(), lit);
         it != std::sregex_iterator(); ++it) {
        out.push_back((*it)[1]);
    }
    return out;
}

bool isTest(const std::string& file) {
    return file.find("Test.cpp") != std::string::npos ||
           file.find("TestSupport.h") != std::string::npos ||
           file.find("FaultyFileSystem") != std::string::npos;
}

std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> out;
    static const std::regex ph(R"(\{([a-z_]+)\})");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), ph); it != std::sregex_iterator();
         ++it) {
        out.insert((*it)[1]);
    }
    return out;
}

}  // namespace

TEST(MessageCatalogue, EveryMessageHasJapaneseAndEnglishWithTheSamePlaceholders) {
    ASSERT_GT(messageCatalogue().size(), 100u);
    for (const auto& [code, texts] : messageCatalogue()) {
        EXPECT_FALSE(texts.first.empty()) << code << " has no Japanese";
        EXPECT_FALSE(texts.second.empty()) << code << " has no English";
        // A message may name a placeholder in one language only when the other names
        // its twin (problems_ja / problems_en).
        auto ja = placeholders(texts.first), en = placeholders(texts.second);
        for (auto* set : {&ja, &en}) {
            for (const char* tail : {"_ja", "_en"}) {
                for (auto it = set->begin(); it != set->end();) {
                    it = it->size() > 3 && it->compare(it->size() - 3, 3, tail) == 0
                             ? set->erase(it)
                             : std::next(it);
                }
            }
        }
        EXPECT_EQ(ja, en) << code << ": the two texts have different placeholders";
    }
}

TEST(MessageCatalogue, PlaceholdersAreFilled) {
    Message m = msg("doc.case_twin", {{"name", "Report.txt"}});
    EXPECT_NE(m.ja.find("「Report.txt」"), std::string::npos) << m.ja;
    EXPECT_NE(m.en.find("\"Report.txt\""), std::string::npos) << m.en;
    EXPECT_EQ(m.code, "doc.case_twin");
    EXPECT_THROW(msg("no.such.code"), std::logic_error);
}

// The web pages' templates name catalogue texts as {{t:code}} (web/Renderer.h).
std::string allTemplates() {
    std::string all;
    for (const auto& entry :
         std::filesystem::directory_iterator(KIROKU_SOURCE_DIR "/web/templates"))
        all += slurp(entry.path().string());
    return all;
}

TEST(MessageCatalogue, EveryTextATemplateNamesExists) {
    std::string all = allTemplates();
    static const std::regex named(R"(\{\{t:([a-z0-9_.-]+)\}\})");
    int count = 0;
    for (std::sregex_iterator it(all.begin(), all.end(), named), end; it != end; ++it, ++count) {
        EXPECT_TRUE(messageCatalogue().count((*it)[1].str())) << (*it)[1].str();
    }
    EXPECT_GT(count, 100);
}

TEST(MessageCatalogue, EveryCodeTheSourcesNameExistsAndEveryMessageIsUsed) {
    std::vector<std::string> files;
    sourcesIn(kServer, files);
    std::set<std::string> prefixes;
    for (const auto& [code, texts] : messageCatalogue())
        prefixes.insert(code.substr(0, code.find('.')));
    static const std::regex codeLike(R"(^[a-z]+(\.[a-z0-9_]+)+$)");
    std::set<std::string> named;
    for (const auto& f : files) {
        // Settings names configuration keys (http.listen …), which look like codes.
        if (isTest(f) || f == kServer + "/core/Settings.cpp") continue;
        for (const auto& l : literals(withoutComments(slurp(f)))) {
            if (!std::regex_match(l, codeLike) || !prefixes.count(l.substr(0, l.find('.'))))
                continue;
            // Files the catalogue does not hold (meta.db, kiroku.properties …) are not codes.
            if (l.rfind("meta.", 0) == 0 || l.rfind("kiroku.", 0) == 0) continue;
            named.insert(l);
            EXPECT_TRUE(messageCatalogue().count(l))
                << f << " names " << l << ", which the catalogue does not have";
        }
    }
    std::string page = allTemplates();
    for (const auto& [code, texts] : messageCatalogue()) {
        if (named.count(code)) continue;
        // Named by a part: "org.kind." + orgKindName(kind), "web.done." + what was done …
        bool composed = false;
        for (const char* prefix : {"org.kind.", "web.done.", "web.search.type.",
                                   "web.settings.size.", "web.settings.lang.", "web.audit.action.",
                                   "web.acl.rights.", "web.orgs.kind.", "handover.status."}) {
            composed = composed || code.rfind(prefix, 0) == 0;
        }
        if (composed) continue;
        if (page.find("{{t:" + code + "}}") != std::string::npos) continue;
        ADD_FAILURE() << code << " is in the catalogue but nothing uses it";
    }
}

TEST(MessageCatalogue, NoJapaneseTextInTheServerOutsideTheCatalogue) {
    std::vector<std::string> files;
    sourcesIn(kServer, files);
    const std::set<std::string> data = {kServer + "/core/Settings.h",
                                        kServer + "/core/Settings.cpp",
                                        kServer + "/core/FiscalYear.cpp",
                                        // era and weekday names: calendar data
                                        kServer + "/web/Format.cpp"};
    static const std::regex nonAscii("[\\x80-\\xff]");
    for (const auto& f : files) {
        if (isTest(f) || data.count(f)) continue;
        for (const auto& l : literals(withoutComments(slurp(f)))) {
            EXPECT_FALSE(std::regex_search(l, nonAscii))
                << f << " writes \"" << l << "\" itself: put it in the catalogue";
        }
    }
    EXPECT_FALSE(std::regex_search(allTemplates(), nonAscii))
        << "a template of web/templates writes Japanese itself";
}
