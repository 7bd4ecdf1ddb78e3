#include "zip/ZipWriter.h"

#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>
#include <zlib.h>

#include <algorithm>
#include <ctime>
#include <limits>
#include <stdexcept>

namespace kiroku::zip {

namespace {

// Record signatures and field values, as the APPNOTE names them.
constexpr std::uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr std::uint32_t kDataDescriptorSignature = 0x08074b50;
constexpr std::uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr std::uint32_t kZip64EndSignature = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr std::uint32_t kEndSignature = 0x06054b50;

constexpr std::uint16_t kFlagDataDescriptor = 1 << 3;
constexpr std::uint16_t kFlagUtf8 = 1 << 11;
constexpr std::uint16_t kMethodStored = 0;
constexpr std::uint16_t kMadeByUnix = (3 << 8) | 63;  // APPNOTE 6.3: the one with the UTF-8 flag
constexpr std::uint16_t kNeedsVersion20 = 20;         // folders and data descriptors
constexpr std::uint16_t kNeedsVersion45 = 45;         // ZIP64
constexpr std::uint16_t kZip64ExtraId = 0x0001;
constexpr std::uint16_t kTimestampExtraId = 0x5455;
constexpr std::uint16_t kUnicodePathExtraId = 0x7075;
// The Unix mode in the high half (what unzip and bsdtar restore), and for folders the MS-DOS
// directory bit in the low half (what Windows looks at).
constexpr std::uint32_t kFileAttributes = 0100644u << 16;
constexpr std::uint32_t kFolderAttributes = (040755u << 16) | 0x10;
// In a 32- or 16-bit field: "the value is in the ZIP64 record".
constexpr std::uint32_t kMarker32 = 0xFFFFFFFF;
constexpr std::uint16_t kMarker16 = 0xFFFF;

// A central header's extra fields (ZIP64 with three values, timestamp, Unicode Path) and the
// name they repeat must fit the 16-bit extra-field length.
constexpr std::size_t kMaxNameBytes = 0xFFFF - (4 + 24) - (4 + 5) - (4 + 5);

// Builds a record: little-endian fields, appended in order.
class Record {
public:
    Record& u8(std::uint8_t value) { return little(value, 1); }
    Record& u16(std::uint16_t value) { return little(value, 2); }
    Record& u32(std::uint32_t value) { return little(value, 4); }
    Record& u64(std::uint64_t value) { return little(value, 8); }
    Record& append(std::string_view bytes) {
        bytes_.append(bytes);
        return *this;
    }
    const std::string& bytes() const { return bytes_; }
    std::uint16_t size() const { return static_cast<std::uint16_t>(bytes_.size()); }

private:
    Record& little(std::uint64_t value, int width) {
        for (int i = 0; i < width; ++i) bytes_ += static_cast<char>(value >> (8 * i));
        return *this;
    }
    std::string bytes_;
};

std::uint32_t crcOf(std::string_view bytes) {
    return crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size());
}

[[noreturn]] void refuseName(const char* why) {
    throw std::invalid_argument(std::string("ZIP entry name ") + why);
}

// Extractors write the name to the disk as it is, so it must stay inside the folder they
// extract to, and mean the same on Windows.
void checkName(const std::string& name) {
    if (name.empty() || name.size() > kMaxNameBytes) refuseName("is empty or too long");
    Poco::UTF8Encoding utf8;
    for (Poco::TextIterator it(name, utf8), end(name); it != end; ++it) {
        const int c = *it;
        if (c < 0) refuseName("is not valid UTF-8");
        if (c < 0x20 || c == 0x7F) refuseName("has a control character");
        if (c == '\\') refuseName("has a backslash");
    }
    for (std::size_t start = 0; start <= name.size();) {
        const std::size_t slash = std::min(name.find('/', start), name.size());
        const std::string_view segment = std::string_view(name).substr(start, slash - start);
        if (segment.empty() || segment == "." || segment == "..") {
            refuseName("has an empty, \".\" or \"..\" segment (or starts or ends with '/')");
        }
        start = slash + 1;
    }
}

struct DosDateTime {
    std::uint16_t time = 0;
    std::uint16_t date = 0;
};

// MS-DOS time is local time in two-second steps, from 1980 to 2107; times outside are
// clamped to the nearest end.
DosDateTime dosDateTime(std::time_t seconds) {
    std::tm local{};
    localtime_r(&seconds, &local);
    if (local.tm_year < 80) return {0, (1 << 5) | 1};
    if (local.tm_year > 207) return {(23 << 11) | (59 << 5) | 29, (127 << 9) | (12 << 5) | 31};
    return {static_cast<std::uint16_t>((local.tm_hour << 11) | (local.tm_min << 5) |
                                       (local.tm_sec / 2)),
            static_cast<std::uint16_t>(((local.tm_year - 80) << 9) | ((local.tm_mon + 1) << 5) |
                                       local.tm_mday)};
}

// The extended timestamp holds a signed 32-bit Unix time: times after 2038 (or before 1902)
// are clamped to its range.
std::uint32_t unixTime32(std::int64_t seconds) {
    const std::int64_t clamped =
        std::clamp<std::int64_t>(seconds, std::numeric_limits<std::int32_t>::min(),
                                 std::numeric_limits<std::int32_t>::max());
    return static_cast<std::uint32_t>(static_cast<std::int32_t>(clamped));
}

// The extra fields that local and central headers share: the modification time in UTC
// (0x5455, modification time only) and the Info-ZIP Unicode Path (0x7075, version 1), for the
// extractors that read it rather than the UTF-8 flag.
void appendTimeAndNameExtras(Record& extra, std::uint32_t unixTime, const std::string& name) {
    extra.u16(kTimestampExtraId).u16(5).u8(1).u32(unixTime);
    extra.u16(kUnicodePathExtraId)
        .u16(static_cast<std::uint16_t>(5 + name.size()))
        .u8(1)
        .u32(crcOf(name))
        .append(name);
}

}  // namespace

