#include "auth/PasswordHasher.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/StringTokenizer.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <condition_variable>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace kiroku::passwords {

namespace {

constexpr unsigned long long kOps = 3;
constexpr std::size_t kMemory = 32u << 20;
constexpr int kConcurrent = 2;

// At most kConcurrent KDF runs at once (each holds kMemory).
class KdfSlots {
public:
    void enter() {
        std::unique_lock<std::mutex> lock(mutex_);
        free_.wait(lock, [this] { return running_ < kConcurrent; });
        ++running_;
    }
    void leave() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            --running_;
        }
        free_.notify_one();
    }

private:
    std::mutex mutex_;
    std::condition_variable free_;
    int running_ = 0;
};

KdfSlots& slots() {
    static KdfSlots s;
    return s;
}

struct Slot {
    Slot() { slots().enter(); }
    ~Slot() { slots().leave(); }
};

void ensureSodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw std::runtime_error("libsodium cannot start");
}

// ---- the first release's PBKDF2 ----

constexpr int kPbkdf2HashBytes = 32;

std::string b64(const std::string& raw) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc << raw;
    enc.close();
    return out.str();
}

std::string unb64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder dec(in);
    return std::string(std::istreambuf_iterator<char>(dec), std::istreambuf_iterator<char>());
}

std::string pbkdf2(const std::string& password, const std::string& salt, int iterations) {
    std::string out(kPbkdf2HashBytes, '\0');
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(), kPbkdf2HashBytes,
                          reinterpret_cast<unsigned char*>(out.data())) != 1) {
        throw std::runtime_error("PBKDF2 failed");
    }
    return out;
}

bool verifyPbkdf2(const std::string& password, const std::string& stored) {
    Poco::StringTokenizer parts(stored, "$");
    if (parts.count() != 4 || parts[0] != "pbkdf2-sha256") return false;
    try {
        int iterations = std::stoi(parts[1]);
        if (iterations < 1 || iterations > 10000000) return false;
        std::string salt = unb64(parts[2]);
        std::string expected = unb64(parts[3]);
        if (expected.size() != kPbkdf2HashBytes) return false;
        Slot slot;
        std::string actual = pbkdf2(password, salt, iterations);
        return CRYPTO_memcmp(actual.data(), expected.data(), kPbkdf2HashBytes) == 0;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

std::string hash(const std::string& password) {
    ensureSodium();
    char out[crypto_pwhash_STRBYTES];
    Slot slot;
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOps, kMemory,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("Argon2id ran out of memory");
    }
    return out;
}

bool verify(const std::string& password, const std::string& stored) {
    ensureSodium();
    if (stored.rfind("$argon2id$", 0) == 0) {
        if (stored.size() >= crypto_pwhash_STRBYTES) return false;
        Slot slot;
        return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
    }
    return verifyPbkdf2(password, stored);
}

bool needsRehash(const std::string& stored) {
    ensureSodium();
    if (stored.rfind("$argon2id$", 0) != 0) return true;
    return crypto_pwhash_str_needs_rehash(stored.c_str(), kOps, kMemory) != 0;
}

const std::string& decoy() {
    static const std::string value = [] {
        unsigned char random[32];
        RAND_bytes(random, sizeof random);
        return hash(std::string(reinterpret_cast<char*>(random), sizeof random));
    }();
    return value;
}

std::string pbkdf2ForTests(const std::string& password, int iterations) {
    std::string salt(16, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), 16);
    return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + b64(salt) + "$" +
           b64(pbkdf2(password, salt, iterations));
}

}  // namespace kiroku::passwords
