#include "actors/exchange/coinbase/symbols.hpp"

#include <array>
#include <cctype>

namespace trader::exchange {

namespace {

/// Quote currencies a separator-less symbol ("BTCUSD") may end with, longest first so
/// "ETHUSDC" splits as ETH + USDC, not ETHUSD + C.
constexpr std::array<std::string_view, 7> known_quotes{"USDC", "USDT", "EUR", "GBP", "USD", "BTC", "ETH"};

bool valid_code(std::string_view c) {
  if (c.size() < 2 || c.size() > 10)
    return false;
  for (char ch : c)
    if (!std::isupper(static_cast<unsigned char>(ch)) && !std::isdigit(static_cast<unsigned char>(ch)))
      return false;
  return true;
}

std::string quoted(std::string_view input) { return "'" + std::string(input) + "'"; }

} // namespace

std::string canonical_currency(std::string_view code) {
  std::string up;
  for (char c : code)
    up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (up == "XBT" || up == "WBTC")
    return "BTC";
  return up;
}

symbol_result canonical_product(std::string_view input) {
  auto text = input;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.empty())
    return fail("product " + quoted(input) + ": empty");
  std::string up = canonical_currency(text);  // upper-cases; the alias check below is per part
  std::string base, quote;
  auto sep = up.find_first_of("-/_");
  if (sep != std::string::npos) {
    if (up.find_first_of("-/_", sep + 1) != std::string::npos)
      return fail("product " + quoted(input) + ": more than one separator");
    base = up.substr(0, sep);
    quote = up.substr(sep + 1);
  } else {
    for (auto q : known_quotes) {
      if (up.size() > q.size() && up.compare(up.size() - q.size(), q.size(), q) == 0) {
        base = up.substr(0, up.size() - q.size());
        quote = std::string(q);
        break;
      }
    }
    if (quote.empty())
      return fail("product " + quoted(input) + ": no separator and no known quote currency");
  }
  base = canonical_currency(base);
  quote = canonical_currency(quote);
  if (!valid_code(base) || !valid_code(quote))
    return fail("product " + quoted(input) + ": base and quote must be 2-10 letters or digits");
  if (base == quote)
    return fail("product " + quoted(input) + ": base equals quote");
  return product_id{base + "-" + quote};
}

symbol_result product_from_exchange(std::string_view sent) {
  if (sent.empty())
    return fail("product " + quoted(sent) + ": empty");
  if (sent.size() > 64)
    return fail("product " + quoted(sent) + ": longer than 64 characters");
  std::size_t segments = 1, segment_len = 0;
  for (char c : sent) {
    if (c == '-') {
      if (segment_len == 0)
        return fail("product " + quoted(sent) + ": empty segment");
      ++segments;
      segment_len = 0;
    } else if (std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c))) {
      ++segment_len;
    } else {
      return fail("product " + quoted(sent) + ": only A-Z, 0-9 and '-' are expected");
    }
  }
  if (segment_len == 0)
    return fail("product " + quoted(sent) + ": empty segment");
  if (segments < 2)
    return fail("product " + quoted(sent) + ": not BASE-QUOTE");
  return product_id{std::string(sent)};
}

symbol_result requested_product(std::string_view input) {
  if (auto as_sent = product_from_exchange(input))
    return as_sent;
  return canonical_product(input);
}

} // namespace trader::exchange
