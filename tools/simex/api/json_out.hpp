#pragma once
// A forward-only JSON writer that appends to a caller's reused std::string: no DOM, no
// allocation beyond the buffer's growth. Separators are managed per nesting level.

#include "messages/numeric.hpp"
#include "messages/time.hpp"
#include "tools/simex/engine/types.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace trader::simex {

/// Appends JSON tokens to a buffer.
class json_out {
public:
  explicit json_out(std::string& buf) : b_(buf) {}

  json_out& begin_object() { value_sep(); b_.push_back('{'); push(); return *this; }
  json_out& end_object() { --depth_; b_.push_back('}'); return *this; }
  json_out& begin_array() { value_sep(); b_.push_back('['); push(); return *this; }
  json_out& end_array() { --depth_; b_.push_back(']'); return *this; }
  /// Writes "key": (with a comma when needed).
  json_out& key(std::string_view k);
  /// A string value, escaped.
  json_out& str(std::string_view v);
  /// A pre-formatted JSON value.
  json_out& raw(std::string_view v) { value_sep(); b_.append(v); return *this; }
  json_out& num(std::int64_t v);
  json_out& boolean(bool v) { return raw(v ? "true" : "false"); }
  json_out& null() { return raw("null"); }
  /// A decimal as a JSON string: trimmed ("0.5") when decimals < 0, else padded to decimals.
  json_out& dec(std::int64_t units, int decimals = -1);
  template <class Tag>
  json_out& dec(fixed<Tag> v, int decimals = -1) { return dec(v.units, decimals); }
  /// An exact amount as a JSON string with every significant decimal ("9.9104535504").
  json_out& exact(exact_notional v);
  /// An RFC 3339 time string with frac_digits decimals.
  json_out& time(ts_ns t, int frac_digits = 6);
  /// An integer as a JSON string ("42").
  json_out& num_str(std::int64_t v);

  // key + value shorthands
  json_out& kv(std::string_view k, std::string_view v) { return key(k).str(v); }
  json_out& kv(std::string_view k, const char* v) { return key(k).str(v); }
  json_out& kb(std::string_view k, bool v) { return key(k).boolean(v); }
  template <class Tag>
  json_out& kd(std::string_view k, fixed<Tag> v, int decimals = -1) { return key(k).dec(v.units, decimals); }
  json_out& kx(std::string_view k, exact_notional v) { return key(k).exact(v); }

private:
  void push() { ++depth_; first_[depth_] = true; after_key_ = false; }
  void value_sep();

  std::string& b_;
  int depth_ = 0;
  bool first_[64] = {true};
  bool after_key_ = false;
};

/// Appends units/10^8 as decimal text (no quotes); trimmed or padded as json_out::dec.
void append_decimal(std::string& out, std::int64_t units, int decimals = -1);
/// Appends s escaped for a JSON string body (no quotes).
void append_escaped(std::string& out, std::string_view s);

} // namespace trader::simex
