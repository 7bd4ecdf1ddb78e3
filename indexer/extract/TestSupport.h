#pragma once
// Paths and scratch files shared by the extraction tests. The build passes absolute paths,
// so the tests do not depend on the current directory.

#include <Poco/TemporaryFile.h>

#include <fstream>
#include <string>
#include <string_view>

namespace kiroku::indexer::extract::test {

inline std::string binDir() { return KIROKU_TEST_BIN_DIR; }
inline std::string workerBinary() { return binDir() + "/kiroku-extract"; }
inline std::string pluginDir() { return binDir() + "/plugins"; }
inline std::string corpusDir() { return KIROKU_CORPUS_DIR; }
inline std::string corpusPath(std::string_view relative) {
    return corpusDir() + "/" + std::string(relative);
}

// A file with the given bytes, deleted when the object goes out of scope.
class ScratchFile {
public:
    explicit ScratchFile(std::string_view bytes) {
        std::ofstream out(file_.path(), std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    const std::string& path() const { return file_.path(); }

private:
    Poco::TemporaryFile file_;
};

}  // namespace kiroku::indexer::extract::test
