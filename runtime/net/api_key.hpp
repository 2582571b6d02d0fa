#pragma once
// CDP API keys: a private signing key (the daemon's side) and a public verifying key
// (simex's side). Neither type ever prints key material: operator<< shows the key name.

#include "runtime/result.hpp"

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

struct evp_pkey_st;  // OpenSSL's EVP_PKEY; kept out of this header

namespace trader::net {

/// Signature algorithm of a key, as the JWT `alg` header names it.
enum class key_algorithm {
  es256,  ///< ECDSA P-256 + SHA-256 (Coinbase's default CDP key).
  eddsa,  ///< Ed25519 (newer CDP keys; accepted by simex).
};

/// "ES256" or "EdDSA".
const char* to_jose_alg(key_algorithm a);

/// A CDP API key: its name (`organizations/{org}/apiKeys/{id}`) and its private key.
/// Cheap to copy (the key is shared, immutable). Never logs its material.
class api_key {
public:
  /// Loads from PEM: SEC1 "EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY" on P-256, or PKCS#8
  /// Ed25519. Literal "\n" sequences (as secrets arrive from env vars) are un-escaped.
  /// The error (never key material) says what is wrong.
  static trader::result<api_key, std::string> from_pem(std::string name, std::string_view pem);
  /// Loads a CDP key JSON file's content: {"name"|"id": ..., "privateKey": PEM}.
  static trader::result<api_key, std::string> from_cdp_json(std::string_view json);

  /// The key name; goes into `kid` and `sub`.
  const std::string& name() const { return name_; }
  key_algorithm algorithm() const { return alg_; }
  /// The matching public key as SubjectPublicKeyInfo PEM (not secret; for simex configs).
  std::string public_key_pem() const;
  /// The OpenSSL key; for the signer only.
  evp_pkey_st* native() const { return key_.get(); }

private:
  api_key(std::string name, key_algorithm alg, std::shared_ptr<evp_pkey_st> key)
    : name_(std::move(name)), alg_(alg), key_(std::move(key)) {}
  std::string name_;
  key_algorithm alg_;
  std::shared_ptr<evp_pkey_st> key_;
};

/// Prints `api_key{name=...}`, never the key.
std::ostream& operator<<(std::ostream& os, const api_key& k);

/// The public half of a key, as simex holds it.
class public_key {
public:
  /// Loads a "PUBLIC KEY" PEM (P-256 or Ed25519), or derives it from a private key PEM.
  static trader::result<public_key, std::string> from_pem(std::string name, std::string_view pem);
  const std::string& name() const { return name_; }
  key_algorithm algorithm() const { return alg_; }
  evp_pkey_st* native() const { return key_.get(); }

private:
  public_key(std::string name, key_algorithm alg, std::shared_ptr<evp_pkey_st> key)
    : name_(std::move(name)), alg_(alg), key_(std::move(key)) {}
  std::string name_;
  key_algorithm alg_;
  std::shared_ptr<evp_pkey_st> key_;
};

/// Prints `public_key{name=...}`.
std::ostream& operator<<(std::ostream& os, const public_key& k);

} // namespace trader::net
