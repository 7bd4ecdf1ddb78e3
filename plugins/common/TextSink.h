#pragma once
// Helpers that plugins compile in (plugins/common/ is not a plugin). TextSink collects an
// extractor's UTF-8 output under the `maxBytes` cap of the Extractor contract.

#include <cstddef>
#include <string>
#include <string_view>

#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins {

// An append-only UTF-8 buffer that never grows beyond `maxBytes`. Text beyond the cap is
// dropped at a code point boundary and full() becomes true; extractors poll full() to stop
// reading their input early. Not thread-safe (one per extraction).
class TextSink {
public:
    explicit TextSink(std::size_t maxBytes) : maxBytes_(maxBytes) {}

    // Appends UTF-8 text (assumed valid), cut at the last whole code point that fits.
    void append(std::string_view utf8) {
        if (full_) return;
        const std::size_t room = maxBytes_ - text_.size();
        if (utf8.size() <= room) {
            text_.append(utf8);
            if (text_.size() == maxBytes_) full_ = true;
            return;
        }
        text_.append(utf8.substr(0, indexer::utf8PrefixLength(utf8, room)));
        full_ = true;
    }

    void append(char c) { append(std::string_view(&c, 1)); }

    // Ends the current line: drops trailing spaces and tabs (separators left by the last
    // cell or word) and appends '\n' unless the text is empty or already ends a line, so empty
    // paragraphs and nested blocks do not pile up blank lines.
    void endLine() {
        if (full_) return;
        while (!text_.empty() && (text_.back() == ' ' || text_.back() == '\t')) text_.pop_back();
        if (!text_.empty() && text_.back() != '\n') append('\n');
    }

    // Appends one separator (space or tab) unless the text is empty or already ends with
    // whitespace: used between table cells and runs of collapsed whitespace.
    void separate(char separator = ' ') {
        if (!text_.empty() && text_.back() != '\n' && text_.back() != '\t' && text_.back() != ' ')
            append(separator);
    }

    bool full() const { return full_; }
    std::size_t size() const { return text_.size(); }
    std::size_t remaining() const { return maxBytes_ - text_.size(); }

    // The collected text without trailing whitespace; the sink is empty afterwards.
    std::string take() {
        std::string out;
        out.swap(text_);
        const std::size_t end = out.find_last_not_of(" \t\r\n\f\v");
        out.resize(end == std::string::npos ? 0 : end + 1);
        return out;
    }

private:
    std::size_t maxBytes_;
    std::string text_;
    bool full_ = false;
};

}  // namespace kiroku::plugins
