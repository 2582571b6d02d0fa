#include "runtime/net/api_key.hpp"

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstring>
#include <ostream>

namespace trader::net {

namespace {

struct pkey_free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

int no_passphrase(char*, int, int, void*) {
  return 0;  // never prompt on a tty for an encrypted key
}

/// "-----BEGIN ...-----\\n..." as it arrives from environment variables → real newlines.
std::string unescape_newlines(std::string_view pem) {
  std::string out;
  out.reserve(pem.size());
  for (std::size_t i = 0; i < pem.size(); ++i) {
    if (pem[i] == '\\' && i + 1 < pem.size() && pem[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += pem[i];
    }
  }
  return out;
}

/// The algorithm of k, or why it is neither P-256 nor Ed25519.
trader::result<key_algorithm, std::string> classify(EVP_PKEY* k) {
  if (EVP_PKEY_is_a(k, "ED25519"))
    return key_algorithm::eddsa;
  if (EVP_PKEY_is_a(k, "EC")) {
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_group_name(k, group, sizeof(group), &len) == 1
        && (std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0))
      return key_algorithm::es256;
    return std::string("unsupported EC curve '") + group + "' (need P-256)";
  }
  return std::string("unsupported key type (need EC P-256 or Ed25519)");
}

std::shared_ptr<evp_pkey_st> read_private(std::string_view pem) {
  auto text = unescape_newlines(pem);
  BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  if (!bio)
    return {};
  EVP_PKEY* k = PEM_read_bio_PrivateKey(bio, nullptr, no_passphrase, nullptr);
  BIO_free(bio);
  ERR_clear_error();
  // Scrub our copy of the secret before it goes back to the allocator.
  OPENSSL_cleanse(text.data(), text.size());
  return std::shared_ptr<evp_pkey_st>(k, pkey_free{});
}

} // namespace

const char* to_jose_alg(key_algorithm a) {
  switch (a) {
    case key_algorithm::es256:
      return "ES256";
    case key_algorithm::eddsa:
      return "EdDSA";
  }
  return "?";
}

trader::result<api_key, std::string> api_key::from_pem(std::string name, std::string_view pem) {
  auto k = read_private(pem);
  if (!k || !k.get())
    return "cannot parse private key PEM for key '" + name + "'";
  return classify(k.get()).transform([&](key_algorithm alg) { return api_key(std::move(name), alg, std::move(k)); });
}

trader::result<api_key, std::string> api_key::from_cdp_json(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return std::string("key file is not a JSON object");
  std::string name;
  if (auto it = j.find("name"); it != j.end() && it->is_string())
    name = it->get<std::string>();
  else if (auto id = j.find("id"); id != j.end() && id->is_string())
    name = id->get<std::string>();
  auto pk = j.find("privateKey");
  if (name.empty() || pk == j.end() || !pk->is_string())
    return std::string("key file needs \"name\" (or \"id\") and \"privateKey\"");
  auto secret = pk->get<std::string>();
  auto key = from_pem(std::move(name), secret);
  OPENSSL_cleanse(secret.data(), secret.size());
  return key;
}

std::string api_key::public_key_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  std::string out;
  if (bio && PEM_write_bio_PUBKEY(bio, key_.get()) == 1) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    out.assign(data, static_cast<std::size_t>(n));
  }
  BIO_free(bio);
  return out;
}

std::ostream& operator<<(std::ostream& os, const api_key& k) {
  return os << "api_key{name=" << k.name() << " alg=" << to_jose_alg(k.algorithm()) << "}";
}

trader::result<public_key, std::string> public_key::from_pem(std::string name, std::string_view pem) {
  std::string text(pem);
  BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  EVP_PKEY* raw = bio ? PEM_read_bio_PUBKEY(bio, nullptr, no_passphrase, nullptr) : nullptr;
  BIO_free(bio);
  ERR_clear_error();
  std::shared_ptr<evp_pkey_st> k(raw, pkey_free{});
  if (!raw)
    k = read_private(pem);  // a private key PEM also names its public half
  if (!k || !k.get())
    return "cannot parse public key PEM for key '" + name + "'";
  return classify(k.get()).transform([&](key_algorithm alg) { return public_key(std::move(name), alg, std::move(k)); });
}

std::ostream& operator<<(std::ostream& os, const public_key& k) {
  return os << "public_key{name=" << k.name() << " alg=" << to_jose_alg(k.algorithm()) << "}";
}

} // namespace trader::net