ZipWriter::ZipWriter(Sink& out, Zip64Thresholds thresholds) : out_(out), thresholds_(thresholds) {}

void ZipWriter::beginFile(const std::string& name, std::int64_t modifiedUs,
                          std::uint64_t expectedSize) {
    requireState(State::betweenEntries, "beginFile");
    Entry& entry = addEntry(name, modifiedUs, false);
    entry.zip64 = exceeds(entry.offset) || exceeds(expectedSize);
    writeLocalHeader(entry);
    state_ = State::inFile;
}

void ZipWriter::write(const char* data, std::size_t size) {
    requireState(State::inFile, "write");
    if (size == 0) return;  // data may then be null, which crc32_z() takes for "start over"
    Entry& entry = entries_.back();
    entry.crc = crc32_z(entry.crc, reinterpret_cast<const Bytef*>(data), size);
    emit(data, size);
    entry.size += size;
}

void ZipWriter::endFile() {
    requireState(State::inFile, "endFile");
    Entry& entry = entries_.back();
    entry.zip64 = entry.zip64 || exceeds(entry.size);
    writeDataDescriptor(entry);
    state_ = State::betweenEntries;
}

void ZipWriter::addFolder(const std::string& name, std::int64_t modifiedUs) {
    requireState(State::betweenEntries, "addFolder");
    std::string bare = name;
    if (!bare.empty() && bare.back() == '/') bare.pop_back();
    writeLocalHeader(addEntry(std::move(bare), modifiedUs, true));
}

void ZipWriter::finish() {
    requireState(State::betweenEntries, "finish");
    const std::uint64_t directoryOffset = written_;
    for (const Entry& entry : entries_) writeCentralHeader(entry);
    writeEndRecords(directoryOffset, written_ - directoryOffset);
    state_ = State::finished;
}

ZipWriter::Entry& ZipWriter::addEntry(std::string name, std::int64_t modifiedUs, bool folder) {
    checkName(name);
    if (names_.count(name) != 0) throw std::invalid_argument("ZIP entry name is already used");
    const std::int64_t seconds = modifiedUs / 1000000 - (modifiedUs % 1000000 < 0 ? 1 : 0);
    const DosDateTime dos = dosDateTime(static_cast<std::time_t>(seconds));
    Entry& entry = entries_.emplace_back();
    entry.name = folder ? name + "/" : std::move(name);
    entry.offset = written_;
    entry.unixTime = unixTime32(seconds);
    entry.dosTime = dos.time;
    entry.dosDate = dos.date;
    entry.folder = folder;
    names_.insert(std::string_view(entry.name).substr(0, entry.name.size() - (folder ? 1 : 0)));
    return entry;
}

void ZipWriter::requireState(State wanted, const char* call) const {
    if (state_ == wanted) return;
    const char* why = state_ == State::inFile     ? "an entry is open"
                      : state_ == State::finished ? "the archive is finished"
                      : state_ == State::failed   ? "the sink failed and the archive is aborted"
                                                  : "no entry is open";
    throw std::logic_error(std::string("ZipWriter::") + call + ": " + why);
}

bool ZipWriter::usesZip64(const Entry& entry) const { return entry.zip64 || exceeds(entry.offset); }

std::uint16_t ZipWriter::flags(const Entry& entry) {
    return entry.folder ? kFlagUtf8 : kFlagUtf8 | kFlagDataDescriptor;
}

