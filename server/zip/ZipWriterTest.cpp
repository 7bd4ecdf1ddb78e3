#include "zip/ZipWriter.h"

#include <Poco/Environment.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <sstream>

using kiroku::zip::Sink;
using kiroku::zip::Zip64Thresholds;
using kiroku::zip::ZipWriter;

// Every archive is checked by three independent readers: Info-ZIP unzip, Python's zipfile
// and libarchive's bsdtar (also reading from a pipe, as streaming extractors like macOS
// Archive Utility do: local headers and data descriptors only).

namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kApril2026Us = 1775000000LL * 1000000 + 123456;

// Writes the archive to a file, as kirokud would to a response stream.
class FileSink : public Sink {
public:
    explicit FileSink(const std::string& path) : out_(path, std::ios::binary | std::ios::trunc) {}
    void write(const char* data, std::size_t size) override {
        out_.write(data, static_cast<std::streamsize>(size));
        if (!out_) throw std::runtime_error("cannot write the archive");
    }

private:
    std::ofstream out_;
};

class StringSink : public Sink {
public:
    void write(const char* data, std::size_t size) override { bytes.append(data, size); }
    std::string bytes;
};

// Accepts `budget` bytes, then fails like a client that went away.
class FailingSink : public Sink {
public:
    explicit FailingSink(std::size_t budget) : budget_(budget) {}
    void write(const char*, std::size_t size) override {
        if (size > budget_) throw std::runtime_error("connection reset");
        budget_ -= size;
    }

private:
    std::size_t budget_;
};

// One entry of a test archive; a folder's name ends in '/'.
struct Item {
    std::string name;
    std::string content;
    std::int64_t modifiedUs = kApril2026Us;
    std::uint64_t expectedSize = 0;
    // Whether Python must find a ZIP64 field in the local / central header.
    bool zip64Local = false;
    bool zip64Central = false;
    bool folder() const { return name.back() == '/'; }
};

struct Tool {
    const char* name;
    const char* package;  // the Debian package that brings it
};
const Tool kUnzip{"unzip", "unzip"};
const Tool kPython{"python3", "python3"};
const Tool kBsdtar{"bsdtar", "libarchive-tools"};
const Tool kShell{"sh", "dash"};

struct ToolRun {
    int status = -1;
    std::string output;  // standard output and error
};

std::string find(const Tool& tool) {
    Poco::Path found;
    return Poco::Path::find(Poco::Environment::get("PATH", ""), tool.name, found) ? found.toString()
                                                                                  : std::string();
}

ToolRun missing(const Tool& tool) {
    return {-1, std::string(tool.name) + " is not installed: apt-get install " + tool.package};
}

// Runs a reader in a UTF-8 locale (else unzip and bsdtar mangle the Japanese names).
ToolRun run(const Tool& tool, const std::vector<std::string>& args) {
    const std::string program = find(tool);
    if (program.empty()) return missing(tool);
    Poco::Pipe output;
    Poco::Process::Env utf8Locale;
    utf8Locale["LC_ALL"] = "C.UTF-8";
    Poco::ProcessHandle process =
        Poco::Process::launch(program, args, nullptr, &output, &output, utf8Locale);
    Poco::PipeInputStream in(output);
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return {process.wait(), text};
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// A folder tree as paths (without a final '/') to "folder" or a file's size and CRC-32
// (readable when a test fails, unlike megabytes of content).
using Tree = std::map<std::string, std::string>;

std::string folderOrFile(const std::optional<std::string>& content) {
    if (!content) return "folder";
    const auto crc = crc32_z(0, reinterpret_cast<const Bytef*>(content->data()), content->size());
    return std::to_string(content->size()) + " bytes, CRC-32 " + std::to_string(crc);
}

// What extracting `items` must give, with the folders that their names imply.
Tree treeOf(const std::vector<Item>& items) {
    Tree tree;
    for (const Item& item : items) {
        const std::string path =
            item.folder() ? item.name.substr(0, item.name.size() - 1) : item.name;
        for (std::size_t slash = path.find('/'); slash != std::string::npos;
             slash = path.find('/', slash + 1)) {
            tree[path.substr(0, slash)] = folderOrFile(std::nullopt);
        }
        tree[path] = folderOrFile(item.folder() ? std::nullopt : std::optional(item.content));
    }
    return tree;
}

Tree treeOn(const fs::path& root) {
    Tree tree;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        const std::string path = entry.path().lexically_relative(root).generic_string();
        tree[path] =
            folderOrFile(entry.is_directory() ? std::nullopt : std::optional(slurp(entry.path())));
    }
    return tree;
}

