#pragma once
// traderd's decision recording (`traderd --record-market DIR`, issue 19 item 7): every input
// of the risk actor in the order it handled them — proposals, ledger updates, quotes, books,
// products, fee tier, clock offset, product status, gate reports and operator resumes, its
// timer ticks, refused exits — each with the time risk read, and every decision it made as
// its canonical line (audit::decision_line), as JSONL in DIR/risk-YYYY-MM-DD-NNN.jsonl
// (rotating_log). `backtest replay DIR` feeds the inputs through risk_desk and the trading
// gate in order and proves the same decisions (docs/backtest.md "Replay"). No CAF.

#include "actors/infra/recorder/rotating_log.hpp"
#include "messages/exchange.hpp"
#include "messages/gate.hpp"
#include "messages/market.hpp"
#include "messages/trading.hpp"

#include <nlohmann/json_fwd.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace trader::recorder {

/// A (re)started risk actor: the configuration it runs, the gate it began with and the parts
/// it restored from its store (each the JSON the store held; "" = none).
struct tape_start {
  std::string config_dir;
  std::string config_hash;
  std::vector<gate_reason_entry> gate;
  std::string pacing, exits, plans, pyramid, loss;
  bool clear_startup_on_reconcile = true;  ///< risk_options' (off in DRY_RUN).
};
struct tape_products {
  std::vector<product_info> products;
};
/// feed_health said p's book is not to be trusted ("" = every product).
struct tape_drop_book {
  product_id product;
};
/// A usable clock_sample's offset.
struct tape_clock {
  std::int64_t offset_ns = 0;
};
/// config_changed: the policy was re-read (hash of the new configuration).
struct tape_config {
  std::string hash;
};
/// risk's trading timer (loss limits re-judged).
struct tape_tick {};
/// order_lifecycle refused a protective exit of p: it fires again on the next crossing.
struct tape_exit_failed {
  product_id product;
};
/// A decision risk made: its canonical line (an output, compared by replay).
struct tape_decision {
  std::string line;
};

using tape_payload = std::variant<tape_start, trade_proposal, portfolio_update, quote, book_update, tape_drop_book,
                                  product_status, tape_products, fee_tier, tape_clock, gate_conditions, gate_signal,
                                  resume_gate, tape_config, tape_tick, tape_exit_failed, tape_decision>;

/// One line of the tape: what risk handled (or decided) and the time it read for it.
struct tape_event {
  ts_ns t = 0;
  tape_payload what;
};

/// The tape's format version (in every start line).
inline constexpr int tape_version = 1;

/// One JSONL line, '\n' included: {"t":NS,"k":KIND,"v":{…}}; numbers in fixed-point units.
std::string encode(const tape_event& e);
/// Parses a line of encode(); nullopt with `error` naming the field when malformed.
std::optional<tape_event> decode(std::string_view line, std::string& error);
/// The kind name of a payload ("proposal", "quote", …).
std::string_view kind_of(const tape_payload& p);

/// Counters since start.
struct tape_counts {
  std::uint64_t inputs = 0;
  std::uint64_t decisions = 0;
  std::uint64_t bytes = 0;
  std::uint64_t write_errors = 0;
};

/// The writer, shared by every risk actor of one traderd process (a restarted risk goes on
/// writing through it). Flushed at every decision and every tick (risk's 1 s timer), else
/// every rotating_log_options::flush_every lines. Thread-safe.
class risk_tape {
public:
  /// o.prefix is forced to "risk".
  explicit risk_tape(rotating_log_options o);
  /// The configuration the next start line names (traderd's risk factory, at each start).
  void set_config(std::string dir, std::string hash);
  /// An input; a tape_start gets the configuration of set_config.
  void record(ts_ns t, tape_payload what);
  /// An audit entry of risk: recorded as a tape_decision when it is a decision.
  void decision(std::string_view kind, const nlohmann::json& payload, ts_ns t);
  void flush();
  tape_counts counts() const;
  std::string current_file() const;

private:
  void write(const tape_event& e);
  mutable std::mutex mtx_;
  rotating_log log_;
  std::string config_dir_, config_hash_;
  tape_counts counts_;
};

/// A tape read back.
struct tape_read {
  std::vector<tape_event> events;
  std::vector<std::string> where;  ///< "FILE:LINE" of each event.
  std::vector<std::string> torn;   ///< Last lines of a file that do not parse (a crash mid-write), skipped.
  std::string error;               ///< Unreadable, or a malformed line that is not a file's last.
};
/// PATH: a directory (its risk-*.jsonl in name order) or one file.
tape_read read_tape(const std::string& path);

} // namespace trader::recorder
