#pragma once
// The file types Kiroku knows by a name's extension, in one table: the MIME type the
// server sends for a file (WebDAV GET's Content-Type, PROPFIND's getcontenttype) and the
// short type the search index files it under (SearchQuery::type: "pdf", "docx", "text",
// "image" …).
//
// It is in the indexer's public interface because server/ (dav/) and indexer/ (index/)
// both need it and neither may include the other's internals: server/ already links the
// indexer, and the table itself knows nothing of either. (Extraction does not use it:
// plugins are chosen by the MIME type libmagic reads from the content.)
// Pure functions, thread-safe.

#include <string>
#include <string_view>

namespace kiroku::indexer {

// "application/pdf", "text/plain; charset=utf-8" …, from the extension of `name` (any
// case); "application/octet-stream" when it has none or one not in the table. The text
// is static.
const char* mimeTypeOf(std::string_view name);

// "pdf", "docx", "text", "image" …, from the extension of `name` (any case); an
// extension not in the table is its own type (in lower case), no extension is "other".
std::string searchTypeOf(std::string_view name);

}  // namespace kiroku::indexer
