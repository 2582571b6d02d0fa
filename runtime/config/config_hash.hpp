#pragma once
// The config hash: SHA-256 over a canonical text of the parsed configuration, first 16 hex
// chars. Comments, whitespace, key order, int-vs-float spelling (25 vs 25.0) and keys written
// with their default value do not change it; any effective value change does.

#include "runtime/config/trader_config.hpp"

#include <string>

namespace trader::config {

/// One "dotted.key=value\n" line per setting, sorted by key; numbers in shortest round-trip
/// form, strings JSON-escaped, lists as ["a","b"]. What the hash is computed over.
std::string canonical_text(const trader_config& c);

/// First 16 hex chars of SHA-256(canonical_text(c)) (OpenSSL EVP).
std::string config_hash(const trader_config& c);

/// The trading hash: like config_hash but only over the sections of policy.toml,
/// signals.toml, universe.toml and strategies.toml, i.e. what decides trades. Mode, paths,
/// endpoints and alerting are left out so the same trading settings have the same trading
/// hash in PAPER and LIVE; the "min PAPER hours before LIVE" policy is keyed by it.
std::string trading_hash(const trader_config& c);

/// Full 64-hex-char SHA-256 of arbitrary bytes (exposed for tests and tools).
std::string sha256_hex(const std::string& bytes);

} // namespace trader::config
