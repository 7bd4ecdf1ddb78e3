#include "OcrSettings.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins::ocr {
namespace {

constexpr const char* kDebianTessdata = "/usr/share/tesseract-ocr/5/tessdata";

bool isFile(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool isDirectory(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// A positive whole number from the environment, or `fallback`.
long positiveFromEnvironment(const char* name, long fallback) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return fallback;
    char* end = nullptr;
    const long number = std::strtol(value, &end, 10);
    return *end == '\0' && number > 0 ? number : fallback;
}

// A language name is letters, digits and '_' ("jpn_vert"): never a path.
bool isLanguageName(const std::string& name) {
    if (name.empty() || name.size() > 32) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    return true;
}

// The Debian package that installs a language: jpn_vert is tesseract-ocr-jpn-vert.
std::string packageOf(std::string language) {
    for (char& c : language)
        if (c == '_') c = '-';
    return "tesseract-ocr-" + language;
}

bool isJapanese(const std::string& language) { return language == "jpn" || language == "jpn_vert"; }

}  // namespace

OcrSettings OcrSettings::fromEnvironment() {
    OcrSettings settings;
    if (const char* languages = std::getenv("KIROKU_OCR_LANGUAGES"); languages && *languages)
        settings.languages = languages;
    settings.pageLimit = static_cast<int>(
        std::min(positiveFromEnvironment("KIROKU_OCR_PAGES", settings.pageLimit), 100000L));
    settings.timeLimit = std::chrono::seconds(
        positiveFromEnvironment("KIROKU_OCR_SECONDS", settings.timeLimit.count()));
    return settings;
}

std::string tessdataDir() {
    if (const char* prefix = std::getenv("TESSDATA_PREFIX"); prefix && *prefix) {
        std::string dir = prefix;
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        if (isDirectory(dir + "/tessdata")) return dir + "/tessdata";
        return dir;
    }
    return kDebianTessdata;
}

std::string installedLanguages(const std::string& requested, const std::string& dir) {
    std::vector<std::string> asked;
    std::stringstream in(requested);
    for (std::string language; std::getline(in, language, '+');)
        if (!language.empty()) asked.push_back(language);
    std::string installed, firstMissing, missingJapanese;
    bool japaneseAsked = false, japaneseInstalled = false;
    for (const auto& language : asked) {
        if (!isLanguageName(language))
            throw indexer::ExtractionError("OCR is not available: no such language \"" + language +
                                           "\"");
        const bool present = isFile(dir + "/" + language + ".traineddata");
        japaneseAsked |= isJapanese(language);
        japaneseInstalled |= present && isJapanese(language);
        if (present) {
            if (("+" + installed + "+").find("+" + language + "+") == std::string::npos)
                installed += (installed.empty() ? "" : "+") + language;
        } else {
            if (firstMissing.empty()) firstMissing = language;
            if (isJapanese(language) && missingJapanese.empty()) missingJapanese = language;
        }
    }
    if (japaneseAsked && !japaneseInstalled)
        throw indexer::ExtractionError("OCR is not available: " + packageOf(missingJapanese) +
                                       " is not installed");
    if (installed.empty())
        throw indexer::ExtractionError("OCR is not available: " +
                                       (firstMissing.empty()
                                            ? std::string("no languages are set")
                                            : packageOf(firstMissing) + " is not installed"));
    return installed;
}

}  // namespace kiroku::plugins::ocr
