#include "runtime/net/jwt.hpp"

#include "runtime/net/base64url.hpp"

#include <nlohmann/json.hpp>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cctype>
#include <charconv>
#include <stdexcept>
#include <unordered_set>

namespace trader::net {

namespace {

constexpr std::int64_t token_lifetime_s = 120;  // Coinbase: "expires after 2 minutes"

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

std::string random_hex_nonce() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char b : bytes) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

struct md_ctx {
  EVP_MD_CTX* p = EVP_MD_CTX_new();
  ~md_ctx() { EVP_MD_CTX_free(p); }
};

/// Signs `input`; for ES256 converts OpenSSL's DER signature to JOSE's 64-byte r||s.
std::string sign_bytes(const api_key& key, std::string_view input) {
  md_ctx ctx;
  const EVP_MD* md = key.algorithm() == key_algorithm::es256 ? EVP_sha256() : nullptr;
  if (!ctx.p || EVP_DigestSignInit(ctx.p, nullptr, md, nullptr, key.native()) != 1)
    throw std::runtime_error("EVP_DigestSignInit failed");
  size_t len = 0;
  auto data = reinterpret_cast<const unsigned char*>(input.data());
  if (EVP_DigestSign(ctx.p, nullptr, &len, data, input.size()) != 1)
    throw std::runtime_error("EVP_DigestSign failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.p, reinterpret_cast<unsigned char*>(sig.data()), &len, data,
                     input.size())
      != 1)
    throw std::runtime_error("EVP_DigestSign failed");
  sig.resize(len);
  if (key.algorithm() == key_algorithm::eddsa)
    return sig;
  auto p = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
  if (!es)
    throw std::runtime_error("d2i_ECDSA_SIG failed");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(es, &r, &s);
  std::string raw(64, '\0');
  auto out = reinterpret_cast<unsigned char*>(raw.data());
  BN_bn2binpad(r, out, 32);
  BN_bn2binpad(s, out + 32, 32);
  ECDSA_SIG_free(es);
  return raw;
}

/// Verifies a JOSE signature (r||s for ES256, raw for EdDSA).
bool verify_bytes(const public_key& key, std::string_view input, std::string_view sig) {
  std::string der;
  if (key.algorithm() == key_algorithm::es256) {
    if (sig.size() != 64)
      return false;
    auto raw = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(raw, 32, nullptr);
    BIGNUM* s = BN_bin2bn(raw + 32, 32, nullptr);
    if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) {
      BN_free(r);
      BN_free(s);
      ECDSA_SIG_free(es);
      return false;
    }
    unsigned char* p = nullptr;
    int n = i2d_ECDSA_SIG(es, &p);
    ECDSA_SIG_free(es);
    if (n <= 0)
      return false;
    der.assign(reinterpret_cast<char*>(p), static_cast<std::size_t>(n));
    OPENSSL_free(p);
    sig = der;
  }
  md_ctx ctx;
  const EVP_MD* md = key.algorithm() == key_algorithm::es256 ? EVP_sha256() : nullptr;
  if (!ctx.p || EVP_DigestVerifyInit(ctx.p, nullptr, md, nullptr, key.native()) != 1)
    return false;
  int rc = EVP_DigestVerify(ctx.p, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                            reinterpret_cast<const unsigned char*>(input.data()), input.size());
  ERR_clear_error();
  return rc == 1;
}

std::string make_token(const api_key& key, std::string_view uri, bool with_uri, ts_ns now) {
  std::int64_t nbf = now / ns_per_s;
  std::string header;
  header.reserve(160);
  header += "{\"alg\":\"";
  header += to_jose_alg(key.algorithm());
  header += "\",\"typ\":\"JWT\",\"kid\":";
  append_json_string(header, key.name());
  header += ",\"nonce\":\"";
  header += random_hex_nonce();
  header += "\"}";
  std::string claims;
  claims.reserve(200);
  claims += "{\"iss\":\"cdp\",\"sub\":";
  append_json_string(claims, key.name());
  claims += ",\"nbf\":";
  append_int(claims, nbf);
  claims += ",\"exp\":";
  append_int(claims, nbf + token_lifetime_s);
  if (with_uri) {
    claims += ",\"uri\":";
    append_json_string(claims, uri);
  }
  claims += '}';
  std::string token = base64url_encode(header);
  token += '.';
  token += base64url_encode(claims);
  auto sig = sign_bytes(key, token);
  token += '.';
  token += base64url_encode(sig);
  return token;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i]))
        != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string_view strip_query(std::string_view path) {
  auto q = path.find('?');
  return q == std::string_view::npos ? path : path.substr(0, q);
}

