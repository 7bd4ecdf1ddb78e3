#include "dav/IfHeader.h"

#include <map>

namespace kiroku::dav {

namespace {

class Parser {
public:
    explicit Parser(std::string_view s) : s_(s) {}

    std::vector<IfList> parse() {
        std::vector<IfList> lists;
        std::string tag;
        skipSpace();
        if (at_end()) throw IfHeaderError("empty If header");
        while (!at_end()) {
            if (peek() == '<') {
                tag = angle();
                if (tag.empty()) throw IfHeaderError("empty resource tag");
                skipSpace();
                if (at_end() || peek() != '(') throw IfHeaderError("resource tag without a list");
            } else if (peek() == '(') {
                lists.push_back(list(tag));
            } else {
                throw IfHeaderError("unexpected character in If header");
            }
            skipSpace();
        }
        return lists;
    }

private:
    IfList list(const std::string& tag) {
        IfList l;
        l.resource = tag;
        ++pos_;  // '('
        skipSpace();
        while (!at_end() && peek() != ')') {
            IfCondition c;
            if (s_.substr(pos_, 3) == "Not") {
                c.negate = true;
                pos_ += 3;
                skipSpace();
            }
            if (at_end()) break;
            if (peek() == '<') {
                c.value = angle();
            } else if (peek() == '[') {
                c.isEtag = true;
                std::size_t end = s_.find(']', pos_);
                if (end == std::string_view::npos) throw IfHeaderError("unterminated entity tag");
                c.value = std::string(s_.substr(pos_ + 1, end - pos_ - 1));
                pos_ = end + 1;
            } else {
                throw IfHeaderError("expected a state token or an entity tag");
            }
            l.conditions.push_back(std::move(c));
            skipSpace();
        }
        if (at_end()) throw IfHeaderError("unterminated list");
        ++pos_;  // ')'
        if (l.conditions.empty()) throw IfHeaderError("empty list");
        return l;
    }

    std::string angle() {
        std::size_t end = s_.find('>', pos_);
        if (end == std::string_view::npos) throw IfHeaderError("unterminated <...>");
        std::string v(s_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
        return v;
    }
    void skipSpace() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\r' || peek() == '\n'))
            ++pos_;
    }
    bool at_end() const { return pos_ >= s_.size(); }
    char peek() const { return s_[pos_]; }

    std::string_view s_;
    std::size_t pos_ = 0;
};

}  // namespace

std::vector<IfList> parseIfHeader(std::string_view value) { return Parser(value).parse(); }

bool etagsMatch(std::string_view a, std::string_view b) {
    if (a.rfind("W/", 0) == 0) a.remove_prefix(2);
    if (b.rfind("W/", 0) == 0) b.remove_prefix(2);
    return a == b;
}

bool evaluateIf(const std::vector<IfList>& lists, const ResourceLookup& lookup) {
    std::map<std::string, std::optional<ResourceState>> cache;
    for (const auto& list : lists) {
        auto it = cache.find(list.resource);
        if (it == cache.end()) it = cache.emplace(list.resource, lookup(list.resource)).first;
        const std::optional<ResourceState>& state = it->second;
        bool all = true;
        for (const auto& c : list.conditions) {
            bool match = false;
            if (state && state->exists) {
                match = c.isEtag ? etagsMatch(c.value, state->etag)
                                 : state->lockTokens.count(c.value) > 0;
            }
            if (c.negate) match = !match;
            if (!match) {
                all = false;
                break;
            }
        }
        if (all) return true;
    }
    return false;
}

std::set<std::string> submittedTokens(const std::vector<IfList>& lists) {
    std::set<std::string> out;
    for (const auto& l : lists) {
        for (const auto& c : l.conditions) {
            if (!c.negate && !c.isEtag) out.insert(c.value);
        }
    }
    return out;
}

}  // namespace kiroku::dav
