#pragma once
// The message catalogue: every sentence Kiroku says to a person — WebDAV and API error
// bodies, the CLI's output, the start page, the web UI to come — in Japanese and
// English, keyed by a code, in one file (server/messages/catalogue.tsv, built into the
// program). Code never holds the sentences themselves; it names them:
//
//     throw StoreError(StoreError::Kind::NotFound, msg("store.not_found"));
//     msg("store.case_twin", {{"name", twin}})   // "{name}" in the texts is replaced
//
// A test checks that every code used exists with both texts, and that no Japanese
// string literal is left outside the catalogue. Texts never name a path on the server's
// disk, SQL or an exception's internals: those go to the log (Refusal::detail).
// Thread-safe: the catalogue is read once and never changes.

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace kiroku {

struct Message {
    std::string code;
    std::string ja;
    std::string en;

    // "ja / en" for places that show both (the CLI on an administrator's terminal).
    std::string both() const { return ja + " / " + en; }
    // The text in a language: "ja" (the default) or "en".
    const std::string& in(std::string_view lang) const { return lang == "en" ? en : ja; }
};

using MessageArgs = std::initializer_list<std::pair<std::string_view, std::string>>;

// The message `code`, with `{name}` placeholders replaced by the arguments. Throws
// std::logic_error for a code the catalogue does not have (a programming error).
Message msg(std::string_view code, MessageArgs args = {});

// The whole catalogue: code -> {ja, en}, for tests and for the web UI.
const std::map<std::string, std::pair<std::string, std::string>>& messageCatalogue();

}  // namespace kiroku