jwt_check reject(jwt_status s, std::string detail, std::string kid = {}) {
  return jwt_check{s, std::move(kid), std::move(detail)};
}

bool read_seconds(const nlohmann::json& claims, const char* name, std::int64_t& out) {
  auto it = claims.find(name);
  if (it == claims.end())
    return false;
  if (it->is_number_integer()) {
    out = it->get<std::int64_t>();
    return true;
  }
  if (it->is_number_float()) {
    out = static_cast<std::int64_t>(it->get<double>());
    return true;
  }
  return false;
}

} // namespace

std::string jwt_uri(std::string_view method, std::string_view host, std::string_view path) {
  std::string uri;
  uri.reserve(method.size() + host.size() + path.size() + 1);
  uri.append(method);
  uri += ' ';
  uri.append(host);
  uri.append(strip_query(path));
  return uri;
}

std::string sign_rest_jwt(const api_key& key, std::string_view method, std::string_view host,
                          std::string_view path, ts_ns now) {
  return make_token(key, jwt_uri(method, host, path), true, now);
}

std::string sign_ws_jwt(const api_key& key, ts_ns now) {
  return make_token(key, {}, false, now);
}

const char* to_string(jwt_status s) {
  switch (s) {
    case jwt_status::ok:
      return "ok";
    case jwt_status::missing:
      return "missing";
    case jwt_status::malformed:
      return "malformed";
    case jwt_status::expired:
      return "expired";
    case jwt_status::not_yet_valid:
      return "not_yet_valid";
    case jwt_status::unknown_key:
      return "unknown_key";
    case jwt_status::bad_signature:
      return "bad_signature";
    case jwt_status::wrong_uri:
      return "wrong_uri";
  }
  return "?";
}

// -- verifier ---------------------------------------------------------------------------

struct jwt_verifier::state {
  mutable std::mutex mtx;
  std::map<std::string, public_key, std::less<>> keys;
  mutable std::unordered_set<std::string> verified;  // tokens whose signature checked out
};

jwt_verifier::jwt_verifier(jwt_verify_options opts)
  : opts_(std::move(opts)), st_(std::make_unique<state>()) {}

jwt_verifier::~jwt_verifier() = default;

void jwt_verifier::add_key(public_key key) {
  std::lock_guard<std::mutex> g(st_->mtx);
  auto name = key.name();
  st_->keys.insert_or_assign(std::move(name), std::move(key));
  st_->verified.clear();
}

std::size_t jwt_verifier::key_count() const {
  std::lock_guard<std::mutex> g(st_->mtx);
  return st_->keys.size();
}

jwt_check jwt_verifier::verify_rest(std::string_view authorization, std::string_view method,
                                    std::string_view host, std::string_view path,
                                    ts_ns now) const {
  while (!authorization.empty() && authorization.front() == ' ')
    authorization.remove_prefix(1);
  if (authorization.empty())
    return reject(jwt_status::missing, "no Authorization header");
  if (authorization.size() < 7 || !iequals(authorization.substr(0, 7), "bearer "))
    return reject(jwt_status::missing, "Authorization is not a Bearer token");
  auto token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  return verify(token, true, method, host, path, now);
}

jwt_check jwt_verifier::verify_ws(std::string_view token, ts_ns now) const {
  return verify(token, false, {}, {}, {}, now);
}

