#include "index/TextFiles.h"

#include "index/Schema.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace kiroku::indexer {

namespace {

// A reference: the file's number, where the texts start in it, the first part's length
// and the rest's, as varints.
struct Where {
    std::uint64_t number = 0, offset = 0, first = 0, more = 0;
};

bool parse(const std::string& ref, Where& w) {
    std::size_t at = 0;
    return getVarint(ref, at, w.number) && getVarint(ref, at, w.offset) &&
           getVarint(ref, at, w.first) && getVarint(ref, at, w.more) && at == ref.size();
}

std::runtime_error failure(const std::string& what, const std::string& path) {
    return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

std::string textsFileName(std::size_t number) { return "texts-" + std::to_string(number); }

TextsFileWriter::TextsFileWriter(const std::string& path, std::size_t number)
    : path_(path), number_(number), file_(std::fopen(path.c_str(), "wbe")) {
    if (file_ == nullptr) throw failure("cannot create", path);
}

TextsFileWriter::~TextsFileWriter() {
    if (file_ != nullptr) std::fclose(file_);
}

std::string TextsFileWriter::append(const PackedTexts& texts) {
    for (const std::string* part : {&texts.first, &texts.more}) {
        if (!part->empty() && std::fwrite(part->data(), 1, part->size(), file_) != part->size())
            throw failure("cannot write", path_);
    }
    std::string ref;
    putVarint(ref, number_);
    putVarint(ref, size_);
    putVarint(ref, texts.first.size());
    putVarint(ref, texts.more.size());
    size_ += texts.first.size() + texts.more.size();
    return ref;
}

void TextsFileWriter::flush() {
    if (std::fflush(file_) != 0) throw failure("cannot write", path_);
}

void syncFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw failure("cannot open", path);
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw failure("cannot flush", path);
}

struct TextFiles::Open {
    std::vector<int> fds;
    std::vector<std::uint64_t> sizes;  // as opened: the files are not written again
    ~Open() {
        for (int fd : fds) ::close(fd);
    }
};

TextFiles::TextFiles(const std::string& generation) {
    auto open = std::make_shared<Open>();
    for (std::size_t n = 0;; ++n) {
        const int fd = ::open((generation + "/" + textsFileName(n)).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) break;
        struct stat info {};
        if (::fstat(fd, &info) != 0) {
            ::close(fd);
            break;
        }
        open->fds.push_back(fd);
        open->sizes.push_back(static_cast<std::uint64_t>(info.st_size));
    }
    open_ = std::move(open);
}

namespace {

std::string readAt(int fd, std::uint64_t offset, std::uint64_t length) {
    std::string out(length, '\0');
    std::size_t have = 0;
    while (have < length) {
        const ssize_t n =
            ::pread(fd, out.data() + have, length - have, static_cast<off_t>(offset + have));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return {};  // damaged or cut short: read as damaged
        have += static_cast<std::size_t>(n);
    }
    return out;
}

}  // namespace

std::string TextFiles::read(const std::string& ref, bool rest) const {
    Where w;
    if (!open_ || !parse(ref, w) || w.number >= open_->fds.size()) return {};
    // Within its file (a damaged reference allocates nothing it could not read).
    const std::uint64_t size = open_->sizes[w.number];
    if (w.offset > size || w.first > size - w.offset || w.more > size - w.offset - w.first)
        return {};
    return rest ? readAt(open_->fds[w.number], w.offset + w.first, w.more)
                : readAt(open_->fds[w.number], w.offset, w.first);
}

void loadTexts(const Xapian::Document& doc, const std::string& ref, const TextFiles& files,
               StoredTexts& texts) {
    if (ref.empty()) {
        texts.reset(doc.get_value(kTextsSlot), [&doc] { return doc.get_value(kMoreTextsSlot); });
    } else {
        texts.reset(files.first(ref), [&files, ref] { return files.more(ref); });
    }
}

}  // namespace kiroku::indexer
