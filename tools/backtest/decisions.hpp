#pragma once
// `backtest decisions LOG [--against LOG2]`: the decision stream of a run — traderd's audit
// log (a file or its directory of daily files) or a backtest `--audit` stream; both carry
// decisions as {"kind": "risk_verdict" | "risk_exit", "payload": {...}} — recomputed
// (audit::decision_chain), checked against the decision_hash stamped on each line, and
// compared with another run's: equal hashes, or the first decision where they part. No CAF.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace trader::backtest {

/// One decision read from a log.
struct logged_decision {
  std::string where;                  ///< "FILE:LINE".
  std::string line;                   ///< Its canonical decision line.
  std::optional<std::string> hash;    ///< decision_hash stamped on it, when there is one.
  std::optional<std::uint64_t> seq;   ///< decision_seq stamped on it.
};

/// A log's decision stream, verified.
struct decision_stream {
  std::vector<logged_decision> decisions;
  std::string hash = "0";      ///< Recomputed over every decision in order (chains joined).
  std::size_t chains = 0;      ///< Chains seen (a traderd audit actor restart starts a new one at seq 1).
  std::string problem;         ///< First line whose stamped hash differs from the recomputed one.
  std::string error;           ///< The log could not be read.
};

/// Reads PATH (a JSONL file, or a directory: its regular files in name order).
decision_stream read_decision_stream(const std::string& path);

/// Where two streams part: nullopt when they hold the same decisions in the same order.
struct divergence {
  std::size_t index = 0;  ///< 0-based decision number.
  std::string a, b;       ///< Its line on each side ("(end of stream)" past one's end), with where.
};
std::optional<divergence> first_divergence(const decision_stream& a, const decision_stream& b);

/// The order a decision line placed, as its own line: an approved verdict's intent with its
/// strategy ({"o":"entry","strategy",…,"intent"}) or a sent protective exit's
/// ({"o":"exit","kind",…,"intent"}); nullopt for a rejected proposal, which placed nothing.
std::optional<std::string> order_line(const std::string& decision_line);

/// Only the orders of s, in order (each line order_line's), hash recomputed over them. What
/// "the same orders" means for two runs that fed the same market through different clocks
/// (parity): a rejection depends on when an input reached risk (STALE_QUOTE, pacing windows,
/// a proposal repeated each cycle while refused); an order is what reached the venue.
decision_stream orders_only(const decision_stream& s);

/// The command: exit 0 verified (and equal to --against), 1 a stamped hash differs or the
/// streams diverge, 2 unreadable. `orders`: compare orders_only() of each side.
int cmd_decisions(const std::string& path, const std::string& against, bool orders = false);

} // namespace trader::backtest
