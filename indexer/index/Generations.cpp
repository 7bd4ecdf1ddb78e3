#include "index/Generations.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace kiroku::indexer {

std::string liveGeneration(const std::string& dir) {
    std::ifstream in(dir + "/CURRENT");
    std::string gen;
    std::getline(in, gen);
    if (gen.empty() || gen.find('/') != std::string::npos) gen = "gen-1";
    return dir + "/" + gen;
}

std::string nextGeneration(const std::string& live) {
    std::string liveName = live.substr(live.rfind('/') + 1);
    int n = std::atoi(liveName.substr(4).c_str());
    return "gen-" + std::to_string(n + 1);
}

void setLiveGeneration(const std::string& dir, const std::string& generation) {
    const std::string tmp = dir + "/CURRENT.tmp", current = dir + "/CURRENT";
    const std::string line = generation + "\n";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 &&
              ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
              ::fsync(fd) == 0;
    if (fd >= 0) ok = ::close(fd) == 0 && ok;
    if (!ok || std::rename(tmp.c_str(), current.c_str()) != 0) {
        throw std::runtime_error("cannot name the live search index in " + current + ": " +
                                 std::strerror(errno));
    }
    int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

}  // namespace kiroku::indexer
