// zip_package: ZIP archives through the bounded reader the ooxml and odf plugins share
// (plugins/common/ZipPackage.h): open, list, read each member (a few bytes, then all up
// to a cap) and parse each as XML, as the plugins do.
// Asserts: a damaged archive or member throws ExtractionError and nothing else; every
// listed member is found by has(); read() never returns more than the limit asked for,
// and a shorter read is a prefix of a longer one.
#include "FuzzSupport.h"
#include "ZipPackage.h"
#include "kiroku/indexer/Extractor.h"

using kiroku::indexer::ExtractionError;
using kiroku::plugins::ZipPackage;

namespace {

struct CountingHandler : kiroku::plugins::XmlTextHandler {
    std::size_t elements = 0;
    void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&,
                      const Poco::XML::XMLString&, const Poco::XML::Attributes&) override {
        ++elements;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static kiroku::fuzz::ScratchFile file("zip");
    const std::string& path = file.write(kiroku::fuzz::asText(data, size));
    try {
        ZipPackage zip(path);
        for (const auto& member : zip.members()) {
            FUZZ_CHECK(zip.has(member));
            try {
                std::string head = zip.read(member, 16);
                FUZZ_CHECK(head.size() <= 16);
                std::string body = zip.read(member, 64 * 1024);
                FUZZ_CHECK(body.size() <= 64 * 1024);
                FUZZ_CHECK(body.compare(0, head.size(), head) == 0);
            } catch (const ExtractionError&) {
            }
            try {
                CountingHandler handler;
                zip.parseXml(member, handler, [&] { return handler.elements >= 50; });
            } catch (const ExtractionError&) {
            }
        }
        FUZZ_CHECK(!zip.has("kiroku-fuzz: no such member"));
    } catch (const ExtractionError&) {
    }
    return 0;
}
