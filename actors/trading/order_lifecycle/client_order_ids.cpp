#include "actors/trading/order_lifecycle/client_order_ids.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace trader::order_lifecycle {

namespace {

bool id_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/// Lowercase, [a-z0-9] only.
std::string sanitise(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    if (id_char(c))
      out.push_back(c);
  }
  return out;
}

bool all_id_chars(std::string_view s) { return std::all_of(s.begin(), s.end(), id_char); }

constexpr std::size_t max_symbol_len = 10;

} // namespace

bool valid_client_id_namespace(std::string_view ns) {
  return !ns.empty() && ns.size() <= max_client_id_namespace_len && all_id_chars(ns);
}

client_order_id make_client_order_id(std::string_view ns, std::string_view strategy, const product_id& product, side dir,
                                     std::uint64_t sequence) {
  std::string out{ns};
  out += '-';
  out += std::to_string(sequence);
  out += '-';
  out += dir == side::buy ? 'b' : 's';
  out += '-';
  // Budget: ns ≤ 4 and seq ≤ 20 digits leave ≥ 8 characters for "<symbol>-<strategy>".
  const std::size_t left = max_client_order_id_len - out.size();
  auto sym = sanitise(product.value);
  auto strat = sanitise(strategy);
  if (sym.empty())
    sym = "x";
  if (strat.empty())
    strat = "x";
  sym.resize(std::min({sym.size(), max_symbol_len, left - 2}));
  out += sym;
  out += '-';
  strat.resize(std::min(strat.size(), max_client_order_id_len - out.size()));
  out += strat;
  return client_order_id{std::move(out)};
}

std::optional<client_order_id_parts> parse_client_order_id(std::string_view id) {
  if (id.size() > max_client_order_id_len)
    return std::nullopt;
  std::string_view field[5];
  std::size_t n = 0, start = 0;
  for (std::size_t i = 0; i <= id.size(); ++i) {
    if (i == id.size() || id[i] == '-') {
      if (n == 5)
        return std::nullopt;
      field[n++] = id.substr(start, i - start);
      start = i + 1;
    }
  }
  if (n != 5)
    return std::nullopt;
  client_order_id_parts p;
  if (!valid_client_id_namespace(field[0]))
    return std::nullopt;
  p.ns = std::string{field[0]};
  const auto& seq = field[1];
  if (seq.empty() || (seq.size() > 1 && seq[0] == '0'))
    return std::nullopt;
  auto [ptr, ec] = std::from_chars(seq.data(), seq.data() + seq.size(), p.sequence);
  if (ec != std::errc{} || ptr != seq.data() + seq.size() || p.sequence == 0)
    return std::nullopt;
  if (field[2] == "b")
    p.dir = side::buy;
  else if (field[2] == "s")
    p.dir = side::sell;
  else
    return std::nullopt;
  if (field[3].empty() || field[4].empty() || !all_id_chars(field[3]) || !all_id_chars(field[4]))
    return std::nullopt;
  p.symbol = std::string{field[3]};
  p.strategy = std::string{field[4]};
  return p;
}

client_order_id_generator::client_order_id_generator(std::string ns, std::uint64_t next)
  : ns_(valid_client_id_namespace(ns) ? std::move(ns) : std::string{"t"}), next_(next == 0 ? 1 : next) {
  // nop
}

client_order_id client_order_id_generator::next(std::string_view strategy, const product_id& product, side dir) {
  return make_client_order_id(ns_, strategy, product, dir, next_++);
}

void client_order_id_generator::restore(std::uint64_t last_used) {
  if (last_used == UINT64_MAX)
    next_ = UINT64_MAX;  // exhausted: never wraps to a used number
  else if (last_used + 1 > next_)
    next_ = last_used + 1;
}

bool client_order_id_generator::observe(std::string_view id) {
  auto p = parse_client_order_id(id);
  if (!p || p->ns != ns_)
    return false;
  restore(p->sequence);
  return true;
}

} // namespace trader::order_lifecycle
