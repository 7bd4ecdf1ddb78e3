#include "ZipPackage.h"

#include <Poco/Exception.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <istream>
#include <streambuf>
#include <utility>

#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins {
namespace {

using indexer::ExtractionError;

// A read-only stream buffer over a member's inflating stream that reports end of input once
// the caller's stop condition holds or a byte cap is reached. The XML parser pulls from it,
// so stopping here stops inflation: nothing beyond the last chunk is ever decompressed.
// Exceptions from inflation are kept (not thrown through the parser) and reported after.
class BoundedStreamBuf : public std::streambuf {
public:
    BoundedStreamBuf(std::istream& source, std::size_t cap, const std::function<bool()>& stop)
        : source_(source), cap_(cap), stop_(stop) {}

    std::size_t consumed() const { return consumed_; }
    bool stopped() const { return stopped_; }  // by the caller's condition or a cap
    const std::string& error() const { return error_; }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (!error_.empty() || stopped_) return traits_type::eof();
        if (consumed_ >= cap_ || (stop_ && stop_())) {
            stopped_ = true;
            return traits_type::eof();
        }
        std::size_t n = 0;
        try {
            const std::size_t want = std::min(sizeof buffer_, cap_ - consumed_);
            source_.read(buffer_, static_cast<std::streamsize>(want));
            n = static_cast<std::size_t>(source_.gcount());
            if (source_.bad()) error_ = "damaged compressed data";
        } catch (const Poco::Exception& e) {
            error_ = e.displayText();
        } catch (const std::exception& e) {
            error_ = e.what();
        }
        if (n == 0) return traits_type::eof();
        consumed_ += n;
        setg(buffer_, buffer_, buffer_ + n);
        return traits_type::to_int_type(*gptr());
    }

private:
    std::istream& source_;
    std::size_t cap_;
    const std::function<bool()>& stop_;
    std::size_t consumed_ = 0;
    bool stopped_ = false;
    std::string error_;
    char buffer_[16 * 1024];
};

// The archive's directory as Poco reads it, with one check Poco lacks. A ZIP64 end-of-
// directory record declares its own size, and Poco allocates that size before reading
// it: a few bytes claiming exabytes crash the reader, or take the extractor's memory.
// Poco reads the record's 4-byte signature, then its 8-byte size; this buffer sees those
// two reads and refuses a size larger than what is left of the file.
class DirectoryGuardBuf : public std::streambuf {
public:
    DirectoryGuardBuf(const std::string& path) {
        if (!file_.open(path, std::ios::in | std::ios::binary))
            throw ExtractionError("cannot open the file");
        size_ = file_.pubseekoff(0, std::ios::end, std::ios::in);
        file_.pubseekpos(0, std::ios::in);
    }

protected:
    int_type underflow() override { return file_.sgetc(); }
    int_type uflow() override {
        previous_ = {-1, 0};
        return file_.sbumpc();
    }
    std::streamsize xsgetn(char* out, std::streamsize n) override {
        const std::streamoff at = file_.pubseekoff(0, std::ios::cur, std::ios::in);
        const std::streamsize got = file_.sgetn(out, n);
        if (n == 8 && got == 8 && previous_.first + 4 == at && previous_.second == 4 && zip64End_) {
            std::uint64_t declared = 0;
            for (int i = 7; i >= 0; --i)
                declared = (declared << 8) | static_cast<unsigned char>(out[i]);
            if (declared > static_cast<std::uint64_t>(size_ - at - 8))
                throw ExtractionError(
                    "damaged ZIP archive (a directory record larger than the file)");
        }
        zip64End_ = got == 4 && std::memcmp(out, "PK\x06\x06", 4) == 0;
        previous_ = {at, got};
        return got;
    }
    pos_type seekoff(off_type off, std::ios::seekdir dir, std::ios::openmode which) override {
        if (off != 0 || dir != std::ios::cur) previous_ = {-1, 0};  // tellg() moves nothing
        return file_.pubseekoff(off, dir, which);
    }
    pos_type seekpos(pos_type pos, std::ios::openmode which) override {
        previous_ = {-1, 0};
        return file_.pubseekpos(pos, which);
    }

private:
    std::filebuf file_;
    std::streamoff size_ = 0;
    std::pair<std::streamoff, std::streamsize> previous_{-1, 0};  // the last read: where, how much
    bool zip64End_ = false;                                       // it was "PK\6\6"
};

bool isZipFile(std::istream& in) {
    char magic[4] = {};
    in.read(magic, sizeof magic);
    const bool zip = in.gcount() == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0;
    in.clear();
    in.seekg(0);
    return zip;
}

}  // namespace

