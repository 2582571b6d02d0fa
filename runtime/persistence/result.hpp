#pragma once
// A value or a store_error: the return type of every store operation that can fail.
// (std::expected is C++23; this is the small subset the store needs.)

#include "runtime/persistence/store_error.hpp"

#include <utility>
#include <variant>

namespace trader::persistence {

/// Either a T or the store_error that prevented it.
template <class T>
class result {
public:
  result(T value) : v_(std::move(value)) {}
  result(store_error err) : v_(std::move(err)) {}

  /// True when a value is held.
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  /// The error; only valid when !ok().
  const store_error& error() const { return std::get<1>(v_); }

private:
  std::variant<T, store_error> v_;
};

/// Success or the store_error that prevented it.
template <>
class result<void> {
public:
  result() = default;
  result(store_error err) : err_(std::move(err)), failed_(true) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const store_error& error() const { return err_; }

private:
  store_error err_;
  bool failed_ = false;
};

/// The success value of result<void>.
inline result<void> ok_result() { return {}; }

} // namespace trader::persistence
