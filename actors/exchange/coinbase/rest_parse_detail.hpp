#pragma once
// Internal to the parsers: a parse failure names the field; the top level turns it into a
// bad_reply for the endpoint.

#include "actors/exchange/coinbase/exchange_error.hpp"

#include <string>
#include <vector>

namespace trader::exchange::detail {

/// A field that cannot be read. Not fatal: the element holding it may be skipped. Fatal:
/// the document itself is broken (malformed JSON), so the whole body fails.
struct parse_failure {
  std::string field;
  std::string why;
  bool fatal = false;
};

/// Runs fn on one list element; a non-fatal parse_failure adds the element to skipped
/// instead of failing the body (a fatal one propagates).
template <class Skipped, class Fn>
void skippable(std::vector<Skipped>& skipped, Fn&& fn) {
  try {
    fn();
  } catch (const parse_failure& f) {
    if (f.fatal)
      throw;
    skipped.push_back({f.field, f.why});
  }
}

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
