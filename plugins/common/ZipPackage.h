#pragma once
// Bounded reading of ZIP-packaged XML documents (Office Open XML, OpenDocument) for the
// ooxml and odf plugins. Compiled into each plugin that lists ZipPackage.cpp in its
// sources; links Poco::Zip and Poco::XML.

#include <Poco/SAX/DefaultHandler.h>
#include <Poco/Zip/ZipArchive.h>

#include <cstddef>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kiroku::plugins {

// One ZIP file opened for reading its members. Members are inflated lazily and never beyond
// what the caller asks for, so a small archive that inflates to gigabytes (a zip bomb) costs
// only what is read: at most kMemberCap bytes per member and kArchiveCap in all.
// Not thread-safe (one per extraction).
class ZipPackage {
public:
    static constexpr std::size_t kMemberCap = 64u * 1024 * 1024;
    static constexpr std::size_t kArchiveCap = 256u * 1024 * 1024;

    // Opens `path`. Throws indexer::ExtractionError when it is not a ZIP archive or its
    // directory cannot be read.
    explicit ZipPackage(const std::string& path);
    ~ZipPackage();
    ZipPackage(const ZipPackage&) = delete;
    ZipPackage& operator=(const ZipPackage&) = delete;

    bool has(const std::string& member) const;

    // The names of all file members, in archive-directory order.
    std::vector<std::string> members() const;

    // The first `limit` bytes of a member (for small parts: "mimetype", "[Content_Types].xml").
    // Throws indexer::ExtractionError when the member is missing, encrypted or damaged.
    std::string read(const std::string& member, std::size_t limit);

    // Parses an XML member with a SAX handler (namespaces on, external entities off).
    // Reading stops when `stop()` returns true (checked between chunks of a few KiB) or when
    // a cap is reached; the handler then simply sees no more events, and what it collected so
    // far stands. Throws indexer::ExtractionError when the member is missing, encrypted, or
    // damaged before a stop.
    void parseXml(const std::string& member, Poco::XML::ContentHandler& handler,
                  const std::function<bool()>& stop);

private:
    const Poco::Zip::ZipLocalFileHeader& header(const std::string& member) const;

    std::ifstream file_;
    std::unique_ptr<Poco::Zip::ZipArchive> archive_;
    std::size_t inflated_ = 0;  // bytes inflated so far, against kArchiveCap
};

// "slide2.xml" before "slide10.xml": compares runs of digits by value.
bool naturalLess(const std::string& a, const std::string& b);

// A SAX handler base that ignores everything; subclasses override the events they need.
// Its helpers read attributes by local name, whatever their namespace prefix.
class XmlTextHandler : public Poco::XML::DefaultHandler {
protected:
    static std::string attribute(const Poco::XML::Attributes& attributes,
                                 const std::string& localName);
};

}  // namespace kiroku::plugins
