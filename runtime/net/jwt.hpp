#pragma once
// JWT for Coinbase CDP keys (coinbase-api.md §3): ES256 (or EdDSA) signed tokens, one per
// REST request (`uri` = "METHOD host/path") and one per WebSocket subscribe (no `uri`).
// The verifying side is what simex uses to check requests the way Coinbase does.

#include "messages/time.hpp"
#include "runtime/net/api_key.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace trader::net {

/// "GET api.coinbase.com/api/v3/brokerage/accounts": method, host[:port] and path without
/// scheme or query string.
std::string jwt_uri(std::string_view method, std::string_view host, std::string_view path);

/// A REST token: header {alg, typ, kid, nonce}, claims {iss:"cdp", sub, nbf, exp=nbf+120,
/// uri}. `path` may carry a query string; it is dropped from `uri`.
std::string sign_rest_jwt(const api_key& key, std::string_view method, std::string_view host,
                          std::string_view path, ts_ns now);

/// A WebSocket token: the same header and claims, without `uri`.
std::string sign_ws_jwt(const api_key& key, ts_ns now);

/// Why a token was refused. ok means accepted.
enum class jwt_status {
  ok,
  missing,        ///< no Authorization header / no jwt field, or not a Bearer token
  malformed,      ///< not three base64url parts, bad JSON, bad alg/claims, lifetime too long
  expired,        ///< exp ≤ now - skew
  not_yet_valid,  ///< nbf > now + skew
  unknown_key,    ///< kid not configured, or sub ≠ kid
  bad_signature,  ///< signature does not verify against the configured public key
  wrong_uri,      ///< uri/uris[0] does not name this method + host + path (or is missing)
};

/// "ok", "missing", ... (stable ids for logs and metrics).
const char* to_string(jwt_status s);

/// The verdict on one token.
struct jwt_check {
  jwt_status status = jwt_status::missing;
  std::string key_name;  ///< kid of an accepted (or signature-checked) token
  std::string detail;    ///< human-readable reason, never key material
  bool ok() const { return status == jwt_status::ok; }
};

/// Verification policy.
struct jwt_verify_options {
  std::int64_t skew_s = 30;           ///< tolerated clock skew for nbf and exp, seconds
  std::int64_t max_lifetime_s = 300;  ///< exp - nbf above this is malformed (Coinbase: 120)
  bool check_host = true;             ///< uri host must equal the Host header or extra_hosts
  std::vector<std::string> extra_hosts;  ///< also accepted as uri host, e.g. "api.coinbase.com"
  std::size_t signature_cache = 4096;    ///< verified-signature cache entries (0 = off)
};

/// Checks tokens against configured public keys. Thread-safe after configuration.
class jwt_verifier {
public:
  explicit jwt_verifier(jwt_verify_options opts = {});
  ~jwt_verifier();
  jwt_verifier(const jwt_verifier&) = delete;
  jwt_verifier& operator=(const jwt_verifier&) = delete;

  /// Adds (or replaces) the public key for key.name().
  void add_key(public_key key);
  /// Number of configured keys.
  std::size_t key_count() const;

  /// A REST request: `authorization` is the raw header value ("Bearer <jwt>"), `host` the
  /// request's Host header, `path` the request target (its query is ignored).
  jwt_check verify_rest(std::string_view authorization, std::string_view method,
                        std::string_view host, std::string_view path, ts_ns now) const;

  /// A WebSocket subscribe's `jwt` field (a `uri` claim, if present, is ignored).
  jwt_check verify_ws(std::string_view token, ts_ns now) const;

private:
  struct state;
  jwt_check verify(std::string_view token, bool rest, std::string_view method,
                   std::string_view host, std::string_view path, ts_ns now) const;
  jwt_verify_options opts_;
  std::unique_ptr<state> st_;
};

} // namespace trader::net
