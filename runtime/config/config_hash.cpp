#include "runtime/config/config_hash.hpp"

#include "runtime/config/schema.hpp"

#include <openssl/evp.h>

#include <memory>

namespace trader::config {

std::string canonical_text(const trader_config& c) {
  std::string out = "247trader-config-v1\n"; // bump when the canonical form itself changes
  for (const auto& [key, value] : flatten(c))
    out += key + "=" + render_value(value) + "\n";
  return out;
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1)
    return std::string(64, '0'); // OpenSSL out of memory: a hash that matches nothing real
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{len} * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

std::string config_hash(const trader_config& c) { return sha256_hex(canonical_text(c)).substr(0, 16); }

std::string trading_hash(const trader_config& c) {
  std::string out = "247trader-trading-v1\n";
  for (const auto& [key, value] : flatten(c)) {
    auto dot = key.find('.');
    const auto* s = find_section("", key.substr(0, dot));
    if (s && s->file != "app.toml") // top-level section names are unique across files
      out += key + "=" + render_value(value) + "\n";
  }
  return sha256_hex(out).substr(0, 16);
}

} // namespace trader::config