std::vector<std::string> namesOf(const std::vector<Item>& items) {
    std::vector<std::string> names;
    for (const Item& item : items) names.push_back(item.name);
    return names;
}

std::uint64_t little(const std::string& bytes, std::size_t at, int width) {
    std::uint64_t value = 0;
    for (int i = width - 1; i >= 0; --i) {
        value = (value << 8) | static_cast<unsigned char>(bytes.at(at + i));
    }
    return value;
}

// Whether the archive ends with the ZIP64 end record, its locator and the classic end
// record, the locator pointing at the ZIP64 record.
bool endsWithZip64Records(const std::string& archive) {
    const std::string bytes = slurp(archive);
    if (bytes.size() < 22 + 20 + 56) return false;
    const std::size_t locator = bytes.size() - 22 - 20;
    if (little(bytes, locator, 4) != 0x07064b50) return false;
    return little(bytes, little(bytes, locator + 8, 8), 4) == 0x06064b50;
}

// Python's zipfile: the names in order, testzip() (every CRC), each entry's content, the
// UTF-8 flag, the Unicode Path field (0x7075: version 1, the CRC-32 of the name, the name)
// and the extended timestamp (0x5455) in both headers, the DOS time in local time, Unix as
// the maker with modes 0644 / 0755, and where the ZIP64 field (0x0001) is.
constexpr const char* kPythonCheck = R"PY(
import os, struct, sys, time, zipfile, zlib
archive, manifest, source = sys.argv[1:4]
expected = [line.split('\t') for line in open(manifest, encoding='utf-8').read().splitlines()]
problems = []
z = zipfile.ZipFile(archive)
infos = z.infolist()
if [i.filename for i in infos] != [e[0] for e in expected]:
    problems.append('names: %r' % [i.filename for i in infos][:10])
if z.testzip() is not None:
    problems.append('testzip: bad CRC in %s' % z.testzip())
raw = open(archive, 'rb')
def fields(data):
    found = {}
    while len(data) >= 4:
        kind, size = struct.unpack('<HH', data[:4])
        found[kind] = data[4:4 + size]
        data = data[4 + size:]
    return found
def local_fields(info):
    raw.seek(info.header_offset)
    name_length, extra_length = struct.unpack('<HH', raw.read(30)[26:30])
    raw.seek(info.header_offset + 30 + name_length)
    return fields(raw.read(extra_length))
for info, (name, mtime, zip64_local, zip64_central) in zip(infos, expected):
    def bad(what): problems.append('%s: %s' % (name, what))
    folder = name.endswith('/')
    if not info.flag_bits & 0x800: bad('no UTF-8 flag')
    if info.create_system != 3: bad('not made on Unix')
    if info.compress_type != zipfile.ZIP_STORED: bad('not stored')
    if info.external_attr >> 16 != (0o40755 if folder else 0o100644):
        bad('mode %o' % (info.external_attr >> 16))
    central, local = fields(info.extra), local_fields(info)
    encoded = name.encode('utf-8')
    for where, found in (('central', central), ('local', local)):
        path = found.get(0x7075, b'')
        if path[:1] != b'\1' or path[1:5] != struct.pack('<I', zlib.crc32(encoded)) or path[5:] != encoded:
            bad('%s Unicode Path field %r' % (where, path))
        if found.get(0x5455) != b'\1' + struct.pack('<i', int(mtime)):
            bad('%s extended timestamp %r' % (where, found.get(0x5455)))
    for where, want, found in (('local', zip64_local, local), ('central', zip64_central, central)):
        if (0x0001 in found) != (want == '1'):
            bad('ZIP64 field in the %s header: %s' % (where, 0x0001 in found))
    t = time.localtime(int(mtime))
    dos = (1980, 1, 1, 0, 0, 0) if t.tm_year < 1980 else t[:5] + (t.tm_sec // 2 * 2,)
    if info.date_time != dos: bad('DOS time %r, not %r' % (info.date_time, dos))
    source_file = os.path.join(source, name)
    content = open(source_file, 'rb').read() if os.path.isfile(source_file) else b''
    if info.file_size != len(content) or z.read(info) != content: bad('content differs')
print('; '.join(problems[:10]) if problems else 'ok %d entries' % len(infos))
sys.exit(1 if problems else 0)
)PY";

class ZipWriterTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = Poco::TemporaryFile::tempName();
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name) const { return dir_ + "/" + name; }

    // Writes `items` to archive.zip, each file's content in `chunk`-byte writes, and what the
    // Python check compares it with.
    std::string writeArchive(const std::vector<Item>& items, Zip64Thresholds thresholds = {},
                             std::size_t chunk = 64 * 1024) {
        const std::string archive = path("archive.zip");
        std::uint64_t written = 0;
        {
            FileSink sink(archive);
            ZipWriter zip(sink, thresholds);
            for (const Item& item : items) {
                if (item.folder()) {
                    zip.addFolder(item.name, item.modifiedUs);
                    continue;
                }
                zip.beginFile(item.name, item.modifiedUs, item.expectedSize);
                for (std::size_t at = 0; at < item.content.size(); at += chunk) {
                    zip.write(item.content.data() + at, std::min(chunk, item.content.size() - at));
                }
                zip.endFile();
            }
            zip.finish();
            written = zip.bytesWritten();
        }
        EXPECT_EQ(written, fs::file_size(archive));
        writeSource(items);
        return archive;
    }

    // The manifest (name, time, where ZIP64 fields must be) and source/ with the files that
    // are not empty (empty ones need none: 70,000 of them take seconds to create).
    void writeSource(const std::vector<Item>& items) const {
        std::ofstream manifest(path("manifest.txt"), std::ios::binary);
        for (const Item& item : items) {
            const std::int64_t seconds = item.modifiedUs / 1000000;
            manifest << item.name << '\t' << seconds << '\t' << int(item.zip64Local) << '\t'
                     << int(item.zip64Central) << '\n';
            if (item.content.empty()) continue;
            const fs::path file = fs::path(path("source")) / item.name;
            fs::create_directories(file.parent_path());
            std::ofstream(file, std::ios::binary) << item.content;
        }
    }

    void expectPythonAccepts(const std::string& archive) const {
        const ToolRun python =
            run(kPython, {"-c", kPythonCheck, archive, path("manifest.txt"), path("source")});
        EXPECT_EQ(python.status, 0) << python.output;
    }

    // unzip -t, -Z1 (the names), -l (the count) and -d (extracting), with the files' modes.
    void expectUnzipAccepts(const std::string& archive, const std::vector<Item>& items) const {
        const ToolRun test = run(kUnzip, {"-t", archive});
        EXPECT_EQ(test.status, 0) << test.output;
        EXPECT_NE(test.output.find("No errors detected"), std::string::npos) << test.output;
        const ToolRun names = run(kUnzip, {"-Z1", archive});
        EXPECT_EQ(names.status, 0) << names.output;
        EXPECT_EQ(lines(names.output), namesOf(items)) << names.output;
        EXPECT_EQ(unzipListCount(archive), items.size());
        const std::string out = path("unzip-out");
        const ToolRun extract = run(kUnzip, {"-q", archive, "-d", out});
        EXPECT_EQ(extract.status, 0) << extract.output;
        EXPECT_EQ(treeOn(out), treeOf(items));
        for (const Item& item : items) {
            struct stat st {};
            ASSERT_EQ(::stat((fs::path(out) / item.name).c_str(), &st), 0) << item.name;
            EXPECT_EQ(st.st_mode & 07777, item.folder() ? 0755u : 0644u) << item.name;
        }
    }

    // The count on unzip -l's last line, "  12345   7 files".
    std::size_t unzipListCount(const std::string& archive) const {
        const ToolRun list = run(kUnzip, {"-l", archive});
        EXPECT_EQ(list.status, 0) << list.output;
        std::smatch count;
        if (!std::regex_search(list.output, count, std::regex(R"((\d+) files?\s*$)"))) {
            ADD_FAILURE() << list.output;
            return 0;
        }
        return std::stoul(count[1]);
    }

    // bsdtar -tf, -xf from the file (libarchive reads the central directory) and -xf from a
    // pipe (it reads local headers and data descriptors, as a streaming extractor does).
    void expectBsdtarAccepts(const std::string& archive, const std::vector<Item>& items,
                             bool streamed = true) const {
        const ToolRun names = run(kBsdtar, {"-tf", archive});
        EXPECT_EQ(names.status, 0) << names.output;
        EXPECT_EQ(lines(names.output), namesOf(items)) << names.output;
        const std::string out = path("bsdtar-out");
        fs::create_directories(out);
        const ToolRun extract = run(kBsdtar, {"-xf", archive, "-C", out});
        EXPECT_EQ(extract.status, 0) << extract.output;
        EXPECT_EQ(treeOn(out), treeOf(items));
        if (!streamed) return;
        const std::string bsdtar = find(kBsdtar);
        const ToolRun piped = bsdtar.empty() ? missing(kBsdtar) : extractFromPipe(bsdtar, archive);
        EXPECT_EQ(piped.status, 0) << piped.output;
        EXPECT_EQ(treeOn(path("bsdtar-pipe-out")), treeOf(items));
    }

    ToolRun extractFromPipe(const std::string& bsdtar, const std::string& archive) const {
        const std::string out = path("bsdtar-pipe-out");
        fs::create_directories(out);
        return run(kShell,
                   {"-c", "cat \"$1\" | \"$2\" -xf - -C \"$3\"", "sh", archive, bsdtar, out});
    }

    void expectAllAccept(const std::string& archive, const std::vector<Item>& items) const {
        expectUnzipAccepts(archive, items);
        expectPythonAccepts(archive);
        expectBsdtarAccepts(archive, items);
    }

    std::string dir_;
};

