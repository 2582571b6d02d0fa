#include "tools/simex/api/json_out.hpp"

#include "tools/simex/engine/time_format.hpp"

#include <charconv>
#include <cstring>

namespace trader::simex {

void json_out::value_sep() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    if (!first_[depth_])
      b_.push_back(',');
    first_[depth_] = false;
  }
}

json_out& json_out::key(std::string_view k) {
  if (!first_[depth_])
    b_.push_back(',');
  first_[depth_] = false;
  const std::size_t at = b_.size();
  b_.resize(at + k.size() + 3);
  char* p = b_.data() + at;
  *p++ = '"';
  std::memcpy(p, k.data(), k.size());
  p[k.size()] = '"';
  p[k.size() + 1] = ':';
  after_key_ = true;
  return *this;
}

json_out& json_out::str(std::string_view v) {
  value_sep();
  b_.push_back('"');
  append_escaped(b_, v);
  b_.push_back('"');
  return *this;
}

json_out& json_out::num(std::int64_t v) {
  value_sep();
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  b_.append(buf, p);
  return *this;
}

json_out& json_out::num_str(std::int64_t v) {
  value_sep();
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  b_.push_back('"');
  b_.append(buf, p);
  b_.push_back('"');
  return *this;
}

json_out& json_out::dec(std::int64_t units, int decimals) {
  value_sep();
  b_.push_back('"');
  append_decimal(b_, units, decimals);
  b_.push_back('"');
  return *this;
}

json_out& json_out::exact(exact_notional v) {
  value_sep();
  b_.push_back('"');
  b_.append(to_string(v));
  b_.push_back('"');
  return *this;
}

json_out& json_out::time(ts_ns t, int frac_digits) {
  value_sep();
  b_.push_back('"');
  append_rfc3339(b_, t, frac_digits);
  b_.push_back('"');
  return *this;
}

void append_decimal(std::string& out, std::int64_t units, int decimals) {
  std::uint64_t mag = units < 0 ? static_cast<std::uint64_t>(-(units + 1)) + 1 : static_cast<std::uint64_t>(units);
  char buf[40];
  char* p = buf;
  if (units < 0)
    *p++ = '-';
  p = std::to_chars(p, buf + 24, mag / 100'000'000).ptr;
  std::uint64_t frac = mag % 100'000'000;
  int len = decimals < 0 ? 8 : (decimals > 8 ? 8 : decimals);
  if (decimals < 0) {
    if (frac == 0) {
      len = 0;
    } else {
      while (frac % 10 == 0) {  // trim trailing zeros
        frac /= 10;
        --len;
      }
    }
  } else {
    for (int k = len; k < 8; ++k)
      frac /= 10;
  }
  if (len > 0) {
    *p++ = '.';
    for (int k = len - 1; k >= 0; --k) {
      p[k] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    p += len;
  }
  out.append(buf, p);
}

void append_escaped(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::size_t run = 0;  // start of the current run of characters that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
        out.append(esc, 6);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
}

} // namespace trader::simex
