#pragma once
// The hash that tells whether two files hold the same bytes (BLAKE2b-256, libsodium):
// imports must not bring in twice what the drive holds, OCR reads each content once.

#include <array>
#include <cstddef>
#include <optional>

#include <sodium.h>

namespace kiroku {

using Hash = std::array<unsigned char, 32>;

// Bytes in, the hash out. Not thread-safe: one per file.
class ContentHasher {
public:
    ContentHasher();
    void update(const void* data, std::size_t size);
    Hash finish();

private:
    crypto_generichash_state state_;
};

// The hash of what is left to read in `fd`; nothing when reading fails.
std::optional<Hash> hashOf(int fd);

}  // namespace kiroku