std::string pseudoRandomBytes(std::size_t size, unsigned seed) {
    std::mt19937 random(seed);
    std::string bytes(size, '\0');
    for (char& byte : bytes) byte = static_cast<char>(random());
    return bytes;
}

// An Office file is itself a ZIP whose entries may end in data descriptors: a streaming
// reader must not take the inner PK\7\8 for the end of the outer entry.
std::string officeLikeFile() {
    StringSink sink;
    ZipWriter inner(sink);
    inner.beginFile("xl/worksheets/sheet1.xml", kApril2026Us);
    const std::string sheet = "<worksheet><row><c t=\"inlineStr\"><is><t>会費</t></is></c></row>";
    inner.write(sheet.data(), sheet.size());
    inner.endFile();
    inner.finish();
    return sink.bytes;
}

std::vector<Item> handoverItems() {
    return {
        {"桜ヶ丘自治区/", ""},
        {"桜ヶ丘自治区/会計/", ""},
        {"桜ヶ丘自治区/会計/令和8年度 収支決算書.xlsx", officeLikeFile()},
        {"桜ヶ丘自治区/回覧/防犯灯の点検　（第２回）　ﾁｪｯｸ表.pdf", pseudoRandomBytes(300000, 1)},
        {"桜ヶ丘自治区/空のメモ.txt", ""},
        {"引継ぎ書.html",
         "<!doctype html><meta charset=utf-8><h1>引継ぎ書</h1><p>区長から次の区長へ。"},
        {"様式/昔の申請書.doc", "昭和の様式", 0},  // 1970, before DOS time: clamped to 1980
    };
}

TEST_F(ZipWriterTest, JapaneseNamesAreReadByUnzipPythonAndBsdtar) {
    const std::vector<Item> items = handoverItems();
    const std::string archive = writeArchive(items);
    expectAllAccept(archive, items);
    EXPECT_FALSE(endsWithZip64Records(archive)) << "a small archive needs no ZIP64";
}

