#pragma once
// What the libFuzzer harnesses of tests/fuzz/ share: a check that stops the fuzzer with
// a message (a broken promise is a finding, like a crash), the input split into fields,
// and an input written to a file for the parsers that read files.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

// Aborts (so libFuzzer saves the input) when a harness's assertion does not hold.
#define FUZZ_CHECK(condition)                                                             \
    do {                                                                                  \
        if (!(condition)) {                                                               \
            std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #condition, __FILE__, \
                         __LINE__);                                                       \
            std::abort();                                                                 \
        }                                                                                 \
    } while (0)

namespace kiroku::fuzz {

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// The input cut at each NUL byte into `count` fields; the last takes the rest (NULs
// included), and missing fields are empty.
inline std::vector<std::string> fields(std::string_view input, std::size_t count) {
    std::vector<std::string> out;
    while (out.size() + 1 < count) {
        auto nul = input.find('\0');
        if (nul == std::string_view::npos) break;
        out.emplace_back(input.substr(0, nul));
        input.remove_prefix(nul + 1);
    }
    out.emplace_back(input);
    out.resize(count);
    return out;
}

// A path in $TMPDIR (or /tmp) of this process's own.
inline std::string scratchPath(const std::string& name) {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/kiroku-fuzz-" + name + "-" +
           std::to_string(::getpid());
}

// A file of this process that each input overwrites (the extractors read paths).
class ScratchFile {
public:
    explicit ScratchFile(const std::string& name) : path_(scratchPath(name)) {}
    ~ScratchFile() { std::remove(path_.c_str()); }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    const std::string& write(std::string_view bytes) {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        FUZZ_CHECK(out.good());
        return path_;
    }

private:
    std::string path_;
};

}  // namespace kiroku::fuzz
