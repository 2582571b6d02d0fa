#pragma once
// trader::errno_text(err): the text of an errno value, safe from any thread. std::strerror
// returns a static buffer glibc may rewrite from another thread (clang-tidy
// concurrency-mt-unsafe); strerror_r writes into ours. No CAF, header only.

#include <cstring>
#include <string>

namespace trader {

namespace detail {
/// GNU strerror_r (_GNU_SOURCE, what g++ defines): returns the text, maybe not in buf.
inline std::string strerror_r_text(const char* text, const char*, int) { return text; }
/// XSI strerror_r: 0 and the text in buf, or an error.
inline std::string strerror_r_text(int rc, const char* buf, int err) {
  return rc == 0 ? std::string(buf) : "Unknown error " + std::to_string(err);
}
} // namespace detail

/// The text of errno value err ("No such file or directory"); thread-safe.
inline std::string errno_text(int err) {
  char buf[256] = {};
  return detail::strerror_r_text(::strerror_r(err, buf, sizeof buf), buf, err);
}

} // namespace trader
