#pragma once
// Secrets never live in TOML. A named secret is read from $CREDENTIALS_DIRECTORY/<name>
// (systemd LoadCredential=) first, then from the environment variable <NAME> (upper case).

#include "runtime/config/mode_gate.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace trader::config {

/// A secret value that never prints: operator<< writes "***". Wiped on destruction.
class secret {
public:
  secret() = default;
  explicit secret(std::string value) : value_(std::move(value)) {}
  secret(const secret&) = default;
  secret(secret&&) noexcept = default;
  secret& operator=(const secret&) = default;
  secret& operator=(secret&&) noexcept = default;
  ~secret();

  /// The value, for the one place that needs it (signing, an HTTP header).
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

private:
  std::string value_;
};

/// Writes "***", whatever the value.
std::ostream& operator<<(std::ostream& os, const secret& s);

/// A lookup: the secret, or why not (never contains the value).
struct secret_result {
  std::optional<secret> value; ///< Set when found.
  std::string source;          ///< "file:<path>" or "env:<NAME>" when found.
  std::string error;           ///< Why not found, when not.
};

/// Secret names the daemon knows: coinbase_api_key_name, coinbase_api_private_key,
/// pagerduty_routing_key, telegram_bot_token, alert_webhook_url, alert_json_url,
/// coinbase_api_key_created (the key's creation date, for rotation alerts).
/// `name` must be [a-z0-9_]+. The file's trailing newlines are trimmed.
secret_result load_secret(std::string_view name, const env_lookup& env);

/// True for a key that looks like a secret: its '_'-separated words contain secret, token,
/// password, passphrase, apikey, or "api key" / "private key" (case-insensitive).
bool looks_like_secret_key(std::string_view key);

} // namespace trader::config
