#include "runtime/net/test_pki.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <sys/stat.h>

namespace trader::net::testing {

namespace {

using pkey_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using x509_ptr = std::unique_ptr<X509, decltype(&X509_free)>;

pkey_ptr new_ec_key() {
  pkey_ptr k(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  if (!k)
    throw std::runtime_error("EVP_EC_gen failed");
  return k;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

std::string key_pem(EVP_PKEY* k, bool pkcs8) {
  BIO* bio = BIO_new(BIO_s_mem());
  int ok = pkcs8 ? PEM_write_bio_PrivateKey(bio, k, nullptr, nullptr, 0, nullptr, nullptr)
                 : PEM_write_bio_PrivateKey_traditional(bio, k, nullptr, nullptr, 0, nullptr,
                                                        nullptr);
  if (ok != 1) {
    BIO_free(bio);
    throw std::runtime_error("PEM_write_bio_PrivateKey failed");
  }
  return bio_text(bio);
}

std::string cert_pem(X509* c) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, c);
  return bio_text(bio);
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext)
    throw std::runtime_error("X509V3_EXT_conf_nid failed");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

/// A certificate for `key`, signed by issuer_key (issuer == nullptr: self-signed).
x509_ptr make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, bool ca,
                   const char* san, long not_before_s, long not_after_s) {
  static long serial = 1000;
  x509_ptr c(X509_new(), &X509_free);
  X509_set_version(c.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c.get()), ++serial);
  X509_gmtime_adj(X509_getm_notBefore(c.get()), not_before_s);
  X509_gmtime_adj(X509_getm_notAfter(c.get()), not_after_s);
  X509_set_pubkey(c.get(), key);
  X509_NAME* name = X509_get_subject_name(c.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("247trader tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                             -1, -1, 0);
  X509* iss = issuer ? issuer : c.get();
  X509_set_issuer_name(c.get(), X509_get_subject_name(iss));
  if (ca) {
    add_ext(c.get(), iss, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(c.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(c.get(), iss, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(c.get(), iss, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_ext(c.get(), iss, NID_ext_key_usage, "serverAuth");
  }
  add_ext(c.get(), iss, NID_subject_key_identifier, "hash");
  if (san)
    add_ext(c.get(), iss, NID_subject_alt_name, san);
  if (X509_sign(c.get(), issuer_key ? issuer_key : key, EVP_sha256()) == 0)
    throw std::runtime_error("X509_sign failed");
  return c;
}

constexpr long day = 24L * 3600;
constexpr const char* local_san = "IP:127.0.0.1,IP:::1,DNS:localhost";

cert_files write_pair(const std::string& dir, const std::string& stem, X509* cert, EVP_PKEY* key) {
  cert_files f{dir + "/" + stem + ".crt", dir + "/" + stem + ".key"};
  write_file(f.cert, cert_pem(cert));
  write_file(f.key, key_pem(key, true));
  return f;
}

} // namespace

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out)
    throw std::runtime_error("cannot write " + path);
  out.close();
  ::chmod(path.c_str(), 0600);
}

std::string generate_ec_key_pem(bool pkcs8) {
  auto k = new_ec_key();
  return key_pem(k.get(), pkcs8);
}

std::string generate_ed25519_key_pem() {
  pkey_ptr k(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), &EVP_PKEY_free);
  if (!k)
    throw std::runtime_error("Ed25519 keygen failed");
  return key_pem(k.get(), true);
}

test_pki make_test_pki(const std::string& dir) {
  std::filesystem::create_directories(dir);
  test_pki p;
  p.dir = dir;
  auto ca_key = new_ec_key();
  auto ca = make_cert(ca_key.get(), "247trader test CA", nullptr, nullptr, true, nullptr, -day,
                      30 * day);
  p.ca_cert = dir + "/ca.crt";
  write_file(p.ca_cert, cert_pem(ca.get()));

  auto leaf = [&](const std::string& stem, const char* san, long nb, long na) {
    auto k = new_ec_key();
    auto c = make_cert(k.get(), "127.0.0.1", ca.get(), ca_key.get(), false, san, nb, na);
    return write_pair(dir, stem, c.get(), k.get());
  };
  p.good = leaf("good", local_san, -day, 30 * day);
  p.wrong_host = leaf("wrong_host", "DNS:wrong.example.invalid", -day, 30 * day);
  p.expired = leaf("expired", local_san, -3 * day, -day);
  p.not_yet_valid = leaf("not_yet_valid", local_san, day, 3 * day);

  auto self_key = new_ec_key();
  auto self = make_cert(self_key.get(), "127.0.0.1", nullptr, nullptr, false, local_san, -day,
                        30 * day);
  p.self_signed = write_pair(dir, "self_signed", self.get(), self_key.get());

  auto other_ca_key = new_ec_key();
  auto other_ca = make_cert(other_ca_key.get(), "unknown test CA", nullptr, nullptr, true, nullptr,
                            -day, 30 * day);
  auto uk = new_ec_key();
  auto uc = make_cert(uk.get(), "127.0.0.1", other_ca.get(), other_ca_key.get(), false, local_san,
                      -day, 30 * day);
  p.unknown_ca = write_pair(dir, "unknown_ca", uc.get(), uk.get());
  return p;
}

} // namespace trader::net::testing
