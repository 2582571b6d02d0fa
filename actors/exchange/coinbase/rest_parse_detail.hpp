#pragma once
// Internal to the parsers: a parse failure names the field; the top level turns it into a
// bad_reply for the endpoint.

#include "actors/exchange/coinbase/exchange_error.hpp"

#include <string>

namespace trader::exchange::detail {

struct parse_failure {
  std::string field;
  std::string why;
};

/// Runs fn; a parse_failure (or a JSON library exception) becomes a bad_reply of endpoint.
template <class T, class Fn>
rest_result<T> guarded(std::string_view endpoint, Fn&& fn) {
  try {
    return fn();
  } catch (const parse_failure& f) {
    return bad_reply(endpoint, f.field, f.why);
  } catch (const std::exception& e) {
    return bad_reply(endpoint, "(body)", e.what());
  }
}

} // namespace trader::exchange::detail
