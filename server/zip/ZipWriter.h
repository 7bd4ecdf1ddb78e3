#pragma once
// zip/: writes ZIP archives as a stream (PKWARE APPNOTE 6.3), for exports such as a role's
// handover (引継ぎ: transfer of a role's documents to its next holder) sent as one download.
// Knows nothing of Kiroku (no documents, no rights, no HTTP); keeps nothing proportional to the
// files' sizes, only one small central-directory record per entry.
//
// Every entry is stored uncompressed (method 0): exports are mostly PDFs and Office files,
// which do not shrink, and storing streams as fast as the disk reads. Names are UTF-8, marked
// twice so that Windows Explorer, macOS Archive Utility and Linux all show Japanese names: the
// UTF-8 flag (bit 11) and the Info-ZIP Unicode Path extra field (0x7075). Entries are made on
// Unix (mode 0644 for files, 0755 for folders) and carry their time twice: as local DOS time
// (the server's time zone) and as UTC in the extended-timestamp extra field (0x5455).
//
// A ZipWriter is not thread-safe: one thread writes one archive.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

namespace kiroku::zip {

// Where the archive's bytes go (an HTTP response stream, a file). A throw from write() aborts
// the archive: the ZipWriter refuses every later call.
class Sink {
public:
    virtual ~Sink() = default;
    virtual void write(const char* data, std::size_t size) = 0;
};

// From which values on the ZIP64 extensions are used. The defaults are the format's limits;
// only tests lower them, to reach the ZIP64 records without writing 4 GiB (as LevelDB's test
// hooks do). Declared outside ZipWriter so that it can be a defaulted constructor argument.
struct Zip64Thresholds {
    std::uint64_t fieldValue = 0xFFFFFFFF;  // a size or offset this large needs 64 bits
    std::uint64_t entryCount = 0xFFFF;      // this many entries need the ZIP64 end records
};

// Writes one archive to a Sink, entry after entry, then the central directory on finish().
//
// ZIP64: a streamed entry's size is known only at its end, but whether its sizes are 64-bit
// must be said in its local header (libarchive's streaming reader takes the data descriptor's
// width from it, and macOS Archive Utility refuses a ZIP64 entry whose local header does not
// say so). So an entry is written as ZIP64 from its local header on when it starts at or
// beyond 4 GiB into the archive (it needs ZIP64 for its offset anyway; stream-zip decides the
// same) or when the caller expects it to reach 4 GiB; all others stay classic, which every
// reader knows. An entry that reaches 4 GiB unannounced still gets 8-byte sizes in its data
// descriptor and the central directory, as Go's and Java's writers do: readers of the central
// directory (Info-ZIP unzip, Python, libarchive on a file) read it, streaming readers may not.
class ZipWriter {
public:
    explicit ZipWriter(Sink& out, Zip64Thresholds thresholds = {});

    // Starts a file entry. `name`: UTF-8, relative, '/' between folders (no leading '/', no
    // empty, "." or ".." segment, no backslash, no control character, not ending in '/').
    // `modifiedUs`: microseconds since the epoch. `expectedSize`: the bytes the caller means
    // to write, when known (the file's size on disk); only used to decide ZIP64 (see above).
    // Throws std::invalid_argument for a bad or already used name (a file and a folder may
    // not share one), and the archive stays writable; std::logic_error when an entry is open,
    // after finish() or after the sink failed.
    void beginFile(const std::string& name, std::int64_t modifiedUs,
                   std::uint64_t expectedSize = 0);
    // Appends to the open entry's content; any number of calls, of any size.
    void write(const char* data, std::size_t size);
    // Ends the open entry (its data descriptor: CRC-32 and sizes).
    void endFile();

    // Adds a folder entry; `name` as for beginFile, with or without the final '/'.
    void addFolder(const std::string& name, std::int64_t modifiedUs);

    // Writes the central directory (and the ZIP64 end records when a count, size or offset
    // does not fit the classic end record). Nothing may be added afterwards.
    void finish();

    // Bytes given to the sink so far; after finish(), the archive's size.
    std::uint64_t bytesWritten() const { return written_; }

private:
    // What the central directory needs of an entry.
    struct Entry {
        std::string name;
        std::uint64_t offset = 0;  // of its local header
        std::uint64_t size = 0;
        std::uint32_t crc = 0;
        std::uint32_t unixTime = 0;
        std::uint16_t dosTime = 0;
        std::uint16_t dosDate = 0;
        bool folder = false;
        bool zip64 = false;  // 64-bit sizes (see the class comment for when)
    };
    enum class State { betweenEntries, inFile, finished, failed };

    Entry& addEntry(std::string name, std::int64_t modifiedUs, bool folder);
    void requireState(State wanted, const char* call) const;
    bool exceeds(std::uint64_t value) const { return value >= thresholds_.fieldValue; }
    // ZIP64 for the sizes, or only for the offset (a folder far into the archive).
    bool usesZip64(const Entry& entry) const;
    static std::uint16_t flags(const Entry& entry);
    void writeLocalHeader(const Entry& entry);
    void writeDataDescriptor(const Entry& entry);
    void writeCentralHeader(const Entry& entry);
    void writeEndRecords(std::uint64_t directoryOffset, std::uint64_t directorySize);
    void emit(const std::string& bytes) { emit(bytes.data(), bytes.size()); }
    void emit(const char* data, std::size_t size);

    Sink& out_;
    Zip64Thresholds thresholds_;
    // A deque, so that names_' views into the names stay valid as entries are added.
    std::deque<Entry> entries_;
    std::unordered_set<std::string_view> names_;  // without a folder's final '/'
    std::uint64_t written_ = 0;
    State state_ = State::betweenEntries;
};

}  // namespace kiroku::zip
