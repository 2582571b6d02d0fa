#include "actors/trading/order_lifecycle/balance_check.hpp"

#include <charconv>
#include <cstdlib>

namespace trader::order_lifecycle {

std::string base_currency_of(std::string_view product) {
  return std::string{product.substr(0, product.find('-'))};
}

std::string balance_difference::describe() const {
  std::string out = currency + " exchange=" + to_string(exchange) + (listed ? "" : " (not listed)") +
                    " outside=" + to_string(outside) + " ledger=" + to_string(ledger) +
                    " difference=" + to_string(difference) + " products=";
  for (std::size_t i = 0; i < products.size(); ++i)
    out += (i ? "," : "") + products[i];
  return out;
}

bool balance_report::confirmed() const {
  for (auto& d : differences)
    if (d.confirmed)
      return true;
  return false;
}

balance_report balance_reconciler::check(const std::map<std::string, position>& positions,
                                         const std::vector<balance>& balances,
                                         const std::set<std::string>& ordered) {
  balance_report out;
  std::map<std::string, size> held;  // by currency: the exchange's total (available + hold)
  for (auto& b : balances)
    held[b.currency] += size{(b.available + b.hold).units};
  std::map<std::string, size> ledger;
  std::map<std::string, std::vector<std::string>> products;
  for (auto& [product, p] : positions) {
    auto cur = base_currency_of(product);
    if (cur == quote_)
      continue;
    ledger[cur] += p.qty;
    products[cur].push_back(product);
  }
  for (auto& product : ordered) {  // ordered, nothing booked yet: traded, position zero
    auto cur = base_currency_of(product);
    if (cur == quote_ || positions.count(product))
      continue;
    ledger[cur] += size{};
    products[cur].push_back(product);
  }
  // Currencies never ordered: their balance is held outside the ledger, whatever it is now.
  for (auto& [cur, amount] : held) {
    if (cur == quote_ || ledger.count(cur))
      continue;
    auto it = baseline_.find(cur);
    if (it == baseline_.end() || it->second != amount) {
      baseline_[cur] = amount;
      out.baseline_changed = true;
    }
  }
  std::map<std::string, size> differences;
  for (auto& [cur, qty] : ledger) {
    auto h = held.find(cur);
    const size exchange = h == held.end() ? size{} : h->second;
    auto base = baseline_.find(cur);
    if (base == baseline_.end()) {
      // Traded before this check existed (or its balance was never read): adopt what is there.
      base = baseline_.emplace(cur, exchange - qty).first;
      out.baseline_changed = true;
      out.adopted.push_back(cur + " outside=" + to_string(base->second));
    }
    balance_difference d;
    d.currency = cur;
    d.exchange = exchange;
    d.outside = base->second;
    d.ledger = qty;
    d.difference = exchange - base->second - qty;
    d.listed = h != held.end();
    d.products = products[cur];
    auto last = last_difference_.find(cur);
    d.confirmed = last != last_difference_.end() && last->second == d.difference;
    d.agrees = std::llabs(d.difference.units) <= tolerance_.units;
    const bool differs = !d.agrees;
    if (rebase_.count(cur) && (!differs || d.confirmed)) {
      rebase_.erase(cur);
      if (!differs) {
        out.rebase_dropped.push_back(cur + ": agrees, nothing to re-base");
      } else {
        out.rebased.push_back(cur + " outside=" + to_string(d.outside) + " -> " +
                              to_string(d.outside + d.difference) + " difference=" + to_string(d.difference));
        base->second = base->second + d.difference;
        out.baseline_changed = true;
        d.outside = base->second;
        d.difference = size{};
        d.confirmed = false;
        d.agrees = true;
        out.compared.push_back(std::move(d));
        continue;
      }
    }
    out.compared.push_back(d);
    if (!differs)
      continue;
    differences[cur] = d.difference;
    out.differences.push_back(std::move(d));
  }
  for (auto it = rebase_.begin(); it != rebase_.end();) {  // never ordered: the baseline follows
    if (ledger.count(*it)) {
      ++it;
      continue;
    }
    out.rebase_dropped.push_back(*it + ": not traded, its baseline follows its balance");
    it = rebase_.erase(it);
  }
  last_difference_ = std::move(differences);
  return out;
}

std::string encode_baseline(const std::map<std::string, size>& baseline) {
  std::string out = "v1\n";
  for (auto& [cur, amount] : baseline)
    out += cur + " " + std::to_string(amount.units) + "\n";
  return out;
}

std::optional<std::map<std::string, size>> decode_baseline(std::string_view text) {
  std::map<std::string, size> out;
  if (text.empty())
    return out;
  auto line_end = text.find('\n');
  if (text.substr(0, line_end) != "v1")
    return std::nullopt;
  text.remove_prefix(line_end == std::string_view::npos ? text.size() : line_end + 1);
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    auto sp = line.find(' ');
    if (sp == std::string_view::npos || sp == 0)
      return std::nullopt;
    std::int64_t units = 0;
    auto num = line.substr(sp + 1);
    auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), units);
    if (ec != std::errc{} || p != num.data() + num.size() || num.empty())
      return std::nullopt;
    if (!out.emplace(std::string{line.substr(0, sp)}, size{units}).second)
      return std::nullopt;
  }
  return out;
}

} // namespace trader::order_lifecycle
