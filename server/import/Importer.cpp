#include "import/Importer.h"

#include "core/Clock.h"
#include "core/ContentHash.h"
#include "import/ImportNames.h"
#include "kiroku/indexer/FiscalYears.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <map>
#include <set>
#include <stdexcept>

namespace kiroku::import {

namespace {

// Closes a descriptor when it goes out of scope.
struct Fd {
    int fd;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

// The fiscal year (April to March) a time falls in, in the association's time zone.
int fiscalYearOfTime(std::int64_t seconds) {
    return FiscalYear::containing(Clock::current()->zone().at(seconds).date()).year;
}

struct SourceEntry {
    std::string bytes;
    bool isFolder = false;
    bool regular = false;
    std::uint64_t size = 0;
    std::int64_t modified = 0;
};

// The entries of a source folder, sorted by their bytes; links and devices are
// reported as neither folder nor regular file.
std::vector<SourceEntry> readSource(const std::string& dir) {
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d) throw std::runtime_error("cannot read " + dir);
    std::vector<SourceEntry> out;
    while (dirent* e = ::readdir(d.get())) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        struct stat st {};
        SourceEntry entry;
        entry.bytes = name;
        if (::fstatat(::dirfd(d.get()), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            entry.isFolder = S_ISDIR(st.st_mode);
            entry.regular = S_ISREG(st.st_mode);
            entry.size = static_cast<std::uint64_t>(st.st_size);
            entry.modified = st.st_mtim.tv_sec;
        }
        out.push_back(std::move(entry));
    }
    std::sort(out.begin(), out.end(),
              [](const SourceEntry& a, const SourceEntry& b) { return a.bytes < b.bytes; });
    return out;
}

// Finds the drive's files with the same bytes as a source file: sizes from one walk of
// the drive (made the first time it is asked), hashes only of files whose size matches.
class ContentIndex {
public:
    explicit ContentIndex(const DocumentStore& store) : store_(store) {}

    // The first file in the drive, or added earlier in this import, with these bytes.
    std::optional<DocPath> find(std::uint64_t size, const std::string& sourceFile,
                                const std::optional<DocPath>& skip) {
        if (size == 0) return std::nullopt;
        walk();
        auto sizes = bySize_.find(size);
        auto earlier = planned_.find(size);
        if (sizes == bySize_.end() && earlier == planned_.end()) return std::nullopt;
        auto h = sourceHash(sourceFile);
        if (!h) return std::nullopt;
        if (earlier != planned_.end()) {
            for (const auto& [hash, path] : earlier->second) {
                if (hash == *h) return path;
            }
        }
        if (sizes != bySize_.end()) {
            for (const DocPath& p : sizes->second) {
                if (skip && p == *skip) continue;
                auto dh = driveHash(p);
                if (dh && *dh == *h) return p;
            }
        }
        return std::nullopt;
    }

    // Records a file this import adds, so that a later one with the same bytes is seen.
    void plan(std::uint64_t size, const std::string& sourceFile, const DocPath& target) {
        if (size == 0) return;
        if (auto h = sourceHash(sourceFile)) planned_[size].emplace_back(*h, target);
    }

    std::optional<Hash> driveHash(const DocPath& p) {
        auto cached = hashes_.find(p.str());
        if (cached != hashes_.end()) return cached->second;
        std::optional<Hash> h;
        try {
            Fd fd(store_.openForRead(p));
            h = hashOf(fd.fd);
        } catch (const StoreError&) {
        }
        hashes_[p.str()] = h;
        return h;
    }

    std::optional<Hash> sourceHash(const std::string& file) {
        auto cached = sourceHashes_.find(file);
        if (cached != sourceHashes_.end()) return cached->second;
        std::optional<Hash> h;
        Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
        if (fd.fd >= 0) h = hashOf(fd.fd);
        sourceHashes_[file] = h;
        return h;
    }

private:
    void walk() {
        if (walked_) return;
        walked_ = true;
        std::vector<DocPath> folders{DocPath()};
        while (!folders.empty()) {
            DocPath dir = folders.back();
            folders.pop_back();
            std::vector<Entry> entries;
            try {
                entries = store_.list(dir);
            } catch (const StoreError&) {
                continue;
            }
            for (const Entry& e : entries) {
                if (e.isDir)
                    folders.push_back(e.path);
                else if (e.size > 0)
                    bySize_[e.size].push_back(e.path);
            }
        }
    }

