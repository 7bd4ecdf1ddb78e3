#pragma once
// The HTTPS certificate: a self-signed RSA-2048 certificate generated on first start
// into tls/ (key readable by the service only), valid 825 days (the longest macOS
// accepts), naming this host, localhost, 127.0.0.1 and this machine's LAN IPv4 addresses.

#include <string>

namespace kiroku {

struct CertificateFiles {
    std::string keyFile;
    std::string certFile;
    std::string sha256Fingerprint;  // "AB:CD:…", for people to compare with their browser
    bool generated = false;         // true when this call created them
};

// Returns the certificate in `tlsDir`, generating it when missing.
// Throws std::runtime_error when OpenSSL or the disk fails.
CertificateFiles ensureCertificate(const std::string& tlsDir);

}  // namespace kiroku
