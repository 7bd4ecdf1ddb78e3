#include "auth/PasswordHasher.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/StringTokenizer.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <sstream>
#include <stdexcept>
#include <vector>

namespace kiroku::passwords {

namespace {

constexpr int kSaltBytes = 16;
constexpr int kHashBytes = 32;

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

std::string derive(const std::string& password, const std::string& salt, int iterations) {
    std::string out(kHashBytes, '\0');
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(), kHashBytes,
                          reinterpret_cast<unsigned char*>(out.data())) != 1) {
        throw std::runtime_error("PBKDF2 failed");
    }
    return out;
}

}  // namespace

std::string hash(const std::string& password, int iterations) {
    std::string salt(kSaltBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), kSaltBytes) != 1) {
        throw std::runtime_error("no random bytes for a salt");
    }
    return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + b64(salt) + "$" +
           b64(derive(password, salt, iterations));
}

bool verify(const std::string& password, const std::string& stored) {
    Poco::StringTokenizer parts(stored, "$");
    if (parts.count() != 4 || parts[0] != "pbkdf2-sha256") return false;
    int iterations = 0;
    try {
        iterations = std::stoi(parts[1]);
        if (iterations < 1) return false;
        std::string salt = unb64(parts[2]);
        std::string expected = unb64(parts[3]);
        if (expected.size() != kHashBytes) return false;
        std::string actual = derive(password, salt, iterations);
        return CRYPTO_memcmp(actual.data(), expected.data(), kHashBytes) == 0;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace kiroku::passwords
