#include "backup/Manifest.h"

#include "backup/BackupError.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kiroku::backup {

namespace {

constexpr const char* kHeader = "# kiroku-backup 1";

std::string escape(const std::string& path) {
    std::string out;
    for (char c : path) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += c;
        }
    }
    return out;
}

bool unescape(const std::string& text, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out += text[i];
            continue;
        }
        if (++i == text.size()) return false;
        switch (text[i]) {
            case '\\':
                out += '\\';
                break;
            case 't':
                out += '\t';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            default:
                return false;
        }
    }
    return true;
}

std::string timeText(std::int64_t ns) {
    std::int64_t sec = ns / 1000000000, frac = ns % 1000000000;
    if (frac < 0) {
        frac += 1000000000;
        sec -= 1;
    }
    char buf[48];
    std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(sec),
                  static_cast<long long>(frac));
    return buf;
}

bool parseTime(const std::string& text, std::int64_t& ns) {
    auto dot = text.find('.');
    if (dot == std::string::npos || text.size() - dot - 1 != 9) return false;
    char* end = nullptr;
    errno = 0;
    long long sec = std::strtoll(text.c_str(), &end, 10);
    if (errno || end != text.c_str() + dot) return false;
    long long frac = std::strtoll(text.c_str() + dot + 1, &end, 10);
    if (errno || *end || frac < 0) return false;
    ns = static_cast<std::int64_t>(sec) * 1000000000 + frac;
    return true;
}

bool isHex64(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

bool safePath(const std::string& p) {
    if (p.empty() || p[0] == '/' || p.back() == '/') return false;
    std::size_t at = 0;
    while (at <= p.size()) {
        std::size_t next = p.find('/', at);
        if (next == std::string::npos) next = p.size();
        std::string part = p.substr(at, next - at);
        if (part.empty() || part == "." || part == ".." || part.find('\0') != std::string::npos)
            return false;
        at = next + 1;
    }
    return true;
}

BackupError malformed(std::size_t line, const std::string& why) {
    return BackupError(msg("backup.manifest_line", {{"line", std::to_string(line)}, {"why", why}}));
}

}  // namespace

std::string Manifest::text() const {
    std::ostringstream out;
    out << kHeader << "\n";
    for (const auto& n : notes) out << "# " << escape(n) << "\n";
    out << "# type\tmode\tmtime\tsize\tsha256\tpath\n";
    for (const auto& e : entries) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(e.mode & 07777));
        out << (e.folder ? "d" : "f") << '\t' << mode << '\t' << timeText(e.mtimeNs) << '\t';
        if (e.folder)
            out << "-\t-";
        else
            out << e.size << '\t' << e.sha256;
        out << '\t' << escape(e.path) << '\n';
    }
    return out.str();
}

Manifest Manifest::parse(const std::string& text) {
    Manifest m;
    std::istringstream in(text);
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (number == 1) {
            if (line != kHeader) throw malformed(1, "not a Kiroku backup manifest");
            continue;
        }
        if (line.empty()) continue;
        if (line[0] == '#') {
            if (line.rfind("# type\t", 0) != 0)
                m.notes.push_back(line.substr(line.size() > 1 ? 2 : 1));
            continue;
        }
        std::vector<std::string> f;
        std::size_t at = 0;
        for (int i = 0; i < 5; ++i) {
            std::size_t tab = line.find('\t', at);
            if (tab == std::string::npos) throw malformed(number, "too few fields");
            f.push_back(line.substr(at, tab - at));
            at = tab + 1;
        }
        f.push_back(line.substr(at));
        ManifestEntry e;
        if (f[0] != "d" && f[0] != "f") throw malformed(number, "type is neither d nor f");
        e.folder = f[0] == "d";
        char* end = nullptr;
        unsigned long mode = std::strtoul(f[1].c_str(), &end, 8);
        if (f[1].empty() || *end || mode > 07777) throw malformed(number, "mode");
        e.mode = static_cast<mode_t>(mode);
        if (!parseTime(f[2], e.mtimeNs)) throw malformed(number, "mtime");
        if (e.folder) {
            if (f[3] != "-" || f[4] != "-")
                throw malformed(number, "a folder has no size or digest");
        } else {
            errno = 0;
            unsigned long long size = std::strtoull(f[3].c_str(), &end, 10);
            if (f[3].empty() || *end || errno || f[3][0] == '-') throw malformed(number, "size");
            e.size = size;
            if (!isHex64(f[4])) throw malformed(number, "sha256");
            e.sha256 = f[4];
        }
        if (!unescape(f[5], e.path) || !safePath(e.path)) throw malformed(number, "path");
        m.entries.push_back(std::move(e));
    }
    if (number == 0) throw malformed(1, "empty");
    return m;
}

Manifest Manifest::read(const std::string& dir) {
    std::ifstream in(dir + "/" + kFileName, std::ios::binary);
    if (!in) {
        throw BackupError(msg("backup.no_manifest", {{"path", dir}}));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str());
}

std::size_t Manifest::fileCount() const {
    std::size_t n = 0;
    for (const auto& e : entries) n += e.folder ? 0 : 1;
    return n;
}

std::uint64_t Manifest::byteCount() const {
    std::uint64_t n = 0;
    for (const auto& e : entries) n += e.folder ? 0 : e.size;
    return n;
}

}  // namespace kiroku::backup
