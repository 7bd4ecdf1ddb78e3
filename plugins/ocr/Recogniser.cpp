#include "Recogniser.h"

#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <climits>
#include <sstream>

#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins::ocr {
namespace {

using Clock = Recogniser::Clock;

// A line of at most kShortLineCharacters is kept only when Tesseract is this sure of it:
// such short, unsure lines are stray marks or a character cut off its line (区 read "エー"
// with confidence 18).
constexpr std::size_t kShortLineCharacters = 2;
constexpr float kMinShortLineConfidence = 50.0f;

// A second pass over more pieces than this is reading a picture, not missed text.
constexpr int kMaxLeftoverPieces = 1500;

int millisecondsUntil(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

Box unite(const Box& a, const Box& b) {
    return {std::min(a.left, b.left), std::min(a.top, b.top), std::max(a.right, b.right),
            std::max(a.bottom, b.bottom)};
}

// Characters other than spaces.
std::size_t characterCount(const std::string& text) {
    std::size_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80 && c != ' ') ++n;
    return n;
}

bool isJapaneseLanguage(const std::string& language) {
    return language == "jpn" || language == "jpn_vert";
}

// A page is read again with the Latin-script languages when its Japanese reading has at
// least this many ASCII letters and twice as many as Japanese characters.
bool mostlyLatin(const std::string& text) {
    std::size_t latin = 0, japanese = 0;
    const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    for (std::int32_t i = 0; i < length;) {
        UChar32 c = 0;
        U8_NEXT(p, i, length, c);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++latin;
        if (c > 0 && isJapaneseCharacter(static_cast<char32_t>(c))) ++japanese;
    }
    return latin >= 20 && latin > 2 * japanese;
}

}  // namespace

// One TessBaseAPI with its languages.
class Recogniser::Engine {
public:
    Engine(const std::string& tessdataDir, const std::string& languages)
        : api_(std::make_unique<tesseract::TessBaseAPI>()) {
        // Tesseract's messages ("Estimating resolution as …") go nowhere: set before Init
        // so that loading is quiet too.
        const std::vector<std::string> names{"debug_file"}, values{"/dev/null"};
        if (api_->Init(tessdataDir.c_str(), languages.c_str(), tesseract::OEM_LSTM_ONLY, nullptr, 0,
                       &names, &values, false) != 0)
            throw indexer::ExtractionError("OCR is not available: Tesseract cannot load " +
                                           languages + " from " + tessdataDir);
    }
    ~Engine() { api_->End(); }

