#pragma once
// A whole handover as one ZIP, streamed as it is written (never built whole in memory or
// on disk): 引継ぎ書.html — the record as its page shows it, its list of documents
// linking into the archive — with kiroku.css beside it, 目次.txt (every document, its
// size and date), and under 書類/ every document of the role's inventory that the caller
// may read, as it is now. Each document is opened through the document service, so
// rights are those of any download; its reads are not recorded one by one: the caller
// records the export once, before it starts (HandoverService::recordExport), where an
// administrator's 5,000 reads would each be an audit row. The role's files never depend
// on the export: the successor has them in place.

#include "service/HandoverService.h"
#include "web/Renderer.h"
#include "zip/ZipWriter.h"

#include <ctemplate/template.h>

#include <cstdint>
#include <string>

namespace kiroku::web {

// The folder of the archive that holds the documents (書類).
std::string archiveFolder(const std::string& lang);

struct ExportResult {
    std::size_t documents = 0;  // documents written (those the caller may read)
    std::uint64_t bytes = 0;    // the archive's size
};

ExportResult writeHandoverZip(const service::HandoverDetail& detail,
                              service::DocumentService& documents, service::HistoryService& history,
                              const Renderer& renderer, const service::Caller& who,
                              const std::string& lang, zip::Sink& out);

// 引継ぎ_令和8年度_桜ヶ丘自治区_区長.zip
std::string handoverZipName(const service::HandoverSummary& s);

// The record's values for templates/handover.html: for the page (with its forms, as the
// caller may use them, and links to the site) or for the archive (links into it).
void fillHandover(ctemplate::TemplateDictionary& dict, const service::HandoverDetail& d,
                  const std::string& lang, service::HistoryService& history, bool inArchive);

}  // namespace kiroku::web
