#pragma once
// An API key for traderd in PAPER (or LIVE) against a simex process: a fresh EC key whose
// public half simex accepts (--api-key NAME=FILE) and whose private half traderd reads from
// COINBASE_API_PRIVATE_KEY; with it the reconcile agrees and the gate opens.
#include "runtime/net/api_key.hpp"
#include "runtime/net/test_pki.hpp"
#include "tests/support/child_process.hpp"

#include <string>

namespace trader::test {

/// Writes the public half of a new key named `name` to public_file; returns the private
/// half (PEM), empty when the key could not be made.
inline std::string write_paper_key(const std::string& name, const std::string& public_file) {
  auto private_pem = net::testing::generate_ec_key_pem();
  auto key = net::api_key::from_pem(name, private_pem);
  if (!key)
    return {};
  write_file(public_file, key->public_key_pem());
  return private_pem;
}

} // namespace trader::test