    // The page's lines; `finished` is false when the deadline cut the reading short.
    std::string read(Pix* page, int dpi, Clock::time_point deadline, bool& finished) {
        api_->SetPageSegMode(tesseract::PSM_AUTO);
        api_->SetImage(page);
        if (dpi > 0) api_->SetSourceResolution(dpi);
        std::vector<Line> lines;
        finished = recognise(deadline, 0.0f, 1, lines);

        // Tesseract's automatic layout drops short lines of large characters (a form's
        // title such as カーブミラー設置要望書 on its own): read what ink is left, in sparse
        // text mode.
        PixPtr binary(finished ? api_->GetThresholdedImage() : nullptr);
        if (binary && pixGetWidth(binary.get()) == pixGetWidth(page) &&
            pixGetHeight(binary.get()) == pixGetHeight(page)) {
            if (PixPtr rest = leftover(binary.get(), lines)) {
                api_->SetPageSegMode(tesseract::PSM_SPARSE_TEXT);
                api_->SetImage(rest.get());
                if (dpi > 0) api_->SetSourceResolution(dpi);
                std::vector<Line> found;
                finished =
                    recognise(deadline, kMinRecoveredConfidence, kMinRecoveredCharacters, found);
                for (auto& line : found) insertInReadingOrder(lines, std::move(line));
            }
        }
        api_->Clear();

        std::string text;
        for (const auto& line : lines) text += line.text + "\n";
        return text;
    }

private:
    // Recognises the image set in the API and appends its lines of at least
    // `minConfidence` and `minCharacters`. False when the deadline stopped it.
    bool recognise(Clock::time_point deadline, float minConfidence, std::size_t minCharacters,
                   std::vector<Line>& lines) {
        const int milliseconds = millisecondsUntil(deadline);
        if (milliseconds <= 0) return false;
        tesseract::ETEXT_DESC monitor;
        monitor.set_deadline_msecs(milliseconds);
        // Past the deadline Tesseract stops and marks the words it has not read; what it
        // read is still there, so the result is used either way.
        const bool finished = api_->Recognize(&monitor) == 0 && !monitor.deadline_exceeded();

        std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
        if (!it) return finished;
        std::vector<Word> words;
        float confidence = 0;
        auto endLine = [&] {
            if (words.empty()) return;
            Line line{joinWords(words), words.front().box};
            for (const auto& word : words) line.box = unite(line.box, word.box);
            const std::size_t characters = characterCount(line.text);
            const float mean = confidence / static_cast<float>(words.size());
            if (characters >= minCharacters && mean >= minConfidence &&
                (characters > kShortLineCharacters || mean >= kMinShortLineConfidence))
                lines.push_back(std::move(line));
            words.clear();
            confidence = 0;
        };
        do {
            if (it->Empty(tesseract::RIL_WORD)) continue;
            if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) endLine();
            std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
            Word word;
            if (text) word.text = text.get();
            // Tesseract sometimes gives a word that is only a space.
            word.text.erase(0, word.text.find_first_not_of(' '));
            word.text.erase(word.text.find_last_not_of(' ') + 1);
            it->BoundingBox(tesseract::RIL_WORD, &word.box.left, &word.box.top, &word.box.right,
                            &word.box.bottom);
            confidence += it->Confidence(tesseract::RIL_WORD);
            words.push_back(std::move(word));
        } while (it->Next(tesseract::RIL_WORD));
        endLine();
        return finished;
    }

    // Ink the first pass did not read: `binary` without `lines` and without specks; null
    // when nothing worth a second pass is left.
    static PixPtr leftover(Pix* binary, const std::vector<Line>& lines) {
        std::vector<int> thickness;
        for (const auto& line : lines)
            thickness.push_back(line.vertical() ? line.box.width() : line.box.height());
        int typical = 24;
        if (!thickness.empty()) {
            auto middle = thickness.begin() + static_cast<std::ptrdiff_t>(thickness.size() / 2);
            std::nth_element(thickness.begin(), middle, thickness.end());
            typical = *middle;
        }
        const int pad = std::max(2, typical / 8);
        for (const auto& line : lines) {
            ::Box* box = boxCreate(line.box.left - pad, line.box.top - pad,
                                   line.box.width() + 2 * pad, line.box.height() + 2 * pad);
            if (box == nullptr) continue;
            pixClearInRect(binary, box);
            boxDestroy(&box);
        }
        // Specks smaller than a fifth of a line are dust, not the dots of a character.
        const int speck = std::max(4, typical / 5);
        PixPtr cleaned(
            pixSelectBySize(binary, speck, speck, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr));
        if (!cleaned) return {};
        l_int32 pieces = 0;
        pixCountConnComp(cleaned.get(), 8, &pieces);
        if (pieces < 2 || pieces > kMaxLeftoverPieces) return {};
        return cleaned;
    }

    std::unique_ptr<tesseract::TessBaseAPI> api_;
};

Recogniser::Recogniser(const std::string& tessdataDir, const std::string& languages)
    : tessdataDir_(tessdataDir) {
    std::string japanese, others;
    std::stringstream in(languages);
    for (std::string language; std::getline(in, language, '+');) {
        if (language.empty()) continue;
        std::string& group = isJapaneseLanguage(language) ? japanese : others;
        group += (group.empty() ? "" : "+") + language;
    }
    if (japanese.empty()) {
        first_ = std::make_unique<Engine>(tessdataDir, others);
        return;
    }
    first_ = std::make_unique<Engine>(tessdataDir, japanese);
    const bool horizontalJapanese = ("+" + japanese + "+").find("+jpn+") != std::string::npos;
    if (!others.empty()) latinLanguages_ = others + (horizontalJapanese ? "+jpn" : "");
}

Recogniser::~Recogniser() = default;

Recogniser::Engine& Recogniser::latin() {
    if (!latin_) latin_ = std::make_unique<Engine>(tessdataDir_, latinLanguages_);
    return *latin_;
}

std::string Recogniser::read(Pix* page, int dpi, Clock::time_point deadline) {
    bool finished = false;
    std::string text = first_->read(page, dpi, deadline, finished);
    if (finished && !latinLanguages_.empty() && mostlyLatin(text)) {
        std::string again = latin().read(page, dpi, deadline, finished);
        if (finished) text = std::move(again);
    }
    return text;
}

}  // namespace kiroku::plugins::ocr
