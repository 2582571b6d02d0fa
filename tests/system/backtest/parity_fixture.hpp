#pragma once
// The parity harness (docs/backtest.md "Parity"): simex in stepped-clock mode, traderd in
// PAPER on the wall-clock test hook, both moved in 10 s steps with a decision cycle at every
// interval_s of simulated time; then backtest on the same config, and the orders of both up
// to the first fill compared with `backtest decisions --orders`. traderd_parity_test's cases
// differ only in the market simex runs and the backtest command that runs the same one.
#include "runtime/clock.hpp"
#include "tests/system/backtest/run_backtest.hpp"
#include "tests/system/backtest/stepped_exchange.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tests/system/traderd/paper_key.hpp"
#include "tests/system/traderd/traderd_fixture.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

namespace trader::parity_test {

using namespace std::chrono_literals;
using nlohmann::json;
using backtest_test::backtest;

/// 2026-05-28 20:27:00 UTC, a multiple of the step.
constexpr std::int64_t start_s = 1'780'000'020;
constexpr std::int64_t step_s = 10;       ///< The model's step and the harness's.
constexpr std::int64_t interval_s = 60;   ///< [loop] interval_s: a cycle every 6 steps.

/// One audit line: its time and its text.
struct line {
  ts_ns ts = 0;
  std::string kind;
  std::string text;
  bool decision = false;  ///< Carries a decision_hash (what `backtest decisions` reads).
};

/// traderd's audit directory (daily files in name order) or a backtest --audit file, as lines
/// with their times (traderd writes RFC 3339, backtest nanoseconds).
inline std::vector<line> read_lines(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(path)) {
    for (const auto& e : std::filesystem::directory_iterator(path))
      if (e.is_regular_file())
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  std::vector<line> out;
  for (const auto& f : files) {
    std::ifstream in(f);
    for (std::string s; std::getline(in, s);) {
      auto j = json::parse(s, nullptr, false);
      if (!j.is_object())
        continue;
      line l{0, j.value("kind", std::string{}), s};
      l.decision = j.contains("payload") && j["payload"].is_object() && j["payload"].contains("decision_hash");
      // A decision's time is when risk decided (its payload's ts; the audit line is stamped
      // when the audit actor wrote it, possibly a step later).
      if (j.contains("payload") && j["payload"].is_object() && j["payload"].contains("ts")
          && j["payload"]["ts"].is_number_integer())
        l.ts = j["payload"]["ts"].get<ts_ns>();
      else if (j.contains("ts") && j["ts"].is_string())
        parse_rfc3339(j["ts"].get<std::string>(), l.ts);
      else if (j.contains("ts") && j["ts"].is_number_integer())
        l.ts = j["ts"].get<ts_ns>();
      out.push_back(std::move(l));
    }
  }
  return out;
}

inline ts_ns first_fill(const std::vector<line>& ls) {
  for (const auto& l : ls)
    if (l.kind == "fill")
      return l.ts;
  return std::numeric_limits<ts_ns>::max();
}

/// The decision lines up to the first decided at or after `cutoff`, written to path (a
/// prefix of the decisions: the stamped hash chain stays whole). Other lines are left out:
/// `decisions` reads none of them, and traderd's audit actor stamps them when it writes
/// them, so a harness call at the next step (an `operator` line) can be written before a
/// verdict risk decided at the step before.
inline void write_before(const std::vector<line>& ls, ts_ns cutoff, const std::string& path) {
  std::ofstream out(path);
  for (const auto& l : ls) {
    if (!l.decision)
      continue;
    if (l.ts >= cutoff)
      break;
    out << l.text << "\n";
  }
}

inline std::size_t approved_before(const std::vector<line>& ls, ts_ns cutoff) {
  std::size_t n = 0;
  for (const auto& l : ls)
    if (l.ts < cutoff && l.kind == "risk_verdict") {
      auto j = json::parse(l.text);
      n += j["payload"].value("approved", false);
    }
  return n;
}

class parity_fixture : public test::traderd_fixture {
protected:
  void SetUp() override {
    traderd_fixture::SetUp();
    private_pem = test::write_paper_key(key_name, dir / "key.pub.pem");
    ASSERT_FALSE(private_pem.empty());
  }
  /// Starts simex stepped at start_s with `market` (the options naming its market) and writes
  /// traderd's configuration trading `traded` (comma-separated) with momentum on 1-minute bars.
  void configure(const std::vector<std::string>& market, const std::string& traded) {
    std::vector<std::string> args{"--api-key", key_name + "=" + (dir / "key.pub.pem"), "--log-file", "-", "--clock",
                                  "stepped", "--start-time", std::to_string(start_s),
                                  // JWTs are signed in simulated time, months before the real clock.
                                  "--jwt-skew", std::to_string(400 * 86'400)};
    args.insert(args.end(), market.begin(), market.end());
    simex = std::make_unique<trader::testing::simex_process>(args);
    write_app("mode = \"PAPER\"\n", "[metrics]\nenabled = false\n[market_data]\nclock_check_s = 2\n" +
                                     test::exchange_table(simex->rest(), simex->ws()));
    // Cycles every 60 simulated seconds without jitter (traderd's come from the harness);
    // the ledger is refreshed on a real timer, so its age in simulated time is allowed to be
    // large (nothing fills before the comparison ends: it does not change meanwhile).
    write_overlay("policy.toml", "[loop]\ninterval_s = 60.0\njitter_pct = 0.0\ncycle_budget_s = 30.0\n"
                                 "[circuit_breakers]\nmax_clock_skew_ms = 600000\n[risk]\n"
                                 "max_portfolio_age_s = 3600.0\n");
    // backtest takes every traded product as eligible: so does traderd's universe here (no
    // volume, listing-age or spread filter on the core products).
    std::string core;
    n_products = 0;
    for (std::size_t b = 0, e; b <= traded.size(); b = e + 1, ++n_products) {
      e = std::min(traded.find(',', b), traded.size());
      core += (core.empty() ? "\"" : ", \"") + traded.substr(b, e - b) + "\"";
    }
    write_overlay("universe.toml", "[tiers]\ncore = [" + core + "]\nrotational = []\n[eligibility]\n"
                                   "min_24h_volume_usd = 0.0\nmin_listing_age_days = 0\nmax_spread_bps = 0.0\n");
    write_overlay("signals.toml", "[triggers]\ngranularity = \"ONE_MINUTE\"\n[triggers.momentum]\nenabled = true\n"
                                  "lookback_candles = 2\nthreshold_pct = 0.001\n");
    write_overlay("strategies.toml", "[strategies.momentum]\nenabled = true\nmin_confidence = 0.0\n");
  }
  std::vector<std::string> env(const std::string& clock_path) const {
    return {"COINBASE_API_KEY_NAME=" + key_name, "COINBASE_API_PRIVATE_KEY=" + private_pem, "TRADER_TEST_HOOKS=1",
            "TRADER_TEST_WALL_CLOCK=" + clock_path};
  }
  /// The oldest of the feed's heartbeats (exchange time) over the streamed products; 0 if none.
  ts_ns feed_heartbeat() {
    auto s = call("status");
    ts_ns oldest = 0;
    bool any = false;
    for (const auto& [p, f] : s["exchange"]["market_data"]["feeds"].items()) {
      ts_ns t = 0;
      if (!f.contains("heartbeat_at") || !f["heartbeat_at"].is_string()
          || !parse_rfc3339(f["heartbeat_at"].get<std::string>(), t))
        return 0;
      oldest = any ? std::min(oldest, t) : t;
      any = true;
    }
    return oldest;
  }
  /// The catalogue lists every traded product, no backfill page is pending, triggers is
  /// subscribed to market_data's trades (it was not yet in a run under load: its series got
  /// no live bar) and every product's history reaches the start without a gap.
  bool warmed_up() {
    auto u = call("universe");
    auto s = call("signals");
    if (!(u.contains("listed") && u["listed"].size() == n_products && s.contains("backfill_pending")
          && s["backfill_pending"].get<std::size_t>() == 0 && s.value("subscribed", false)))
      return false;
    // Every product's history is in, whole, up to the minute before the start (a first
    // backfill page that failed left none, or only the older pages, with no page pending).
    const auto series = s.value("base_series", json::object());
    const std::string last_minute = format_rfc3339((start_s - 60) * ns_per_s);
    return series.size() == n_products && std::all_of(series.begin(), series.end(), [&](const json& x) {
             return x.value("bars", 0) > 0 && x.value("gaps", 1) == 0 && x["newest"].is_string()
                    && x["newest"].get<std::string>() >= last_minute;
           });
  }
  /// How many products risk has a usable level-2 book of.
  std::size_t risk_books() {
    auto r = call("risk");
    return r.contains("books") ? r["books"].value("usable", json::array()).size() : 0;
  }
  /// Where risk's fee rates come from: "exchange" (the tier accounts read) or "policy".
  std::string fees_source() {
    auto r = call("risk");
    return r.contains("fees") ? r["fees"].value("source", std::string{}) : std::string{};
  }
  /// True once `strategies` reports cycle n with a verdict for each of its proposals.
  bool cycle_done(std::int64_t n) {
    auto s = call("strategies");
    return s.value("cycle", std::int64_t{-1}) == n && s.contains("proposals") && s.contains("verdicts")
           && s["verdicts"].size() == s["proposals"].size();
  }

  /// Runs traderd in PAPER against simex for `steps` steps of step_s, a cycle every
  /// interval_s, each after the step's data is in and done before the next step.
  void run_traderd(std::int64_t steps) {
    test::clock_file clock(dir / "wall_clock", start_s * ns_per_s);
    auto p = start({}, env(clock.path()));
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    // Subscribed with both books before the first step (a stepped simex sends heartbeats only
    // when its clock crosses a second).
    ASSERT_TRUE(test::eventually([&] { return call("status")["exchange"].value("connected", false); }, 30s))
      << call("status").dump();
    // traderd's start-up reads pace themselves in real time (REST backfill pages 250 ms apart,
    // the catalogue): done before simulated time moves, as backtest starts with its history.
    ASSERT_TRUE(test::eventually([&] { return warmed_up(); }, 60s))
      << call("signals").dump() << call("universe").dump();
    // Risk subscribed to the ticker and level-2 channels and read both books (its first
    // subscription and book request run on its 1 s tick): the steps' tickers reach it.
    ASSERT_TRUE(test::eventually([&] { return risk_books() == n_products; }, 30s)) << call("risk").dump();
    // Risk sizes with the fee tier accounts read from the exchange (backtest's pipeline reads
    // it at start); until that read lands it uses the policy's fallback rates, and under load
    // the first entry was sized with them (0.1 % larger).
    ASSERT_TRUE(test::eventually([&] { return fees_source() == "exchange"; }, 30s)) << call("risk").dump();
    std::ofstream signals_log{dir / "signals.jsonl"};
    std::int64_t cycles = 0;
    for (std::int64_t i = 1; i <= steps; ++i) {
      const ts_ns now = test::advance_simex(simex->admin(), step_s * 1000);
      ASSERT_EQ(now, (start_s + i * step_s) * ns_per_s) << "step " << i << "; traderd: " << p->err();
      clock.store(now);
      ASSERT_TRUE(test::eventually([&] { return feed_heartbeat() >= now; }, 30s))
        << "step " << i << ": the feed did not reach " << format_rfc3339(now) << ": " << call("status").dump();
      if ((i * step_s) % interval_s != 0)
        continue;
      // backtest's risk always has the engine's book; traderd's reads the level-2 snapshot
      // market_data took (get_book, asked on its 1 s tick while it has none) — wait for it.
      ASSERT_TRUE(test::eventually([&] { return risk_books() == n_products; }, 30s))
        << "step " << i << ": " << call("risk").dump();
      // A backfill the series asked for meanwhile (a gap, staleness) lands before the cycle.
      ASSERT_TRUE(test::eventually([&] { return call("signals").value("backfill_pending", 1) == 0; }, 30s))
        << "step " << i << ": " << call("signals").dump();
      auto c = call("debug.cycle");
      ASSERT_TRUE(c.contains("cycle")) << c.dump() << p->err();
      const auto n = c["cycle"].get<std::int64_t>();
      ASSERT_TRUE(test::eventually([&] { return cycle_done(n); }, 30s))
        << "cycle " << n << " at step " << i << ": " << call("strategies").dump();
      signals_log << call("signals").dump() << "\n";  // what each cycle saw, for a failure's post-mortem
      ++cycles;
    }
    EXPECT_EQ(cycles, steps * step_s / interval_s);
    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(60s), 0) << p->err();
  }
  /// Runs `backtest run <run_args> --audit ...` and expects its orders up to the first fill on
  /// either side to be traderd's, at least one on each side.
  void expect_same_orders(const std::string& run_args) {
    const std::string bt_audit = dir / "backtest-audit.jsonl";
    auto r = backtest("run -c " + cfg + " " + run_args + " --cash 10000 --no-progress --audit " + bt_audit +
                      " --report " + (dir / "report.json"));
    ASSERT_EQ(r.code, 0) << r.out;
    const auto td = read_lines(dir / "log/audit");
    const auto bt = read_lines(bt_audit);
    const ts_ns cutoff = std::min(first_fill(td), first_fill(bt));
    // Not vacuous: orders were placed before the first fill on both sides.
    const auto td_orders = approved_before(td, cutoff), bt_orders = approved_before(bt, cutoff);
    EXPECT_GE(td_orders, 1u) << "traderd placed no order before " << format_rfc3339(cutoff);
    EXPECT_GE(bt_orders, 1u) << "backtest placed no order before " << format_rfc3339(cutoff);
    write_before(td, cutoff, dir / "traderd-before.jsonl");
    write_before(bt, cutoff, dir / "backtest-before.jsonl");
    auto cmp = backtest("decisions " + (dir / "traderd-before.jsonl") + " --against " +
                        (dir / "backtest-before.jsonl") + " --orders");
    EXPECT_EQ(cmp.code, 0) << "orders before " << format_rfc3339(cutoff) << " (traderd " << td_orders << ", backtest "
                           << bt_orders << "):\n" << cmp.out;
  }

  std::string key_name = "organizations/parity/apiKeys/test";
  std::string private_pem;
  std::size_t n_products = 0;
  std::unique_ptr<trader::testing::simex_process> simex;
};

} // namespace trader::parity_test
