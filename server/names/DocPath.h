#pragma once
// DocPath: the path of a document or folder inside the drive, relative to its root
// ("" is the root, "議事録/令和5年度_総会.txt" a file). A DocPath is always safe: every
// segment is valid UTF-8 in Unicode NFC, has no control characters, no '/', '\\' or
// other characters Windows cannot store, is not "." or "..", and is at most 255 bytes.
// Only the factories below create one, so code that holds a DocPath never re-checks.

#include "core/Refusal.h"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kiroku {

// Thrown for a name or path that is refused; what() is a plain English reason and
// japanese() a plain Japanese one, both fit to show the person who sent it.
class BadName : public Refusal {
public:
    explicit BadName(Message message, bool hostile = true)
        : Refusal(std::move(message)), hostile_(hostile) {}
    // False for well-formed names that only break Windows' rules (reserved names,
    // < > : " | ? *, a trailing dot or space): such a name cannot exist here, so a
    // read of it is simply "not found".
    bool hostile() const { return hostile_; }

private:
    bool hostile_;
};

class DocPath {
public:
    DocPath() = default;  // the root

    // Parses a raw, still percent-encoded URL path below the service prefix, e.g.
    // "/%E8%AD%B0%E4%BA%8B%E9%8C%B2/a.txt". Empty segments (double or trailing slashes)
    // are ignored. Throws BadName for encoded '/', '\\' or NUL, bad percent escapes,
    // '.'/'..' segments, and every name rule above.
    static DocPath fromUrl(std::string_view rawPath);

    // Builds a path from already-decoded text such as "議事録/a.txt" (CLI input).
    // Applies the same rules as fromUrl.
    static DocPath fromText(std::string_view text);

    // Checks one decoded name and returns it in NFC. Throws BadName.
    static std::string checkName(std::string_view name);

    bool isRoot() const { return segments_.empty(); }
    const std::vector<std::string>& segments() const { return segments_; }
    const std::string& str() const { return joined_; }  // "a/b", "" for the root
    std::string name() const { return isRoot() ? std::string() : segments_.back(); }
    DocPath parent() const;
    DocPath child(const std::string& nfcName) const;  // name must come from checkName

    // True when this path is other or lies below it.
    bool isWithin(const DocPath& other) const;
    // Replaces the prefix `from` (which this path must be within) by `to`.
    DocPath rebased(const DocPath& from, const DocPath& to) const;

    // Percent-encoded form for hrefs: every byte outside unreserved characters is escaped.
    std::string urlEncoded() const;

    bool operator==(const DocPath& o) const { return joined_ == o.joined_; }
    bool operator!=(const DocPath& o) const { return joined_ != o.joined_; }
    bool operator<(const DocPath& o) const { return joined_ < o.joined_; }

private:
    explicit DocPath(std::vector<std::string> segments);
    template <typename ToName>
    static DocPath parse(std::string_view text, ToName toName);
    std::vector<std::string> segments_;
    std::string joined_;
};

// Percent-encodes one string (unreserved characters and '/' kept when keepSlash).
std::string percentEncode(std::string_view text, bool keepSlash);
void appendPercentEncoded(std::string& out, std::string_view text, bool keepSlash);

// Files that desktop clients create for themselves (macOS "._*" AppleDouble files,
// ".DS_Store", Windows "Thumbs.db", "desktop.ini"): stored, but marked as clutter so
// listings and the index can leave them out.
bool isClientClutter(std::string_view name);

// Case-folded form of a name, for Windows-style case-insensitive comparison.
std::string foldCase(std::string_view name);

}  // namespace kiroku
