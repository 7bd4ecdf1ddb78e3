#pragma once
// TempArea: this process's own folder under tmp/ (same file system as files/, so a
// finished upload is renamed into place), held with a lock file for as long as the
// process lives. Creating one sweeps away the folders of processes that are gone —
// uploads and copies they never finished — and never those of a process still running
// (kirokud and the CLI may work on the same data folder at once). Thread-safe.

#include <string>

namespace kiroku {

class TempArea {
public:
    // Throws StoreError when tmp/ cannot be used.
    explicit TempArea(const std::string& tmpRoot);
    ~TempArea();
    TempArea(const TempArea&) = delete;
    TempArea& operator=(const TempArea&) = delete;

    // A fresh path inside this process's folder (nothing is created).
    std::string newPath(const std::string& prefix) const;
    const std::string& folder() const { return folder_; }

private:
    std::string folder_;
    int lockFd_ = -1;
};

}  // namespace kiroku
