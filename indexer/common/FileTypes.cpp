#include "kiroku/indexer/FileTypes.h"

#include <cctype>
#include <cstddef>

namespace kiroku::indexer {

namespace {

struct FileType {
    std::string_view extension;  // lower case, at most kMaxExtension characters
    const char* mime;
    const char* search;
};

constexpr std::size_t kMaxExtension = 4;

constexpr FileType kFileTypes[] = {
    {"txt", "text/plain; charset=utf-8", "text"},
    {"text", "text/plain; charset=utf-8", "text"},
    {"md", "text/markdown", "text"},
    {"csv", "text/csv", "csv"},
    {"htm", "text/html", "html"},
    {"html", "text/html", "html"},
    {"xml", "application/xml", "xml"},
    {"json", "application/json", "json"},
    {"pdf", "application/pdf", "pdf"},
    {"rtf", "application/rtf", "rtf"},
    {"doc", "application/msword", "doc"},
    {"xls", "application/vnd.ms-excel", "xls"},
    {"ppt", "application/vnd.ms-powerpoint", "ppt"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
    {"odt", "application/vnd.oasis.opendocument.text", "odt"},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet", "ods"},
    {"odp", "application/vnd.oasis.opendocument.presentation", "odp"},
    {"jpg", "image/jpeg", "image"},
    {"jpeg", "image/jpeg", "image"},
    {"png", "image/png", "image"},
    {"gif", "image/gif", "image"},
    {"zip", "application/zip", "zip"},
    {"jtd", "application/x-js-taro", "jtd"},  // 一太郎
};

std::string_view extensionOf(std::string_view name) {
    auto dot = name.rfind('.');
    return dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
}

// The table's entry for an extension (any case), or null. Called for every entry of a
// WebDAV listing: no allocation.
const FileType* find(std::string_view extension) {
    if (extension.empty() || extension.size() > kMaxExtension) return nullptr;
    char lower[kMaxExtension];
    for (std::size_t i = 0; i < extension.size(); ++i) {
        lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(extension[i])));
    }
    const std::string_view key(lower, extension.size());
    for (const auto& type : kFileTypes) {
        if (type.extension == key) return &type;
    }
    return nullptr;
}

}  // namespace

const char* mimeTypeOf(std::string_view name) {
    const FileType* type = find(extensionOf(name));
    return type ? type->mime : "application/octet-stream";
}

std::string searchTypeOf(std::string_view name) {
    const std::string_view extension = extensionOf(name);
    if (const FileType* type = find(extension)) return type->search;
    if (extension.empty()) return "other";
    std::string own(extension);
    for (auto& c : own) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return own;
}

}  // namespace kiroku::indexer
