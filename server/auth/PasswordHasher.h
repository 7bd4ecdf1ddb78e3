#pragma once
// Password hashing with PBKDF2-HMAC-SHA256 (OpenSSL), a random 16-byte salt and a
// high iteration count. Stored form: "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>".
// Stateless and thread-safe.

#include <string>

namespace kiroku::passwords {

constexpr int kDefaultIterations = 310000;

// Returns the stored form of a new hash of `password`.
std::string hash(const std::string& password, int iterations = kDefaultIterations);

// True when `password` matches `stored`; false for a wrong password or a malformed
// stored value. Compares in constant time.
bool verify(const std::string& password, const std::string& stored);

}  // namespace kiroku::passwords