TEST_F(ZipWriterTest, ContentWrittenInManySmallWritesIsWholeAndChecksummed) {
    std::vector<Item> items = {{"議事録/令和8年4月 定例会.pdf", pseudoRandomBytes(1 << 20, 2)},
                               {"議事録/7バイトずつ.txt", "7バイトずつ書かれた議事録"}};
    const std::string archive = writeArchive(items, {}, 7);
    expectAllAccept(archive, items);
}

TEST_F(ZipWriterTest, EmptyArchiveIsTheEndRecordAlone) {
    const std::string archive = writeArchive({});
    EXPECT_EQ(fs::file_size(archive), 22u);
    const ToolRun list = run(kUnzip, {"-l", archive});
    EXPECT_NE(list.output.find("zipfile is empty"), std::string::npos) << list.output;
    expectPythonAccepts(archive);
    const ToolRun names = run(kBsdtar, {"-tf", archive});
    EXPECT_EQ(names.status, 0) << names.output;
    EXPECT_EQ(names.output, "");
}

// Thresholds of 0 make every size, offset and count "too large": every entry and the end of
// the archive take their ZIP64 forms, as they would past 4 GiB or 65,535 entries.
TEST_F(ZipWriterTest, ForcedZip64IsReadByAllThree) {
    std::vector<Item> items = handoverItems();
    for (Item& item : items) {
        item.zip64Local = !item.folder();
        item.zip64Central = true;
    }
    const std::string archive = writeArchive(items, Zip64Thresholds{0, 0});
    expectAllAccept(archive, items);
    EXPECT_TRUE(endsWithZip64Records(archive));
}

// With the threshold at 1,000 bytes: an entry announced as large is ZIP64 from its local
// header on, and so is every entry that starts past the threshold; earlier ones stay classic.
TEST_F(ZipWriterTest, EntriesBecomeZip64WhenAnnouncedLargeOrPastTheOffsetThreshold) {
    std::vector<Item> items = {
        {"小さい.txt", "小さなファイル"},
        {"大きい.pdf", pseudoRandomBytes(3000, 3), kApril2026Us, 3000, true, true},
        {"後の.txt", "4 GiB より後のファイル", kApril2026Us, 0, true, true},
        {"後のフォルダ/", "", kApril2026Us, 0, false, true},
    };
    const std::string archive = writeArchive(items, Zip64Thresholds{1000, 0xFFFF});
    expectAllAccept(archive, items);
    EXPECT_TRUE(endsWithZip64Records(archive)) << "the directory starts past the threshold too";
}

// An entry that reaches 4 GiB without being announced cannot say so in its local header any
// more; its 8-byte data descriptor and the central directory still state its size, so the
// readers of the central directory read it (streaming readers may not).
TEST_F(ZipWriterTest, UnannouncedLargeEntryIsReadFromTheCentralDirectory) {
    std::vector<Item> items = {
        {"大きい.mp4", pseudoRandomBytes(5000, 4), kApril2026Us, 0, false, true},
        {"次の.txt", "次のファイル", kApril2026Us, 0, true, true}};
    const std::string archive = writeArchive(items, Zip64Thresholds{1000, 0xFFFF});
    expectUnzipAccepts(archive, items);
    expectPythonAccepts(archive);
    expectBsdtarAccepts(archive, items, false);
}

TEST_F(ZipWriterTest, MoreThan65535EntriesUseTheZip64EndRecords) {
    std::vector<Item> items;
    for (int i = 0; i < 70000; ++i) {
        items.push_back({"回覧/" + std::to_string(100000 + i) + ".txt", ""});
    }
    const std::string archive = writeArchive(items);
    EXPECT_TRUE(endsWithZip64Records(archive));
    expectPythonAccepts(archive);
    EXPECT_EQ(unzipListCount(archive), 70000u);
    const ToolRun names = run(kBsdtar, {"-tf", archive});
    EXPECT_EQ(names.status, 0) << names.output;
    EXPECT_EQ(lines(names.output).size(), 70000u);
}