ZipPackage::ZipPackage(const std::string& path) : file_(path, std::ios::binary) {
    if (!file_) throw ExtractionError("cannot open the file");
    if (!isZipFile(file_)) throw ExtractionError("not a ZIP archive");
    try {
        DirectoryGuardBuf guard(path);
        std::istream directory(&guard);
        directory.exceptions(std::ios::badbit);  // the guard's refusal reaches us, not a bad bit
        archive_ = std::make_unique<Poco::Zip::ZipArchive>(directory);
    } catch (const ExtractionError&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw ExtractionError("damaged ZIP archive (" + e.displayText() + ")");
    } catch (const std::exception& e) {
        throw ExtractionError(std::string("damaged ZIP archive (") + e.what() + ")");
    }
}

ZipPackage::~ZipPackage() = default;

bool ZipPackage::has(const std::string& member) const {
    return archive_->findHeader(member) != archive_->headerEnd();
}

std::vector<std::string> ZipPackage::members() const {
    std::vector<std::string> names;
    for (auto it = archive_->headerBegin(); it != archive_->headerEnd(); ++it)
        // A member with an empty name is skipped before isFile(), which reads the last
        // character of the name (Poco 1.11 reads before the string then).
        if (!it->first.empty() && it->second.isFile()) names.push_back(it->first);
    return names;
}

const Poco::Zip::ZipLocalFileHeader& ZipPackage::header(const std::string& member) const {
    const auto it = archive_->findHeader(member);
    if (it == archive_->headerEnd()) throw ExtractionError("the package has no " + member);
    if (it->second.isEncrypted()) throw ExtractionError("encrypted document");
    return it->second;
}

std::string ZipPackage::read(const std::string& member, std::size_t limit) {
    std::string content;
    const auto& entry = header(member);
    try {
        file_.clear();
        Poco::Zip::ZipInputStream zin(file_, entry, true);
        content.resize(limit);
        zin.read(content.data(), static_cast<std::streamsize>(limit));
        content.resize(static_cast<std::size_t>(zin.gcount()));
        if (zin.bad()) throw ExtractionError("damaged ZIP member " + member);
    } catch (const Poco::Exception& e) {
        throw ExtractionError("damaged ZIP member " + member + " (" + e.displayText() + ")");
    }
    inflated_ += content.size();
    return content;
}

void ZipPackage::parseXml(const std::string& member, Poco::XML::ContentHandler& handler,
                          const std::function<bool()>& stop) {
    const auto& entry = header(member);
    if (inflated_ >= kArchiveCap) return;
    std::string error;
    bool stopped = false;
    try {
        file_.clear();
        Poco::Zip::ZipInputStream zin(file_, entry, true);
        BoundedStreamBuf bounded(zin, std::min(kMemberCap, kArchiveCap - inflated_), stop);
        std::istream boundedIn(&bounded);
        Poco::XML::InputSource source(boundedIn);
        Poco::XML::SAXParser parser;
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        parser.setContentHandler(&handler);
        try {
            parser.parse(&source);
        } catch (const Poco::Exception& e) {
            // A parse error after a deliberate stop is only the cut-off end of the input.
            if (!bounded.stopped()) error = e.displayText();
        }
        inflated_ += bounded.consumed();
        stopped = bounded.stopped();
        if (!bounded.error().empty()) error = bounded.error();
    } catch (const ExtractionError&) {
        throw;
    } catch (const Poco::Exception& e) {
        error = e.displayText();
    }
    if (!error.empty() && !stopped)
        throw ExtractionError("damaged document part " + member + " (" + error + ")");
}

bool naturalLess(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    const auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            std::size_t ie = i, je = j;
            while (ie < a.size() && digit(a[ie])) ++ie;
            while (je < b.size() && digit(b[je])) ++je;
            // Compare by value: strip leading zeros, then length, then digits.
            std::size_t is = a.find_first_not_of('0', i), js = b.find_first_not_of('0', j);
            is = std::min(is, ie);
            js = std::min(js, je);
            if (ie - is != je - js) return ie - is < je - js;
            const int c = a.compare(is, ie - is, b, js, je - js);
            if (c != 0) return c < 0;
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

std::string XmlTextHandler::attribute(const Poco::XML::Attributes& attributes,
                                      const std::string& localName) {
    for (int i = 0; i < attributes.getLength(); ++i)
        if (attributes.getLocalName(i) == localName) return attributes.getValue(i);
    return {};
}

}  // namespace kiroku::plugins
