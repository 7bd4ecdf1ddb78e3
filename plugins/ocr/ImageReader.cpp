#include "ImageReader.h"

#include <fcntl.h>
#include <libheif/heif.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>

#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins::ocr {
namespace {

using indexer::ExtractionError;

// Leptonica decodes a JPEG at 1/2, 1/4 or 1/8 of its size for free (libjpeg's DCT
// scaling): larger photos are decoded at half size, more than enough for their text.
constexpr double kHalveJpegAboveMegapixels = 25.0;
// Deflate (PNG) expands one byte into at most 1032.
constexpr double kMaxDeflateRatio = 1032.0;

const char* const kUnreadable = "not a readable image (damaged or truncated)";

std::uint32_t byteAt(const std::string& b, std::size_t at) {
    return static_cast<std::uint8_t>(b[at]);
}
std::uint32_t be16(const std::string& b, std::size_t at) {
    return byteAt(b, at) << 8 | byteAt(b, at + 1);
}
std::uint32_t le16(const std::string& b, std::size_t at) {
    return byteAt(b, at) | byteAt(b, at + 1) << 8;
}
std::uint32_t le32(const std::string& b, std::size_t at) {
    return le16(b, at) | le16(b, at + 2) << 16;
}

bool isHeif(const std::string& b) {
    if (b.size() < 12 || b.compare(4, 4, "ftyp") != 0) return false;
    const std::string brand = b.substr(8, 4);
    for (const char* known :
         {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"})
        if (brand == known) return true;
    return false;
}

std::string dimensions(long long width, long long height) {
    return std::to_string(width) + " x " + std::to_string(height) + " pixels";
}

// Refuses a declared size before anything is decoded.
void checkSize(long long width, long long height) {
    if (width <= 0 || height <= 0) throw ExtractionError(kUnreadable);
    if (static_cast<double>(width) * static_cast<double>(height) >
        ImageReader::kMaxMegapixels * 1e6)
        throw ExtractionError("image too large: " + dimensions(width, height) +
                              " (the limit is 50 megapixels)");
}

// Refuses an image whose pixels cannot come from so few bytes (at the format's best
// compression): a bomb, or a truncated file.
void checkHoldable(long long width, long long height, double minimumBytes, std::size_t bytes) {
    if (minimumBytes > static_cast<double>(bytes))
        throw ExtractionError("image declares " + dimensions(width, height) + ", more than its " +
                              std::to_string(bytes) + " bytes can hold");
}

// GIF: the screen and every image in the file (giflib allocates each image's pixels).
void checkGif(const std::string& b) {
    if (b.size() < 13) throw ExtractionError(kUnreadable);
    checkSize(le16(b, 6), le16(b, 8));
    std::size_t at = 13;
    if (byteAt(b, 10) & 0x80) at += 3u << ((byteAt(b, 10) & 7) + 1);
    // LZW: each code is at least 3 bits and stands for at most 4096 pixels.
    constexpr double kMaxPixelsPerByte = 8.0 / 3 * 4096;
    auto skipSubBlocks = [&] {
        while (at < b.size() && byteAt(b, at) != 0) at += byteAt(b, at) + 1;
        ++at;
    };
    while (at < b.size()) {
        const auto block = byteAt(b, at);
        if (block == 0x3B) return;  // trailer
        if (block == 0x21) {        // extension: label, then sub-blocks
            at += 2;
            skipSubBlocks();
        } else if (block == 0x2C && at + 10 <= b.size()) {  // an image
            const long long width = le16(b, at + 5), height = le16(b, at + 7);
            checkSize(width, height);
            checkHoldable(width, height, static_cast<double>(width * height) / kMaxPixelsPerByte,
                          b.size());
            const auto flags = byteAt(b, at + 9);
            at += 10;
            if (flags & 0x80) at += 3u << ((flags & 7) + 1);
            ++at;  // LZW minimum code size
            skipSubBlocks();
        } else {
            return;  // damaged: giflib will say so
        }
    }
}

// BMP: uncompressed rows must all be in the file; RLE gives at most 255 pixels for 2 bytes.
void checkBmp(const std::string& b) {
    if (b.size() < 34) throw ExtractionError(kUnreadable);
    const long long width = static_cast<std::int32_t>(le32(b, 18));
    const long long height = std::llabs(static_cast<std::int32_t>(le32(b, 22)));
    checkSize(width, height);
    const auto bits = le16(b, 28), compression = le32(b, 30);
    if (compression == 0 || compression == 3) {
        const double stride = static_cast<double>((width * bits + 31) / 32 * 4);
        checkHoldable(width, height, stride * static_cast<double>(height), b.size());
    } else {
        checkHoldable(width, height, static_cast<double>(width * height) / 128, b.size());
    }
}

// The Exif orientation of a JPEG (1-8; 1 when it has none): how to turn the stored
// pixels to show the picture upright, as phones record a picture taken sideways.
int jpegOrientation(const std::string& b) {
    if (b.size() < 4 || byteAt(b, 0) != 0xFF || byteAt(b, 1) != 0xD8) return 1;
    for (std::size_t at = 2; at + 4 <= b.size();) {
        if (byteAt(b, at) != 0xFF) return 1;
        const auto marker = byteAt(b, at + 1);
        if (marker == 0xDA || marker == 0xD9) return 1;  // the image data: no Exif before it
        const std::size_t end = at + 2 + be16(b, at + 2);
        if (marker == 0xE1 && end <= b.size() && at + 18 <= end &&
            b.compare(at + 4, 6, std::string("Exif\0\0", 6)) == 0) {
            const std::size_t tiff = at + 10;
            const bool little = b.compare(tiff, 2, "II") == 0;
            auto u16 = [&](std::size_t p) { return little ? le16(b, p) : be16(b, p); };
            auto u32 = [&](std::size_t p) {
                return little ? le32(b, p) : (be16(b, p) << 16 | be16(b, p + 2));
            };
            const std::size_t ifd = tiff + u32(tiff + 4);
            if (ifd + 2 > end) return 1;
            const std::size_t entries = u16(ifd);
            for (std::size_t i = 0; i < entries && ifd + 2 + (i + 1) * 12 <= end; ++i) {
                const std::size_t entry = ifd + 2 + i * 12;
                if (u16(entry) == 0x0112 && u16(entry + 2) == 3) {
                    const int orientation = static_cast<int>(u16(entry + 8));
                    return orientation >= 1 && orientation <= 8 ? orientation : 1;
                }
            }
            return 1;
        }
        at = end;
    }
    return 1;
}

PixPtr upright(PixPtr pix, int orientation) {
    Pix* p = pix.get();
    switch (orientation) {
        case 2:
            return PixPtr(pixFlipLR(nullptr, p));
        case 3:
            return PixPtr(pixRotate180(nullptr, p));
        case 4:
            return PixPtr(pixFlipTB(nullptr, p));
        case 5: {
            PixPtr turned(pixRotate90(p, 1));
            return PixPtr(turned ? pixFlipLR(nullptr, turned.get()) : nullptr);
        }
        case 6:
            return PixPtr(pixRotate90(p, 1));
        case 7: {
            PixPtr turned(pixRotate90(p, -1));
            return PixPtr(turned ? pixFlipLR(nullptr, turned.get()) : nullptr);
        }
        case 8:
            return PixPtr(pixRotate90(p, -1));
        default:
            return pix;
    }
}

// A resolution recorded in the file, when it is a plausible one.
int resolutionOf(Pix* pix) {
    const int dpi = pixGetXRes(pix);
    return dpi >= 70 && dpi <= 2400 ? dpi : 0;
}

// libpng, libjpeg and libtiff print what is wrong with a damaged image on stderr, through
// handlers Leptonica does not let us replace; the reason we give is enough. While an
// image is decoded, stderr points at /dev/null (the worker reads one file at a time). The
// sanitizer build keeps stderr, where a sanitizer reports the crash it catches.
class QuietStderr {
public:
    QuietStderr() {
#ifndef KIROKU_SANITIZE
        saved_ = ::dup(STDERR_FILENO);
        const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (saved_ >= 0 && null >= 0) ::dup2(null, STDERR_FILENO);
        if (null >= 0) ::close(null);
#endif
    }
    ~QuietStderr() {
        if (saved_ < 0) return;
        ::dup2(saved_, STDERR_FILENO);
        ::close(saved_);
    }
    QuietStderr(const QuietStderr&) = delete;
    QuietStderr& operator=(const QuietStderr&) = delete;

private:
    int saved_ = -1;
};

struct HeifContextDeleter {
    void operator()(heif_context* c) const { heif_context_free(c); }
};
struct HeifHandleDeleter {
    void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct HeifImageDeleter {
    void operator()(heif_image* i) const { heif_image_release(i); }
};

}  // namespace

bool ImageReader::knows(const std::string& start) {
    if (isHeif(start)) return true;
    if (start.size() < 12) return false;
    l_int32 format = IFF_UNKNOWN;
    findFileFormatBuffer(reinterpret_cast<const l_uint8*>(start.data()), &format);
    return format != IFF_UNKNOWN && format != IFF_PS && format != IFF_LPDF && format != IFF_SPIX;
}

ImageReader::ImageReader(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        throw ExtractionError(std::string("cannot read the file: ") + std::strerror(errno));
    if (static_cast<std::size_t>(info.st_size) > kMaxFileBytes)
        throw ExtractionError("image file too large (" + std::to_string(info.st_size >> 20) +
                              " MiB; the limit is 256 MiB)");
    std::ifstream in(path, std::ios::binary);
    bytes_.resize(static_cast<std::size_t>(info.st_size));
    in.read(bytes_.data(), static_cast<std::streamsize>(bytes_.size()));
    bytes_.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    if (!knows(bytes_)) throw ExtractionError("not an image OCR can read");
    if (isHeif(bytes_)) {
        format_ = -1;
        return;  // libheif reads the declared size in decodeHeif(), before decoding
    }
    const auto* data = reinterpret_cast<const l_uint8*>(bytes_.data());
    QuietStderr quiet;
    findFileFormatBuffer(data, &format_);
    if (format_ == IFF_GIF) {
        checkGif(bytes_);
        return;
    }
    if (format_ == IFF_BMP) {
        checkBmp(bytes_);
        return;
    }
    l_int32 format = 0, width = 0, height = 0, bits = 0, samples = 0, colormap = 0;
    if (pixReadHeaderMem(data, bytes_.size(), &format, &width, &height, &bits, &samples,
                         &colormap) != 0)
        throw ExtractionError(kUnreadable);
    checkSize(width, height);
    if (format_ == IFF_PNG) {
        const double rowBytes = std::ceil(static_cast<double>(width) * bits * samples / 8) + 1;
        checkHoldable(width, height, rowBytes * height / kMaxDeflateRatio, bytes_.size());
    }
}

PageImage ImageReader::next() {
    QuietStderr quiet;
    if (format_ == -1) return page_++ == 0 ? decodeHeif() : PageImage{};
    return decodeWithLeptonica();
}

PageImage ImageReader::decodeWithLeptonica() {
    const auto* data = reinterpret_cast<const l_uint8*>(bytes_.data());
    const std::size_t size = bytes_.size();
    const bool tiff = format_ == IFF_TIFF || format_ == IFF_TIFF_PACKBITS ||
                      format_ == IFF_TIFF_RLE || format_ == IFF_TIFF_G3 || format_ == IFF_TIFF_G4 ||
                      format_ == IFF_TIFF_LZW || format_ == IFF_TIFF_ZIP ||
                      format_ == IFF_TIFF_JPEG;
    const int page = page_++;
    PageImage image;
    if (tiff) {
        // Each page declares its own size: checked before it is decoded.
        l_int32 width = 0, height = 0, bits = 0, samples = 0, resolution = 0, colormap = 0;
        l_int32 format = 0;
        if (readHeaderMemTiff(data, size, page, &width, &height, &bits, &samples, &resolution,
                              &colormap, &format) != 0) {
            if (page == 0) throw ExtractionError(kUnreadable);
            return {};  // no more pages
        }
        checkSize(width, height);
        image.pix.reset(pixReadMemTiff(data, size, page));
    } else if (page > 0) {
        return {};
    } else if (format_ == IFF_JFIF_JPEG) {
        l_int32 width = 0, height = 0, samples = 0;
        readHeaderMemJpeg(data, size, &width, &height, &samples, nullptr, nullptr);
        const bool halve = static_cast<double>(width) * height > kHalveJpegAboveMegapixels * 1e6;
        l_int32 warnings = 0;
        image.pix.reset(pixReadMemJpeg(data, size, 0, halve ? 2 : 1, &warnings, 0));
        if (image.pix) {
            image.dpi = resolutionOf(image.pix.get()) / (halve ? 2 : 1);
            image.pix = upright(std::move(image.pix), jpegOrientation(bytes_));
        }
        if (!image.pix) throw ExtractionError(kUnreadable);
        return image;
    } else {
        image.pix.reset(pixReadMem(data, size));
    }
    if (!image.pix) throw ExtractionError(kUnreadable);
    image.dpi = resolutionOf(image.pix.get());
    return image;
}

PageImage ImageReader::decodeHeif() {
    std::unique_ptr<heif_context, HeifContextDeleter> context(heif_context_alloc());
    if (!context) throw std::bad_alloc();
    heif_error error = heif_context_read_from_memory_without_copy(context.get(), bytes_.data(),
                                                                  bytes_.size(), nullptr);
    if (error.code != heif_error_Ok) throw ExtractionError(kUnreadable);
    heif_image_handle* rawHandle = nullptr;
    error = heif_context_get_primary_image_handle(context.get(), &rawHandle);
    std::unique_ptr<heif_image_handle, HeifHandleDeleter> handle(rawHandle);
    if (error.code != heif_error_Ok) throw ExtractionError(kUnreadable);
    checkSize(heif_image_handle_get_width(handle.get()),
              heif_image_handle_get_height(handle.get()));

    // The luma plane is all OCR needs: a third of the memory of RGB. libheif turns the
    // picture upright (its rotation and mirroring) as it decodes.
    heif_image* rawImage = nullptr;
    error = heif_decode_image(handle.get(), &rawImage, heif_colorspace_monochrome,
                              heif_chroma_monochrome, nullptr);
    std::unique_ptr<heif_image, HeifImageDeleter> decoded(rawImage);
    if (error.code != heif_error_Ok)
        throw ExtractionError(error.code == heif_error_Unsupported_feature ||
                                      error.code == heif_error_Unsupported_filetype
                                  ? "unsupported HEIF image (" + std::string(error.message) + ")"
                                  : std::string(kUnreadable));
    const int width = heif_image_get_width(decoded.get(), heif_channel_Y);
    const int height = heif_image_get_height(decoded.get(), heif_channel_Y);
    const int bits = heif_image_get_bits_per_pixel_range(decoded.get(), heif_channel_Y);
    int stride = 0;
    const std::uint8_t* plane =
        heif_image_get_plane_readonly(decoded.get(), heif_channel_Y, &stride);
    if (plane == nullptr || width <= 0 || height <= 0) throw ExtractionError(kUnreadable);
    checkSize(width, height);
    PixPtr pix(pixCreate(width, height, 8));
    if (!pix) throw std::bad_alloc();
    l_uint32* rows = pixGetData(pix.get());
    const int wpl = pixGetWpl(pix.get());
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* in = plane + static_cast<std::ptrdiff_t>(y) * stride;
        l_uint32* out = rows + static_cast<std::ptrdiff_t>(y) * wpl;
        if (bits <= 8) {
            for (int x = 0; x < width; ++x) SET_DATA_BYTE(out, x, in[x]);
        } else {  // 10 or 12 bits in two bytes, native order
            const auto* wide = reinterpret_cast<const std::uint16_t*>(in);
            for (int x = 0; x < width; ++x) SET_DATA_BYTE(out, x, wide[x] >> (bits - 8));
        }
    }
    return {std::move(pix), 0};
}

}  // namespace kiroku::plugins::ocr