    const DocumentStore& store_;
    bool walked_ = false;
    std::map<std::uint64_t, std::vector<DocPath>> bySize_;
    std::map<std::uint64_t, std::vector<std::pair<Hash, DocPath>>> planned_;
    std::map<std::string, std::optional<Hash>> hashes_;
    std::map<std::string, std::optional<Hash>> sourceHashes_;
};

class Planner {
public:
    Planner(DocumentStore& store, Plan& plan) : store_(store), plan_(plan), content_(store) {}

    // Plans the entries of source folder `dir` (relative `rel`) going into `to`;
    // `fresh` when `to` is made by this import (nothing can be there yet).
    void folder(const std::string& dir, const std::string& rel, const DocPath& to, bool fresh,
                bool cp932) {
        for (const SourceEntry& e : readSource(dir)) {
            Item item;
            item.source = rel + printable(e.bytes);
            item.isFolder = e.isFolder;
            item.size = e.size;
            item.modified = e.modified;
            item.diskPath = dir + "/" + e.bytes;
            item.fromCp932 = cp932;
            if (!e.isFolder && !e.regular) {
                item.action = Action::Unreadable;
                plan_.items.push_back(std::move(item));
                continue;
            }
            if (isJunk(e.bytes, e.isFolder)) {
                item.action = Action::Junk;
                plan_.items.push_back(std::move(item));
                continue;
            }
            auto name = importName(e.bytes);
            if (!name) {
                item.action = Action::BadName;
                plan_.items.push_back(std::move(item));
                continue;
            }
            item.fromCp932 = cp932 || name->fromCp932;
            item.nameAdjusted = name->adjusted;
            item.target = to.child(name->name);
            if (!taken_.insert(foldCase(item.target.str())).second) {
                item.action = Action::Clash;
                plan_.items.push_back(std::move(item));
                continue;
            }
            if (e.isFolder) {
                planFolder(item, fresh);
            } else {
                planFile(item, fresh);
            }
        }
    }

private:
    void planFolder(Item& item, bool fresh) {
        std::optional<Entry> there = fresh ? std::nullopt : store_.stat(item.target);
        if (there && !there->isDir) {
            item.action = Action::Clash;
        } else if (there) {
            item.action = Action::FolderExists;
        } else if (!fresh && store_.caseTwin(item.target)) {
            item.action = Action::Clash;
        } else {
            item.action = Action::AddFolder;
        }
        Item copy = item;
        plan_.items.push_back(std::move(item));
        if (copy.action == Action::Clash) return;
        folder(copy.diskPath, copy.source + "/", copy.target, copy.action == Action::AddFolder,
               copy.fromCp932);
    }

    void planFile(Item& item, bool fresh) {
        int named = indexer::fiscalYearInPath(item.target.str());
        item.year = named ? named : fiscalYearOfTime(item.modified);
        item.yearFromName = named != 0;
        std::optional<Entry> there = fresh ? std::nullopt : store_.stat(item.target);
        if (there && there->isDir) {
            item.action = Action::Clash;
        } else if (there) {
            // rsync's quick check: the same size and time (what an earlier import
            // left) is the same file; else the same size is compared byte for byte.
            bool same = there->size == item.size && there->modifiedUs / 1000000 == item.modified;
            if (!same && there->size == item.size) {
                auto a = content_.sourceHash(item.diskPath);
                auto b = content_.driveHash(item.target);
                same = a && b && *a == *b;
            }
            if (same) {
                item.action = Action::Same;
            } else if (item.modified > there->modifiedUs / 1000000) {
                item.action = Action::Update;
            } else {
                item.action = Action::KeepDrives;
            }
        } else if (!fresh && store_.caseTwin(item.target)) {
            item.action = Action::Clash;
        } else {
            item.action = Action::Add;
        }
        if (item.action == Action::Add || item.action == Action::Update) {
            item.sameAs = content_.find(item.size, item.diskPath, item.target);
            content_.plan(item.size, item.diskPath, item.target);
        }
        plan_.items.push_back(std::move(item));
    }

