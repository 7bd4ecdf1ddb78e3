#include "http/Certificate.h"

#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/Net/NetworkInterface.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace kiroku {

namespace {

struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
};

std::string fingerprint(X509* cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    X509_digest(cert, EVP_sha256(), md, &len);
    std::string out;
    char hex[4];
    for (unsigned int i = 0; i < len; ++i) {
        std::snprintf(hex, sizeof hex, i ? ":%02X" : "%02X", md[i]);
        out += hex;
    }
    return out;
}

void addExtension(X509* cert, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext) throw std::runtime_error("cannot build certificate extension " + value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

void generate(const std::string& keyFile, const std::string& certFile) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
    if (!key) throw std::runtime_error("cannot generate an RSA key");
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 825L * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    std::string host = Poco::Environment::nodeName();
    X509_NAME* name = X509_get_subject_name(cert.get());
    std::string cn = "Kiroku " + host;
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>("Kiroku"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    // The names in the order a client shows them: cadaver (neon) names the last of the kind
    // it connected with, so the names PCs use come last (the .local name, the LAN address).
    std::string san = "DNS:localhost";
    if (!host.empty() && host.find_first_of(", ") == std::string::npos) {
        san += ",DNS:" + host + ",DNS:" + host + ".local";
    }
    san += ",IP:127.0.0.1";
    try {
        for (const auto& nic : Poco::Net::NetworkInterface::list(true, true)) {
            for (const auto& a : nic.addressList()) {
                const auto& ip = a.get<Poco::Net::NetworkInterface::IP_ADDRESS>();
                if (ip.family() == Poco::Net::IPAddress::IPv4 && !ip.isLoopback())
                    san += ",IP:" + ip.toString();
            }
        }
    } catch (const Poco::Exception&) {
        // Without interface information the certificate still names the host.
    }
    addExtension(cert.get(), NID_subject_alt_name, san);
    addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
    addExtension(cert.get(), NID_ext_key_usage, "serverAuth");
    if (!X509_sign(cert.get(), key.get(), EVP_sha256()))
        throw std::runtime_error("cannot sign the certificate");

    std::string keyTmp = keyFile + ".tmp", certTmp = certFile + ".tmp";
    {
        mode_t old = ::umask(077);
        std::unique_ptr<FILE, FileCloser> f(std::fopen(keyTmp.c_str(), "w"));
        ::umask(old);
        if (!f ||
            !PEM_write_PrivateKey(f.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)) {
            throw std::runtime_error("cannot write " + keyTmp);
        }
    }
    {
        std::unique_ptr<FILE, FileCloser> f(std::fopen(certTmp.c_str(), "w"));
        if (!f || !PEM_write_X509(f.get(), cert.get()))
            throw std::runtime_error("cannot write " + certTmp);
    }
    if (std::rename(keyTmp.c_str(), keyFile.c_str()) != 0 ||
        std::rename(certTmp.c_str(), certFile.c_str()) != 0) {
        throw std::runtime_error("cannot install the certificate in " + keyFile);
    }
}

}  // namespace

CertificateFiles ensureCertificate(const std::string& tlsDir) {
    CertificateFiles files;
    files.keyFile = tlsDir + "/server.key";
    files.certFile = tlsDir + "/server.crt";
    if (!Poco::File(files.keyFile).exists() || !Poco::File(files.certFile).exists()) {
        generate(files.keyFile, files.certFile);
        files.generated = true;
    }
    std::unique_ptr<FILE, FileCloser> f(std::fopen(files.certFile.c_str(), "r"));
    if (!f) throw std::runtime_error("cannot read " + files.certFile);
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        PEM_read_X509(f.get(), nullptr, nullptr, nullptr), X509_free);
    if (!cert) throw std::runtime_error("the certificate " + files.certFile + " is not valid PEM");
    files.sha256Fingerprint = fingerprint(cert.get());
    return files;
}

}  // namespace kiroku