TEST_F(ZipWriterTest, BadNamesAreRefusedAndTheArchiveStaysWritable) {
    const std::string archive = path("archive.zip");
    {
        FileSink sink(archive);
        ZipWriter zip(sink);
        const std::vector<std::string> badFileNames = {"",
                                                       "/etc/passwd",
                                                       "../外.txt",
                                                       "a/../../b",
                                                       "a/./b",
                                                       "a//b",
                                                       "./a",
                                                       "a\\b.txt",
                                                       "C:\\Windows",
                                                       "\xff\xfe.txt",
                                                       "\xc0\xaf.txt",
                                                       "\xed\xa0\x80.txt",
                                                       "\xe6\xa1",
                                                       std::string("a\0b", 3),
                                                       "改行\n.txt",
                                                       "末尾/",
                                                       std::string(70000, 'a')};
        for (const std::string& bad : badFileNames) {
            EXPECT_THROW(zip.beginFile(bad, kApril2026Us), std::invalid_argument) << bad;
            EXPECT_EQ(zip.bytesWritten(), 0u) << bad;
        }
        for (const std::string bad : {"", "/", "/abs/", "..", "a/../", "a//"}) {
            EXPECT_THROW(zip.addFolder(bad, kApril2026Us), std::invalid_argument) << bad;
        }
        zip.beginFile("正しい名前.txt", kApril2026Us);
        zip.endFile();
        zip.finish();
    }
    const std::vector<Item> items = {{"正しい名前.txt", ""}};
    writeSource(items);
    expectAllAccept(archive, items);
}

TEST_F(ZipWriterTest, DuplicateNamesAreRefused) {
    StringSink sink;
    ZipWriter zip(sink);
    zip.addFolder("会計", kApril2026Us);
    zip.beginFile("会計/決算書.pdf", kApril2026Us);
    zip.endFile();
    const std::uint64_t size = zip.bytesWritten();
    EXPECT_THROW(zip.beginFile("会計/決算書.pdf", kApril2026Us), std::invalid_argument);
    EXPECT_THROW(zip.addFolder("会計/", kApril2026Us), std::invalid_argument);
    EXPECT_THROW(zip.beginFile("会計", kApril2026Us), std::invalid_argument);
    EXPECT_THROW(zip.addFolder("会計/決算書.pdf", kApril2026Us), std::invalid_argument);
    EXPECT_EQ(zip.bytesWritten(), size);
    zip.beginFile("会計/決算書 (2).pdf", kApril2026Us);
    zip.endFile();
    zip.finish();
}

TEST_F(ZipWriterTest, CallsOutOfOrderAreLogicErrors) {
    StringSink sink;
    ZipWriter zip(sink);
    EXPECT_THROW(zip.write("x", 1), std::logic_error);
    EXPECT_THROW(zip.endFile(), std::logic_error);
    zip.beginFile("a.txt", kApril2026Us);
    EXPECT_THROW(zip.beginFile("b.txt", kApril2026Us), std::logic_error);
    EXPECT_THROW(zip.addFolder("c", kApril2026Us), std::logic_error);
    EXPECT_THROW(zip.finish(), std::logic_error);
    zip.endFile();
    zip.finish();
    const std::uint64_t size = zip.bytesWritten();
    EXPECT_THROW(zip.beginFile("d.txt", kApril2026Us), std::logic_error);
    EXPECT_THROW(zip.finish(), std::logic_error);
    EXPECT_EQ(zip.bytesWritten(), size);
}

TEST_F(ZipWriterTest, SinkFailureAbortsTheArchive) {
    FailingSink sink(100);
    ZipWriter zip(sink);
    zip.beginFile("議事録.pdf", kApril2026Us);
    const std::string content(1000, 'x');
    EXPECT_THROW(zip.write(content.data(), content.size()), std::runtime_error);
    EXPECT_THROW(zip.write("x", 1), std::logic_error);
    EXPECT_THROW(zip.endFile(), std::logic_error);
    EXPECT_THROW(zip.finish(), std::logic_error);
}

}  // namespace