    DocumentStore& store_;
    Plan& plan_;
    ContentIndex content_;
    std::set<std::string> taken_;
};

}  // namespace

std::size_t Plan::count(Action a) const {
    return static_cast<std::size_t>(
        std::count_if(items.begin(), items.end(), [a](const Item& i) { return i.action == a; }));
}

std::uint64_t Plan::bytesToCopy() const {
    std::uint64_t n = 0;
    for (const Item& i : items) {
        if (i.action == Action::Add || i.action == Action::Update) n += i.size;
    }
    return n;
}

std::size_t Plan::duplicates() const {
    return static_cast<std::size_t>(std::count_if(items.begin(), items.end(), [](const Item& i) {
        return i.sameAs && (i.action == Action::Add || i.action == Action::Update);
    }));
}

Plan Importer::plan(const std::string& source, const DocPath& to) {
    struct stat st {};
    if (::stat(source.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        throw std::runtime_error("not a folder: " + source);
    }
    Plan plan;
    plan.source = source;
    plan.to = to;
    std::optional<Entry> there = store_.stat(to);
    if (there && !there->isDir) {
        throw StoreError(StoreError::Kind::NotAFolder, msg("doc.not_a_folder"));
    }
    if (!there) {
        auto parent = to.isRoot() ? std::nullopt : store_.stat(to.parent());
        if (!parent || !parent->isDir) {
            throw StoreError(StoreError::Kind::ParentMissing, msg("doc.parent_missing"));
        }
        plan.makeTo = true;
    }
    Planner(store_, plan).folder(source, "", to, plan.makeTo, false);
    return plan;
}

Outcome Importer::run(const Plan& plan, bool skipDuplicates,
                      const std::function<void(const Progress&)>& progress) {
    Outcome out;
    Progress p;
    auto wanted = [&](const Item& i) {
        if (i.action == Action::AddFolder) return true;
        if (i.action != Action::Add && i.action != Action::Update) return false;
        return !(skipDuplicates && i.sameAs);
    };
    for (const Item& i : plan.items) {
        if (!wanted(i)) continue;
        ++p.total;
        p.totalBytes += i.size;
    }
    if (plan.makeTo) {
        try {
            store_.makeFolder(plan.to, actor_);
            ++out.folders;
        } catch (const StoreError& e) {
            if (e.kind() != StoreError::Kind::Exists) throw;
        }
    }
    std::set<std::string> failedFolders;  // what is below a folder not made is not tried
    auto below = [&](const DocPath& path) {
        for (DocPath d = path.parent(); !d.isRoot(); d = d.parent()) {
            if (failedFolders.count(d.str())) return true;
        }
        return false;
    };
    for (const Item& i : plan.items) {
        if (!wanted(i)) continue;
        if (progress) progress(p);
        if (below(i.target)) {
            if (i.isFolder) failedFolders.insert(i.target.str());
            ++p.done;
            continue;
        }
        try {
            if (i.isFolder) {
                try {
                    store_.makeFolder(i.target, actor_);
                } catch (const StoreError& e) {
                    if (e.kind() != StoreError::Kind::Exists) throw;
                }
                ++out.folders;
            } else {
                Fd fd(::open(i.diskPath.c_str(), O_RDONLY | O_CLOEXEC));
                if (fd.fd < 0) {
                    out.failures.push_back({i.source, msg("import.unreadable")});
                    ++p.done;
                    continue;
                }
                auto upload =
                    store_.beginUpload(i.target, actor_, static_cast<std::int64_t>(i.size));
                std::vector<char> buf(1 << 20);
                bool readOk = true;
                for (;;) {
                    ssize_t n = ::read(fd.fd, buf.data(), buf.size());
                    if (n < 0 && errno == EINTR) continue;
                    if (n < 0) readOk = false;
                    if (n <= 0) break;
                    upload->write(buf.data(), static_cast<std::size_t>(n));
                    p.bytes += static_cast<std::uint64_t>(n);
                }
                if (!readOk) {
                    out.failures.push_back({i.source, msg("import.unreadable")});
                    ++p.done;
                    continue;  // the upload is dropped uncommitted
                }
                upload->setModified(i.modified);
                upload->commit();
                if (i.action == Action::Add)
                    ++out.added;
                else
                    ++out.updated;
                out.bytes += i.size;
            }
        } catch (const StoreError& e) {
            out.failures.push_back({i.source, e.message()});
            if (i.isFolder) failedFolders.insert(i.target.str());
            if (e.kind() == StoreError::Kind::InsufficientStorage) break;
        }
        ++p.done;
    }
    if (progress) progress(p);
    return out;
}

}  // namespace kiroku::import