// A file's CRC and sizes follow its content in the data descriptor; a ZIP64 entry announces
// its 8-byte sizes there with a ZIP64 field whose two sizes (the APPNOTE wants both) are
// placeholders.
void ZipWriter::writeLocalHeader(const Entry& entry) {
    Record extra;
    if (entry.zip64) extra.u16(kZip64ExtraId).u16(16).u64(0).u64(0);
    appendTimeAndNameExtras(extra, entry.unixTime, entry.name);
    const std::uint32_t sizes = entry.zip64 ? kMarker32 : 0;
    Record header;
    header.u32(kLocalHeaderSignature)
        .u16(usesZip64(entry) ? kNeedsVersion45 : kNeedsVersion20)
        .u16(flags(entry))
        .u16(kMethodStored)
        .u16(entry.dosTime)
        .u16(entry.dosDate)
        .u32(0)  // CRC-32: in the data descriptor
        .u32(sizes)
        .u32(sizes)
        .u16(static_cast<std::uint16_t>(entry.name.size()))
        .u16(extra.size())
        .append(entry.name)
        .append(extra.bytes());
    emit(header.bytes());
}

// Stored: the compressed size is the size.
void ZipWriter::writeDataDescriptor(const Entry& entry) {
    Record descriptor;
    descriptor.u32(kDataDescriptorSignature).u32(entry.crc);
    if (entry.zip64) {
        descriptor.u64(entry.size).u64(entry.size);
    } else {
        descriptor.u32(static_cast<std::uint32_t>(entry.size))
            .u32(static_cast<std::uint32_t>(entry.size));
    }
    emit(descriptor.bytes());
}

// The ZIP64 field holds only the values whose header field is the marker, in the APPNOTE's
// order (size, compressed size, offset), as APPNOTE 4.5.3 requires; strict readers refuse a
// field that has more.
void ZipWriter::writeCentralHeader(const Entry& entry) {
    const bool farOffset = exceeds(entry.offset);
    Record extra;
    if (usesZip64(entry)) {
        Record values;
        if (entry.zip64) values.u64(entry.size).u64(entry.size);
        if (farOffset) values.u64(entry.offset);
        extra.u16(kZip64ExtraId).u16(values.size()).append(values.bytes());
    }
    appendTimeAndNameExtras(extra, entry.unixTime, entry.name);
    const auto size = entry.zip64 ? kMarker32 : static_cast<std::uint32_t>(entry.size);
    Record header;
    header.u32(kCentralHeaderSignature)
        .u16(kMadeByUnix)
        .u16(usesZip64(entry) ? kNeedsVersion45 : kNeedsVersion20)
        .u16(flags(entry))
        .u16(kMethodStored)
        .u16(entry.dosTime)
        .u16(entry.dosDate)
        .u32(entry.crc)
        .u32(size)
        .u32(size)
        .u16(static_cast<std::uint16_t>(entry.name.size()))
        .u16(extra.size())
        .u16(0)  // comment length
        .u16(0)  // disk number
        .u16(0)  // internal attributes
        .u32(entry.folder ? kFolderAttributes : kFileAttributes)
        .u32(farOffset ? kMarker32 : static_cast<std::uint32_t>(entry.offset))
        .append(entry.name)
        .append(extra.bytes());
    emit(header.bytes());
}

// The classic end record always ends the archive (readers search for it from the end); a
// value that does not fit it is the marker there and is given by the ZIP64 end record, which
// the locator before the end record points to.
void ZipWriter::writeEndRecords(std::uint64_t directoryOffset, std::uint64_t directorySize) {
    const std::uint64_t count = entries_.size();
    const bool manyEntries = count >= thresholds_.entryCount;
    if (manyEntries || exceeds(directorySize) || exceeds(directoryOffset)) {
        const std::uint64_t zip64EndOffset = written_;
        Record zip64;
        zip64.u32(kZip64EndSignature)
            .u64(56 - 12)  // the record's size after this field
            .u16(kMadeByUnix)
            .u16(kNeedsVersion45)
            .u32(0)  // this disk
            .u32(0)  // the disk where the directory starts
            .u64(count)
            .u64(count)
            .u64(directorySize)
            .u64(directoryOffset);
        zip64.u32(kZip64LocatorSignature)
            .u32(0)  // the disk with the ZIP64 end record
            .u64(zip64EndOffset)
            .u32(1);  // disks in all
        emit(zip64.bytes());
    }
    const auto count16 = manyEntries ? kMarker16 : static_cast<std::uint16_t>(count);
    Record end;
    end.u32(kEndSignature)
        .u16(0)  // this disk
        .u16(0)  // the disk where the directory starts
        .u16(count16)
        .u16(count16)
        .u32(exceeds(directorySize) ? kMarker32 : static_cast<std::uint32_t>(directorySize))
        .u32(exceeds(directoryOffset) ? kMarker32 : static_cast<std::uint32_t>(directoryOffset))
        .u16(0);  // comment length
    emit(end.bytes());
}

void ZipWriter::emit(const char* data, std::size_t size) {
    try {
        out_.write(data, size);
    } catch (...) {
        state_ = State::failed;
        throw;
    }
    written_ += size;
}

}  // namespace kiroku::zip
