#include "actors/exchange/coinbase/credentials.hpp"

#include "runtime/config/secrets.hpp"

namespace trader::exchange {

credentials_result load_credentials(const config::env_lookup& env) {
  credentials_result out;
  auto name = config::load_secret("coinbase_api_key_name", env);
  if (!name.value) {
    out.error = name.error;
    return out;
  }
  auto pem = config::load_secret("coinbase_api_private_key", env);
  if (!pem.value) {
    out.error = pem.error;
    return out;
  }
  auto key = net::api_key::from_pem(name.value->reveal(), pem.value->reveal());
  if (!key) {
    out.error = "coinbase_api_private_key (" + pem.source + ") is not a usable key: " + key.error();
    return out;
  }
  out.key = std::make_shared<const net::api_key>(std::move(*key));
  out.source = pem.source;
  return out;
}

} // namespace trader::exchange
