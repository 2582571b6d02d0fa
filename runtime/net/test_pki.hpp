#pragma once
// Test TLS material, generated with OpenSSL at test time (never committed): a test CA, a
// good server certificate for 127.0.0.1/localhost, and the bad ones a client must refuse.
// Library trader_net_test_pki; linked by tests and benchmarks only.

#include <string>

namespace trader::net::testing {

/// A certificate file and its private key file (PEM).
struct cert_files {
  std::string cert;
  std::string key;
};

/// Everything lives under `dir` (created if missing).
struct test_pki {
  std::string dir;
  std::string ca_cert;       ///< the test CA (trust this one)
  cert_files good;           ///< CA-signed, SAN IP:127.0.0.1, IP:::1, DNS:localhost
  cert_files wrong_host;     ///< CA-signed, SAN DNS:wrong.example.invalid only
  cert_files expired;        ///< CA-signed, notAfter yesterday
  cert_files not_yet_valid;  ///< CA-signed, notBefore tomorrow
  cert_files self_signed;    ///< self-signed for 127.0.0.1/localhost
  cert_files unknown_ca;     ///< signed by a second CA nobody trusts
};

/// Generates a fresh test PKI into dir; throws std::runtime_error on failure.
test_pki make_test_pki(const std::string& dir);

/// A fresh EC P-256 private key as PEM: SEC1 ("EC PRIVATE KEY") or PKCS#8 ("PRIVATE KEY").
std::string generate_ec_key_pem(bool pkcs8 = false);
/// A fresh Ed25519 private key as PKCS#8 PEM.
std::string generate_ed25519_key_pem();

/// Writes text to path (mode 0600); throws on failure.
void write_file(const std::string& path, const std::string& text);

} // namespace trader::net::testing
