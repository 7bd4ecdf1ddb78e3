#include "store/ChangeJournal.h"

#include "store/FileOps.h"
#include "store/StoreError.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace kiroku::journal {

namespace {

const char* const kMagic = "kiroku-change 1";

const char* kindName(JournalStep::Kind k) {
    switch (k) {
        case JournalStep::Kind::Link:
            return "link";
        case JournalStep::Kind::Replace:
            return "replace";
        case JournalStep::Kind::Create:
            return "create";
        case JournalStep::Kind::Move:
            return "move";
        case JournalStep::Kind::MakeDir:
            return "mkdir";
        case JournalStep::Kind::Remove:
            return "remove";
    }
    return "?";
}

std::optional<JournalStep::Kind> kindNamed(const std::string& s) {
    for (auto k :
         {JournalStep::Kind::Link, JournalStep::Kind::Replace, JournalStep::Kind::Create,
          JournalStep::Kind::Move, JournalStep::Kind::MakeDir, JournalStep::Kind::Remove}) {
        if (s == kindName(k)) return k;
    }
    return std::nullopt;
}

std::vector<std::string> fields(const std::string& line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        std::size_t tab = line.find('\t', start);
        out.push_back(
            line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) return out;
        start = tab + 1;
    }
}

void appendStep(std::string& out, const char* where, const JournalStep& s) {
    out += where;
    out += '\t';
    out += kindName(s.kind);
    for (const auto* f : {&s.a, &s.b, &s.c}) {
        out += '\t';
        out += *f;
    }
    out +=
        '\t' + std::to_string(s.identity.device) + '\t' + std::to_string(s.identity.inode) + '\n';
}

std::string parentOf(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

bool exists(const std::string& path) { return identityOf(path).has_value(); }

}  // namespace

void write(FileSystem& fs, const std::string& file, const ChangePlan& plan) {
    std::string text = std::string(kMagic) + "\nop\t" + plan.op + "\n";
    for (const auto& s : plan.steps) appendStep(text, "step", s);
    for (const auto& s : plan.after) appendStep(text, "after", s);
    text += "end\n";
    int fd = fs.create(file);
    try {
        fs.write(fd, text.data(), text.size(), file);
        fs.sync(fd, file);
    } catch (...) {
        ::close(fd);
        ::unlink(file.c_str());
        throw;
    }
    fs.close(fd, file);
    fs.syncDir(parentOf(file));
}

std::optional<ChangePlan> read(const std::string& file) {
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line) || line != kMagic) return std::nullopt;
    ChangePlan plan;
    bool ended = false;
    while (std::getline(in, line)) {
        if (line == "end") {
            ended = true;
            break;
        }
        auto f = fields(line);
        if (f.size() == 2 && f[0] == "op") {
            plan.op = f[1];
            continue;
        }
        if (f.size() != 7 || (f[0] != "step" && f[0] != "after")) return std::nullopt;
        auto kind = kindNamed(f[1]);
        if (!kind) return std::nullopt;
        JournalStep s;
        s.kind = *kind;
        s.a = f[2];
        s.b = f[3];
        s.c = f[4];
        s.identity.device = std::strtoull(f[5].c_str(), nullptr, 10);
        s.identity.inode = std::strtoull(f[6].c_str(), nullptr, 10);
        (f[0] == "step" ? plan.steps : plan.after).push_back(std::move(s));
    }
    if (!ended || plan.op.empty()) return std::nullopt;
    return plan;
}

void run(FileSystem& fs, const std::string& root, const JournalStep& s) {
    const std::string a = root + "/" + s.a, b = root + "/" + s.b;
    switch (s.kind) {
        case JournalStep::Kind::Link:
            fs.link(a, b);
            fs.syncDir(parentOf(b));
            break;
        case JournalStep::Kind::Replace:
            fs.rename(a, b);
            fs.syncDir(parentOf(b));
            break;
        case JournalStep::Kind::Create:
        case JournalStep::Kind::Move:
            fs.renameNoReplace(a, b);
            fs.syncDir(parentOf(b));
            if (s.kind == JournalStep::Kind::Move && parentOf(a) != parentOf(b))
                fs.syncDir(parentOf(a));
            break;
        case JournalStep::Kind::MakeDir:
            fs.makeDir(a);
            fs.syncDir(parentOf(a));
            break;
        case JournalStep::Kind::Remove:
            fileops::removeTree(fs, a);
            if (exists(parentOf(a))) fs.syncDir(parentOf(a));
            break;
    }
}

void undo(FileSystem& fs, const std::string& root, const JournalStep& s) {
    const std::string a = root + "/" + s.a, b = root + "/" + s.b, c = root + "/" + s.c;
    switch (s.kind) {
        case JournalStep::Kind::Link:
            // The kept name goes (a Replace undone before has used it already).
            if (exists(b)) {
                fs.unlink(b);
                fs.syncDir(parentOf(b));
            }
            break;
        case JournalStep::Kind::Replace:
            // The previous content comes back. If the replace never ran, b and c are the
            // same file and this only removes the extra name.
            if (exists(c)) {
                fs.rename(c, b);
                fs.syncDir(parentOf(b));
            }
            break;
        case JournalStep::Kind::Create:
            // What this change put there goes; a file of someone else's stays.
            if (identityOf(b) == std::optional<FileIdentity>(s.identity)) {
                fileops::removeTree(fs, b);
                fs.syncDir(parentOf(b));
            }
            break;
        case JournalStep::Kind::Move:
            if (identityOf(b) == std::optional<FileIdentity>(s.identity) && !exists(a)) {
                fs.renameNoReplace(b, a);
                fs.syncDir(parentOf(a));
                if (parentOf(a) != parentOf(b)) fs.syncDir(parentOf(b));
            }
            break;
        case JournalStep::Kind::MakeDir:
            if (exists(a)) {
                try {
                    fs.removeDir(a);
                    fs.syncDir(parentOf(a));
                } catch (const StoreError& e) {
                    // Not empty: something was put there by hand; it stays.
                    if (e.kind() != StoreError::Kind::Exists) throw;
                }
            }
            break;
        case JournalStep::Kind::Remove:
            break;  // after the commit only: never undone
    }
}

}  // namespace kiroku::journal
