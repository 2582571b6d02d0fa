#pragma once
// A value or a typed exchange_error: what every REST call and parser returns. No CAF.

#include "actors/exchange/coinbase/exchange_error.hpp"

#include <utility>
#include <variant>

namespace trader::exchange {

template <class T>
class rest_result {
public:
  rest_result(T value) : v_(std::move(value)) {}
  rest_result(exchange_error e) : v_(std::move(e)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  exchange_error& error() { return std::get<1>(v_); }
  const exchange_error& error() const { return std::get<1>(v_); }

private:
  std::variant<T, exchange_error> v_;
};

} // namespace trader::exchange
