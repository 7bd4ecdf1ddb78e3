#pragma once
// Password hashing: Argon2id (libsodium's crypto_pwhash), sized for a 1 GB NAS — 32 MiB
// and 3 passes, about 0.1 s on one core — with a random salt, stored in libsodium's
// own "$argon2id$v=19$m=…,t=…,p=…$salt$hash" form. Hashes of the first release
// ("pbkdf2-sha256$iterations$salt$hash") still verify and are replaced at the next
// successful login (needsRehash). At most two hashes are computed at a time, whatever
// the number of logins, so strangers cannot make the server hold more than 64 MiB for
// them. Thread-safe.

#include <string>

namespace kiroku::passwords {

// Returns the stored form of a new hash of `password`.
std::string hash(const std::string& password);

// True when `password` matches `stored`; false for a wrong password or a malformed
// stored value. Compares in constant time.
bool verify(const std::string& password, const std::string& stored);

// True when `stored` is of an earlier scheme or weaker than hash() makes now.
bool needsRehash(const std::string& stored);

// A stored value that no password matches and that costs as much to check as a real
// one: logins for a name nobody has are checked against it, so that they take as long
// as a wrong password for a real name.
const std::string& decoy();

// The first release's scheme, for tests of the upgrade: PBKDF2-HMAC-SHA256.
std::string pbkdf2ForTests(const std::string& password, int iterations);

}  // namespace kiroku::passwords
