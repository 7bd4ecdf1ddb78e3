#include "index/Batch.h"

#include "index/DocumentData.h"
#include "index/DocumentYear.h"
#include "index/Schema.h"
#include "index/StoredText.h"
#include "index/TextTerms.h"
#include "index/TrigramFilter.h"
#include "index/YearTerms.h"
#include "kiroku/indexer/Utf8.h"

namespace kiroku::indexer {

namespace {

// Xapian keeps every change of a batch in memory until it commits; committing every few
// hundred documents keeps a reindex of a whole NAS in tens of megabytes.
constexpr std::size_t kCommitEveryDocuments = 100;
constexpr std::size_t kCommitEveryTextBytes = 12u << 20;

}  // namespace

SearchIndex::Batch::Batch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SearchIndex::Batch::~Batch() {
    try {
        if (impl_) impl_->db.close();  // uncommitted changes are dropped
    } catch (const Xapian::Error&) {
    }
}

void SearchIndex::Batch::put(const IndexedDocument& d) {
    Xapian::Document doc;
    const std::string name = nameOf(d.path);
    const std::u32string normalisedName = normalise(name, impl_->options).text;
    addTextTerms(doc, normalisedName, kNameWeight);
    Normalised content = normalise(d.text, impl_->options);
    addTextTerms(doc, content.text, 1);
    const std::string years =
        addYearTerms(doc, normalise(d.path.substr(0, d.path.size() - name.size())).text,
                     normalisedName, content.text, kNameWeight);
    if (!years.empty()) doc.add_value(kYearsSlot, years);

    const std::string id = boolTerm(kIdPrefix, d.path);
    doc.add_boolean_term(id);
    auto segs = pathSegments(d.path);
    std::string folder;
    for (std::size_t i = 0; i + 1 < segs.size(); ++i) {
        folder += (i ? "/" : "") + segs[i];
        doc.add_boolean_term(boolTerm(kFolderPrefix, folder));
    }
    if (segs.size() > 1) doc.add_boolean_term(boolTerm(kOrganisationPrefix, segs[0]));
    if (segs.size() > 2) doc.add_boolean_term(boolTerm(kCategoryPrefix, segs[1]));
    int year = documentYear(d.path, content.text, d.modifiedUs, impl_->options.timeZone);
    if (year) doc.add_boolean_term(kYearPrefix + std::to_string(year));
    if (!d.type.empty()) doc.add_boolean_term(kTypePrefix + d.type);
    doc.add_value(kModifiedSlot, Xapian::sortable_serialise(static_cast<double>(d.modifiedUs)));
    doc.add_value(kPathSlot, d.path);
    DocumentData data{d.path, d.type, year, d.modifiedUs, {}};
    if (!content.text.empty()) {
        // As toUtf8 (Utf8.h), noting where every kSyncChars-th character starts.
        std::string normalised(content.text.size() * U8_MAX_LENGTH, '\0');
        auto* p = reinterpret_cast<std::uint8_t*>(normalised.data());
        std::size_t length = 0;
        for (std::size_t i = 0; i < content.text.size(); ++i) {
            if (i % kSyncChars == 0) data.sync.push_back({length, content.origin[i]});
            U8_APPEND_UNSAFE(p, length, static_cast<UChar32>(content.text[i]));
        }
        normalised.resize(length);
        PackedTexts texts = packTexts(normalised, d.text, data.sync);
        if (impl_->texts) {
            doc.add_value(kTextsRefSlot, impl_->texts->append(texts));
        } else {
            doc.add_value(kTextsSlot, texts.first);
            if (!texts.more.empty()) doc.add_value(kMoreTextsSlot, texts.more);
        }
        const std::string filter = trigramFilterOf(content.text);
        if (!filter.empty()) doc.add_value(kTrigramsSlot, filter);
        if (d.ocr) doc.add_value(kOcrSlot, "1");
    }
    doc.set_data(packDocumentData(data));
    impl_->db.replace_document(id, doc);
    impl_->textBytes += d.text.size();
    if (++impl_->documents >= kCommitEveryDocuments || impl_->textBytes >= kCommitEveryTextBytes)
        commit();
}

void SearchIndex::Batch::remove(const std::string& path) {
    impl_->db.delete_document(boolTerm(kIdPrefix, path));
    impl_->db.delete_document(boolTerm(kFolderPrefix, path));  // everything below a folder
}

void SearchIndex::Batch::commit() {
    if (impl_->texts) impl_->texts->flush();  // the texts before what names them
    impl_->db.commit();
    impl_->documents = 0;
    impl_->textBytes = 0;
}

}  // namespace kiroku::indexer
