#pragma once
// A value or a typed exchange_error: what every REST call and parser returns. No CAF.

#include "actors/exchange/coinbase/exchange_error.hpp"
#include "runtime/result.hpp"

namespace trader::exchange {

/// A value, or the exchange_error that prevented it.
template <class T>
using rest_result = result<T, exchange_error>;

} // namespace trader::exchange
