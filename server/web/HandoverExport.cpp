#include "web/HandoverExport.h"

#include "web/Format.h"

#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <vector>

namespace kiroku::web {

namespace {

constexpr std::size_t kChunk = 1 << 16;

// Counts what goes through to the real sink.
class CountingSink : public zip::Sink {
public:
    explicit CountingSink(zip::Sink& out) : out_(out) {}
    void write(const char* data, std::size_t size) override {
        out_.write(data, size);
        bytes += size;
    }
    std::uint64_t bytes = 0;

private:
    zip::Sink& out_;
};

std::int64_t nowUs() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void addText(zip::ZipWriter& zip, const std::string& name, const std::string& text) {
    zip.beginFile(name, nowUs(), text.size());
    zip.write(text.data(), text.size());
    zip.endFile();
}

}  // namespace

std::string archiveFolder(const std::string& lang) {
    return msg("handover.archive.folder").in(lang);
}

std::string handoverZipName(const service::HandoverSummary& s) {
    return msg("handover.archive.name", {{"year", s.fiscalYear}, {"org", s.org}, {"role", s.role}})
        .ja;
}

ExportResult writeHandoverZip(const service::HandoverDetail& d, service::DocumentService& documents,
                              service::HistoryService& history, const Renderer& renderer,
                              const service::Caller& who, const std::string& lang, zip::Sink& out) {
    CountingSink counted(out);
    zip::ZipWriter zip(counted);
    ExportResult result;

    // The record, as a page of its own that opens from the unpacked folder.
    ctemplate::TemplateDictionary page("export");
    page.SetValue("LANG", lang);
    page.SetValue(
        "TITLE",
        msg("web.handover.title", {{"org", d.summary.org}, {"role", d.summary.role}}).in(lang));
    auto* body = page.AddIncludeDictionary("BODY");
    body->SetFilename(lang == "en" ? "en/handover.html" : "ja/handover.html");
    body->ShowSection("RECORD");
    fillHandover(*body, d, lang, history, true);
    addText(zip, msg("handover.archive.record").in(lang),
            renderer.render("handover_export", lang, page));
    if (const Asset* css = renderer.asset("kiroku.css")) addText(zip, "kiroku.css", css->body);

    std::ostringstream contents;
    contents << msg("web.handover.contents_heading", {{"org", d.summary.org},
                                                      {"role", d.summary.role},
                                                      {"year", d.summary.fiscalYear}})
                    .in(lang)
             << "\n\n";
    std::vector<char> buf(kChunk);
    std::vector<std::string> written;
    for (const auto& item : d.inventory) {
        std::unique_ptr<service::OpenFile> file;
        try {
            file = documents.open(who, item.path, false);  // the export is recorded once
        } catch (const service::ServiceError&) {
            continue;  // gone since, or not for this person: as if it were not there
        }
        const Entry& e = file->entry();
        zip.beginFile(archiveFolder(lang) + "/" + item.path.str(), e.modifiedUs, e.size);
        off_t offset = 0;
        for (;;) {
            ssize_t n = ::pread(file->fd(), buf.data(), buf.size(), offset);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw std::runtime_error("reading /" + item.path.str() + " failed");
            if (n == 0) break;
            zip.write(buf.data(), static_cast<std::size_t>(n));
            offset += n;
        }
        zip.endFile();
        ++result.documents;
        contents << archiveFolder(lang) << "/" << item.path.str() << "\t" << sizeText(e.size, lang)
                 << "\t" << dateOfMicros(e.modifiedUs, lang) << "\n";
    }
    addText(zip, msg("handover.archive.contents").in(lang), contents.str());
    zip.finish();
    result.bytes = counted.bytes;
    return result;
}

}  // namespace kiroku::web
