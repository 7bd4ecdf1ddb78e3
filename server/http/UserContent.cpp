#include "http/UserContent.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>

namespace kiroku {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string baseType(std::string_view contentType) {
    std::string t = lower(contentType.substr(0, contentType.find(';')));
    while (!t.empty() && t.back() == ' ') t.pop_back();
    return t;
}

// True when `head` is UTF-8 (a character cut at its end does not count against it).
bool looksUtf8(std::string_view head) {
    const auto* s = reinterpret_cast<const uint8_t*>(head.data());
    int32_t length = static_cast<int32_t>(head.size());
    for (int32_t i = 0; i < length;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0) return length - start < 4 && i == length;  // only a cut character at the end
    }
    return true;
}

std::string percentEncoded(std::string_view name) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : name) {
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

bool isActiveContent(std::string_view contentType) {
    std::string t = baseType(contentType);
    return t == "text/html" || t == "application/xhtml+xml" || t == "image/svg+xml" ||
           t == "application/xml" || t == "text/xml" || t == "application/javascript" ||
           t == "text/javascript" || t == "application/ecmascript" || t == "text/ecmascript" ||
           t == "application/x-shockwave-flash" || t == "application/pdf+html" ||
           t.find("+xml") != std::string::npos;
}

std::string declaredType(std::string_view contentType, std::string_view head) {
    std::string t = baseType(contentType);
    if (t.rfind("text/", 0) != 0) return std::string(contentType);
    bool utf16 = head.size() >= 2 && ((head[0] == '\xFF' && head[1] == '\xFE') ||
                                      (head[0] == '\xFE' && head[1] == '\xFF'));
    if (utf16) return t + "; charset=utf-16";
    return t + (looksUtf8(head) ? "; charset=utf-8" : "; charset=shift_jis");
}

namespace {

// Names a browser would take for a page or a script, whatever type is declared.
bool activeName(std::string_view name) {
    std::string n = lower(name);
    for (const char* ext : {".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl",
                            ".xslt", ".js", ".mjs", ".swf"}) {
        std::string_view e(ext);
        if (n.size() >= e.size() && n.compare(n.size() - e.size(), e.size(), e) == 0) return true;
    }
    return false;
}

}  // namespace

void setUserContentHeaders(Poco::Net::HTTPResponse& response, std::string_view name,
                           std::string_view contentType, std::string_view head) {
    response.setContentType(declaredType(contentType, head));
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Content-Security-Policy", "sandbox; default-src 'none'");
    response.set("Cross-Origin-Resource-Policy", "same-origin");
    if (isActiveContent(contentType) || activeName(name)) {
        response.set("Content-Disposition", "attachment; filename*=UTF-8''" + percentEncoded(name));
    }
}

}  // namespace kiroku
