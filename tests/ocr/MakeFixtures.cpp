// Makes the derived OCR test images of tests/ocr/ from the corpus's photographed notice
// (tests/corpus/緑町自治区/回覧/敬老会のご案内.jpg). Run once by hand when they change (see
// README.md); the tests and bench/ocr.sh use the files it wrote.
//
//   cmake --build build --target kiroku_ocr_fixtures
//   build/bin/kiroku_ocr_fixtures tests/corpus/緑町自治区/回覧/敬老会のご案内.jpg tests/ocr

#include <leptonica/allheaders.h>
#include <libheif/heif.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace {

// A phone photo of the notice: turned by `degrees`, lit from the top left (the far corner
// about half as bright), slightly blurred, saved as JPEG quality 70.
bool writePhoto(Pix* page, double degrees, const std::string& path) {
    Pix* grey = pixConvertRGBToLuminance(page);
    Pix* turned = pixRotate(grey, static_cast<l_float32>(degrees * M_PI / 180.0), L_ROTATE_AREA_MAP,
                            L_BRING_IN_WHITE, 0, 0);
    const int w = pixGetWidth(turned), h = pixGetHeight(turned);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            l_uint32 v = 0;
            pixGetPixel(turned, x, y, &v);
            const double light = 0.95 - 0.45 * (0.6 * x / w + 0.4 * y / h);
            pixSetPixel(turned, x, y, std::min(255u, static_cast<l_uint32>(v * light) + 8));
        }
    }
    Pix* blurred = pixBlockconv(turned, 1, 1);
    Pix* colour = pixConvertTo32(blurred);
    const bool ok = pixWriteJpeg(path.c_str(), colour, 70, 0) == 0;
    for (Pix* p : {grey, turned, blurred, colour}) pixDestroy(&p);
    return ok;
}

// The notice stored sideways (turned a quarter to the left), as a phone held upright
// stores it, with Exif orientation 6 ("turn a quarter to the right to show it").
bool writeSideways(Pix* page, const std::string& path) {
    Pix* sideways = pixRotate90(page, -1);
    l_uint8* data = nullptr;
    size_t size = 0;
    const bool encoded = pixWriteMemJpeg(&data, &size, sideways, 85, 0) == 0;
    pixDestroy(&sideways);
    if (!encoded) return false;
    // An APP1 segment after SOI: "Exif\0\0", a little-endian TIFF header and one IFD entry.
    const unsigned char exif[] = {0xFF, 0xE1, 0x00, 0x22, 'E',  'x',  'i',  'f',  0x00,
                                  0x00, 'I',  'I',  0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,
                                  0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00,
                                  0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), 2);
    out.write(reinterpret_cast<const char*>(exif), sizeof exif);
    out.write(reinterpret_cast<const char*>(data) + 2, static_cast<std::streamsize>(size - 2));
    lept_free(data);
    return static_cast<bool>(out);
}

// The notice as a HEIC photo (grey, HEVC quality 60), as an iPhone saves pictures.
bool writeHeic(Pix* page, const std::string& path) {
    Pix* grey = pixConvertRGBToLuminance(page);
    const int w = pixGetWidth(grey), h = pixGetHeight(grey);
    heif_context* context = heif_context_alloc();
    heif_encoder* encoder = nullptr;
    heif_image* image = nullptr;
    bool ok =
        heif_context_get_encoder_for_format(context, heif_compression_HEVC, &encoder).code ==
            heif_error_Ok &&
        heif_image_create(w, h, heif_colorspace_monochrome, heif_chroma_monochrome, &image).code ==
            heif_error_Ok &&
        heif_image_add_plane(image, heif_channel_Y, w, h, 8).code == heif_error_Ok;
    if (ok) {
        heif_encoder_set_lossy_quality(encoder, 60);
        int stride = 0;
        uint8_t* plane = heif_image_get_plane(image, heif_channel_Y, &stride);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                l_uint32 v = 0;
                pixGetPixel(grey, x, y, &v);
                plane[y * stride + x] = static_cast<uint8_t>(v);
            }
        ok = heif_context_encode_image(context, image, encoder, nullptr, nullptr).code ==
                 heif_error_Ok &&
             heif_context_write_to_file(context, path.c_str()).code == heif_error_Ok;
    }
    if (image) heif_image_release(image);
    if (encoder) heif_encoder_release(encoder);
    heif_context_free(context);
    pixDestroy(&grey);
    return ok;
}

}  // namespace

int main(int argc, char* argv[]) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: kiroku_ocr_fixtures NOTICE.jpg OUTPUT_DIR\n");
        return 2;
    }
    Pix* page = pixRead(argv[1]);
    if (page == nullptr) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    const std::string dir = argv[2];
    const bool ok = writePhoto(page, 4.0, dir + "/敬老会のご案内（写真・傾き4度）.jpg") &&
                    writeSideways(page, dir + "/敬老会のご案内（横向き・Exif）.jpg") &&
                    writeHeic(page, dir + "/敬老会のご案内.heic");
    pixDestroy(&page);
    if (!ok) std::fprintf(stderr, "could not write every image to %s\n", dir.c_str());
    return ok ? 0 : 1;
}
