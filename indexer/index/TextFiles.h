#pragma once
// Where a rebuilt generation keeps its documents' texts (internal to the indexer). A check
// of a candidate reads its packed texts (StoredText.h) first of all, and through Xapian a
// value of 16 KB costs a B-tree descent and two or three block reads (6–7 µs at 95,000
// documents, most of a check). A rebuild writes each document's packed texts to a plain
// file of its generation instead, texts-N (one per writer), and indexes only where they
// are (kTextsRefSlot): one read of exactly their bytes. The files are complete and
// flushed to the disk before the generation is made live, and never written again;
// documents indexed afterwards keep their texts in the index itself (kTextsSlot,
// kMoreTextsSlot), and what a change replaces in a file is only left unread until the
// next rebuild.

#include "index/StoredText.h"

#include <xapian.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace kiroku::indexer {

// texts-0, texts-1 … in a generation's folder.
std::string textsFileName(std::size_t number);

// Appends packed texts to one file of a generation being built. One thread at a time.
class TextsFileWriter {
public:
    // Creates (or empties) `path`, file number `number` of its generation. Throws
    // std::runtime_error when it cannot.
    TextsFileWriter(const std::string& path, std::size_t number);
    ~TextsFileWriter();
    TextsFileWriter(const TextsFileWriter&) = delete;
    TextsFileWriter& operator=(const TextsFileWriter&) = delete;

    // Writes `texts` (buffered) and gives the reference to keep in kTextsRefSlot. Throws
    // std::runtime_error when it cannot write.
    std::string append(const PackedTexts& texts);
    // Everything appended is handed to the system (not yet on the disk). Throws.
    void flush();

private:
    std::string path_;
    std::size_t number_;
    std::FILE* file_ = nullptr;
    std::uint64_t size_ = 0;
};

// Flushes the file at `path` to the disk. Throws std::runtime_error when it cannot.
void syncFile(const std::string& path);

// The texts files of one generation, all opened at once (a generation removed later still
// reads), read from any thread. Copies share the open files.
class TextFiles {
public:
    TextFiles() = default;
    // Opens texts-0, texts-1 … of the generation's folder, as many as there are.
    explicit TextFiles(const std::string& generation);

    // The packed first part, or the rest, of the texts `ref` names; "" when the reference
    // is damaged or its file is missing or shorter (the texts then read as damaged).
    std::string first(const std::string& ref) const { return read(ref, false); }
    std::string more(const std::string& ref) const { return read(ref, true); }

private:
    std::string read(const std::string& ref, bool rest) const;

    struct Open;
    std::shared_ptr<const Open> open_;
};

// Gives `texts` the document's texts, from `files` when the index says they are there
// (`ref`: its kTextsRefSlot value, or "" for texts kept in the index). `doc` must outlive
// the use of `texts`.
void loadTexts(const Xapian::Document& doc, const std::string& ref, const TextFiles& files,
               StoredTexts& texts);

}  // namespace kiroku::indexer
