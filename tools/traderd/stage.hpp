#pragma once
// What one start-up stage of traderd hands on: the resource it made, or the exit code
// traderd stops with (the stage has already logged why). No CAF.

#include "tools/traderd/daemon.hpp"

#include <optional>
#include <utility>

namespace trader::daemon {

/// A stage's outcome: a T, or the exit code to return.
template <class T>
class staged {
public:
  staged(T value) : value_(std::move(value)) {}
  staged(exit_code code) : code_(code) {}
  /// True when the stage made its resource.
  explicit operator bool() const noexcept { return value_.has_value(); }
  T& operator*() { return *value_; }
  T* operator->() { return &*value_; }
  /// The exit code when it did not (exit_ok otherwise).
  exit_code code() const noexcept { return code_; }

private:
  std::optional<T> value_;
  exit_code code_ = exit_ok;
};

} // namespace trader::daemon
