#pragma once
// The return type of every store operation that can fail: trader::result with a store_error.

#include "runtime/persistence/store_error.hpp"
#include "runtime/result.hpp"

namespace trader::persistence {

/// Either a T or the store_error that prevented it.
template <class T>
using result = trader::result<T, store_error>;

/// The success value of result<void>.
inline result<void> ok_result() { return {}; }

} // namespace trader::persistence