jwt_check jwt_verifier::verify(std::string_view token, bool rest, std::string_view method,
                               std::string_view host, std::string_view path, ts_ns now) const {
  if (token.empty())
    return reject(jwt_status::missing, "empty token");
  auto d1 = token.find('.');
  auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    return reject(jwt_status::malformed, "token is not three dot-separated parts");
  auto header_b = base64url_decode(token.substr(0, d1));
  auto claims_b = base64url_decode(token.substr(d1 + 1, d2 - d1 - 1));
  auto sig = base64url_decode(token.substr(d2 + 1));
  if (!header_b || !claims_b || !sig)
    return reject(jwt_status::malformed, "bad base64url");
  auto header = nlohmann::json::parse(*header_b, nullptr, false);
  auto claims = nlohmann::json::parse(*claims_b, nullptr, false);
  if (!header.is_object() || !claims.is_object())
    return reject(jwt_status::malformed, "header or claims is not a JSON object");
  auto alg = header.value("alg", std::string());
  if (alg != "ES256" && alg != "EdDSA")
    return reject(jwt_status::malformed, "unsupported alg '" + alg + "'");
  auto kid = header.value("kid", std::string());
  if (kid.empty())
    return reject(jwt_status::malformed, "no kid in header");

  std::optional<public_key> key;
  {
    std::lock_guard<std::mutex> g(st_->mtx);
    if (auto it = st_->keys.find(kid); it != st_->keys.end())
      key = it->second;
  }
  if (!key)
    return reject(jwt_status::unknown_key, "unknown key '" + kid + "'", kid);
  if (alg != to_jose_alg(key->algorithm()))
    return reject(jwt_status::bad_signature, "alg " + alg + " does not match the key", kid);

  // Signature before anything else the token claims: a forged token learns nothing more.
  bool cached = false;
  if (opts_.signature_cache > 0) {
    std::lock_guard<std::mutex> g(st_->mtx);
    cached = st_->verified.count(std::string(token)) > 0;
  }
  if (!cached) {
    if (!verify_bytes(*key, token.substr(0, d2), *sig))
      return reject(jwt_status::bad_signature, "signature does not verify", kid);
    if (opts_.signature_cache > 0) {
      std::lock_guard<std::mutex> g(st_->mtx);
      if (st_->verified.size() >= opts_.signature_cache)
        st_->verified.clear();
      st_->verified.emplace(token);
    }
  }

  auto sub = claims.value("sub", std::string());
  if (sub != kid)
    return reject(jwt_status::unknown_key, "sub does not equal kid", kid);
  auto iss = claims.value("iss", std::string());
  if (iss != "cdp" && iss != "coinbase-cloud")
    return reject(jwt_status::malformed, "unexpected iss '" + iss + "'", kid);
  std::int64_t nbf = 0;
  std::int64_t exp = 0;
  if (!read_seconds(claims, "nbf", nbf) || !read_seconds(claims, "exp", exp))
    return reject(jwt_status::malformed, "nbf and exp must be numbers", kid);
  if (exp - nbf > opts_.max_lifetime_s || exp < nbf)
    return reject(jwt_status::malformed, "lifetime exp-nbf out of range", kid);
  std::int64_t now_s = now / ns_per_s;
  if (exp + opts_.skew_s <= now_s)
    return reject(jwt_status::expired, "token expired", kid);
  if (nbf > now_s + opts_.skew_s)
    return reject(jwt_status::not_yet_valid, "nbf is in the future", kid);

  if (rest) {
    std::string uri;
    if (auto it = claims.find("uri"); it != claims.end() && it->is_string())
      uri = it->get<std::string>();
    else if (auto us = claims.find("uris");
             us != claims.end() && us->is_array() && !us->empty() && (*us)[0].is_string())
      uri = (*us)[0].get<std::string>();  // ccxt EdDSA mode
    if (uri.empty())
      return reject(jwt_status::wrong_uri, "no uri claim", kid);
    std::string_view u = uri;
    auto sp = u.find(' ');
    if (sp == std::string_view::npos)
      return reject(jwt_status::wrong_uri, "uri is not 'METHOD host/path'", kid);
    auto u_method = u.substr(0, sp);
    auto rest_part = u.substr(sp + 1);
    for (std::string_view scheme : {"https://", "http://"})  // ccxt keeps http:// (§3)
      if (rest_part.substr(0, scheme.size()) == scheme)
        rest_part.remove_prefix(scheme.size());
    auto slash = rest_part.find('/');
    auto u_host = rest_part.substr(0, slash);
    auto u_path = slash == std::string_view::npos ? std::string_view("/")
                                                  : strip_query(rest_part.substr(slash));
    if (!iequals(u_method, method) || u_path != strip_query(path))
      return reject(jwt_status::wrong_uri, "uri '" + uri + "' does not match the request", kid);
    if (opts_.check_host) {
      bool host_ok = !host.empty() && iequals(u_host, host);
      for (const auto& h : opts_.extra_hosts)
        host_ok = host_ok || iequals(u_host, h);
      if (!host_ok)
        return reject(jwt_status::wrong_uri,
                      "uri host '" + std::string(u_host) + "' is not this server", kid);
    }
  }
  return jwt_check{jwt_status::ok, kid, {}};
}

} // namespace trader::net
