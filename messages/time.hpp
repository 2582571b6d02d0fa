#pragma once
// Timestamps carried in messages. Wall time is UTC nanoseconds since the UNIX epoch (for
// records and exchange timestamps); monotonic time is only for durations and timeouts.

#include <cstdint>

namespace trader {

using ts_ns = std::int64_t;    ///< Wall clock, UTC, nanoseconds since 1970-01-01T00:00:00Z.
using mono_ns = std::int64_t;  ///< Monotonic clock, nanoseconds since an arbitrary origin.

constexpr std::int64_t ns_per_us = 1'000;
constexpr std::int64_t ns_per_ms = 1'000'000;
constexpr std::int64_t ns_per_s = 1'000'000'000;

} // namespace trader
