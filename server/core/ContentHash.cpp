#include "core/ContentHash.h"

#include <unistd.h>

#include <cerrno>
#include <vector>

namespace kiroku {

ContentHasher::ContentHasher() { crypto_generichash_init(&state_, nullptr, 0, Hash().size()); }

void ContentHasher::update(const void* data, std::size_t size) {
    crypto_generichash_update(&state_, static_cast<const unsigned char*>(data),
                              static_cast<unsigned long long>(size));
}

Hash ContentHasher::finish() {
    Hash h;
    crypto_generichash_final(&state_, h.data(), h.size());
    return h;
}

std::optional<Hash> hashOf(int fd) {
    ContentHasher hasher;
    std::vector<unsigned char> buf(1 << 16);
    for (;;) {
        ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) break;
        hasher.update(buf.data(), static_cast<std::size_t>(n));
    }
    return hasher.finish();
}

}  // namespace kiroku
