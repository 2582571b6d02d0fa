#pragma once
// The CDP API key the REST client signs with: key name and EC private key (PEM) from
// $CREDENTIALS_DIRECTORY/<name> (systemd LoadCredential=) or the environment
// (COINBASE_API_KEY_NAME, COINBASE_API_PRIVATE_KEY). Errors never carry key material. No CAF.

#include "runtime/config/mode_gate.hpp"
#include "runtime/net/api_key.hpp"

#include <memory>
#include <string>

namespace trader::exchange {

/// A loaded key, or why not.
struct credentials_result {
  std::shared_ptr<const net::api_key> key;  ///< null when not loaded
  std::string error;                         ///< why not (never the secret)
  std::string source;                        ///< where the private key came from
};

/// Loads secrets coinbase_api_key_name and coinbase_api_private_key through env.
credentials_result load_credentials(const config::env_lookup& env);

} // namespace trader::exchange
