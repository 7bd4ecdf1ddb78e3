#include "PagePreparation.h"

#include <algorithm>
#include <cmath>
#include <new>
#include <vector>

namespace kiroku::plugins::ocr {
namespace {

PixPtr checked(Pix* pix) {
    if (pix == nullptr) throw std::bad_alloc();
    return PixPtr(pix);
}

// 8-bit grey; transparent pixels become white paper, not black.
PixPtr toGrey(Pix* page) {
    PixPtr blended;
    if (pixGetDepth(page) == 32 && pixGetSpp(page) == 4) {
        blended = checked(pixAlphaBlendUniform(page, 0xffffff00));
        page = blended.get();
    }
    if (pixGetColormap(page) != nullptr)
        return checked(pixRemoveColormap(page, REMOVE_CMAP_TO_GRAYSCALE));
    switch (pixGetDepth(page)) {
        case 8:
            return checked(pixCopy(nullptr, page));
        case 32:
            return checked(pixConvertRGBToLuminance(page));
        case 1:
            return checked(pixConvert1To8(nullptr, page, 255, 0));
        default:
            return checked(pixConvertTo8(page, 0));
    }
}

// The spread of the paper's brightness across the page (95th - 5th percentile of the
// background map); 0 when it cannot be measured.
int backgroundSpread(Pix* grey) {
    Pix* raw = nullptr;
    if (pixGetBackgroundGrayMap(grey, nullptr, 50, 50, 100, 50, &raw) != 0 || raw == nullptr)
        return 0;
    PixPtr map(raw);
    l_uint32 low = 0, high = 0;
    if (pixGetRankValue(map.get(), 1, 0.05f, &low) != 0 ||
        pixGetRankValue(map.get(), 1, 0.95f, &high) != 0)
        return 0;
    return static_cast<int>(high) - static_cast<int>(low);
}

// The larger side of the characters' pieces (75th percentile of the connected components
// between 6 and 400 pixels); 0 when the page has too few of them to tell.
int characterPixels(Pix* binary) {
    Boxa* raw = pixConnCompBB(binary, 8);
    if (raw == nullptr) return 0;
    std::vector<int> sizes;
    const int n = boxaGetCount(raw);
    for (int i = 0; i < n; ++i) {
        l_int32 x = 0, y = 0, w = 0, h = 0;
        boxaGetBoxGeometry(raw, i, &x, &y, &w, &h);
        const int side = std::max(w, h);
        if (side >= 6 && side <= 400) sizes.push_back(side);
    }
    boxaDestroy(&raw);
    if (sizes.size() < 20) return 0;
    auto rank = sizes.begin() + static_cast<std::ptrdiff_t>(sizes.size() * 3 / 4);
    std::nth_element(sizes.begin(), rank, sizes.end());
    return *rank;
}

}  // namespace

PixPtr prepareForOcr(Pix* page, int& dpi, Preparation& done) {
    done = Preparation{};
    PixPtr grey = toGrey(page);
    double scale = 1.0;
    // A huge photo is brought within kMaxPixels first: every step below is then quicker.
    const double pixels = static_cast<double>(pixGetWidth(grey.get())) * pixGetHeight(grey.get());
    if (pixels > Preparation::kMaxPixels) {
        scale = std::sqrt(Preparation::kMaxPixels / pixels);
        grey = checked(
            pixScale(grey.get(), static_cast<l_float32>(scale), static_cast<l_float32>(scale)));
    }

    // Even lighting first: the thresholds below (and Tesseract's own) are global.
    if (backgroundSpread(grey.get()) > Preparation::kMaxBackgroundSpread) {
        if (Pix* even =
                pixBackgroundNorm(grey.get(), nullptr, nullptr, 10, 15, 100, 50, 250, 2, 1)) {
            grey.reset(even);
            done.backgroundEvened = true;
        }
    }

    // A black-and-white copy to measure the skew and the characters' size on.
    Pix* rawBinary = nullptr;
    pixOtsuAdaptiveThreshold(grey.get(), 2000, 2000, 0, 0, 0.0f, nullptr, &rawBinary);
    PixPtr binary(rawBinary);
    if (binary) {
        l_float32 angle = 0, confidence = 0;
        if (pixFindSkew(binary.get(), &angle, &confidence) == 0 && confidence >= 2.0f &&
            std::abs(angle) >= Preparation::kMinDeskewDegrees) {
            const int w = pixGetWidth(grey.get()), h = pixGetHeight(grey.get());
            if (Pix* turned = pixRotate(grey.get(), static_cast<l_float32>(angle * M_PI / 180.0),
                                        L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, w, h)) {
                grey.reset(turned);
                done.deskewDegrees = angle;
            }
        }
        done.characterPixels = characterPixels(binary.get());
    }

    // Characters of about kTargetCharacterPixels: a 150 dpi scan rendered at 300 dpi has
    // them half as large again, and Tesseract's page layout then misses short lines.
    double resize = 1.0;
    if (done.characterPixels > 0) {
        resize = static_cast<double>(Preparation::kTargetCharacterPixels) / done.characterPixels;
        if (resize > 0.8 && resize < 1.6) resize = 1.0;  // near enough: no blur for nothing
        resize = std::clamp(resize, 0.3, 2.5);
    }
    const double after =
        static_cast<double>(pixGetWidth(grey.get())) * pixGetHeight(grey.get()) * resize * resize;
    if (after > Preparation::kMaxPixels) resize *= std::sqrt(Preparation::kMaxPixels / after);
    if (std::abs(resize - 1.0) > 0.01) {
        grey = checked(
            pixScale(grey.get(), static_cast<l_float32>(resize), static_cast<l_float32>(resize)));
        scale *= resize;
    }
    if (scale != 1.0) {
        done.scale = scale;
        if (dpi > 0) dpi = static_cast<int>(std::lround(dpi * scale));
    }
    return grey;
}

}  // namespace kiroku::plugins::ocr
