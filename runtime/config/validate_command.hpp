#pragma once
// `traderctl validate DIR`: load, print every issue and the hash, return the exit code.

#include <iosfwd>
#include <string>

namespace trader::config {

/// Exit codes of run_validate.
enum validate_exit : int {
  validate_ok = 0,         ///< No errors (warnings allowed).
  validate_errors = 1,     ///< At least one error, TOML syntax errors included.
  validate_unreadable = 2, ///< DIR or a required file could not be read.
};

/// Loads DIR and reports. Text: one rendered issue per line on `out`, then
/// "config hash: <16 hex> (trading hash: <16 hex>)" (or "config invalid") and a count line.
/// json: one JSON object {"dir","ok","exit_code","hash","trading_hash","errors","warnings",
/// "issues":[{"severity","check","file","line","column","key","message"}]} on `out`.
/// `err` gets a one-line summary on failure (text mode only).
int run_validate(const std::string& dir, bool json, std::ostream& out, std::ostream& err);

} // namespace trader::config
