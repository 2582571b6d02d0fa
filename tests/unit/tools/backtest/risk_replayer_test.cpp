// backtest replay's engine (issue 19 item 7): the risk actor's decisions re-made from its
// inputs — the gate's startup held until the first reconciled ledger, the kill switch, a stop
// crossing's exit allowed or blocked — and replay_tape's proof: equal decisions give equal
// hashes, a tighter policy or an altered recording is caught at the first decision it changes.

#include "tools/backtest/replay.hpp"
#include "tools/backtest/replay/risk_replayer.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace trader;
using namespace trader::recorder;
using namespace trader::backtest;
using nlohmann::json;

constexpr ts_ns t0 = 1'796'212'800LL * ns_per_s;  // 2026-12-02 12:00:00 UTC
constexpr ts_ns sec(std::int64_t s) { return t0 + s * ns_per_s; }

product_info btc() {
  product_info p;
  p.product = product_id{"BTC-USD"};
  p.base_currency = "BTC";
  p.quote_currency = "USD";
  p.price_increment = price::from_double(0.01);
  p.base_increment = size::from_double(0.00000001);
  p.base_min_size = size::from_double(0.00001);
  p.base_max_size = size::from_double(10'000);
  p.quote_min_size = notional::from_double(1);
  return p;
}

quote btc_quote(double bid, ts_ns t) {
  quote q{};
  q.product = product_id{"BTC-USD"};
  q.bid = price::from_double(bid);
  q.ask = price::from_double(bid + 1);
  q.bid_size = size::from_double(1);
  q.ask_size = size::from_double(1);
  q.last = q.bid;
  q.sequence = 1;
  q.ts_event = t;
  q.ts_recv = t;
  return q;
}

book_update btc_book(double bid, ts_ns t) {
  return book_update{product_id{"BTC-USD"}, true, {{price::from_double(bid), size::from_double(1)}},
                     {{price::from_double(bid + 1), size::from_double(1)}}, 1, t, t};
}

portfolio_update ledger(std::uint64_t version, ts_ns t, double held_qty = 0) {
  portfolio_update u;
  u.version = version;
  u.cash = notional::from_double(20'000);
  u.reconciled = true;
  u.ts = t;
  if (held_qty > 0)
    u.positions.push_back(position_state{product_id{"BTC-USD"}, "breakout", size::from_double(held_qty),
                                         price::from_double(50'000), {}, 1, t, t});
  return u;
}

trade_proposal buy(int n, ts_ns t, double usd = 400) {
  trade_proposal p;
  p.proposal_id = "breakout:" + std::to_string(n);
  p.strategy = "breakout";
  p.product = product_id{"BTC-USD"};
  p.target = notional::from_double(usd);
  p.ts = t;
  return p;
}

/// A session: the startup gate, the catalogue and BTC's book, a ledger not reconciled yet and
/// a proposal, the reconciled ledger, the kill switch and a proposal, the operator's resume
/// and a proposal.
std::vector<tape_event> session() {
  tape_start s;
  s.gate = {gate_reason_entry{gate_reason::startup, "waiting for the first reconcile", t0, "risk", ""}};
  auto unreconciled = ledger(1, sec(2));
  unreconciled.reconciled = false;
  return {{t0, s},
          {sec(1), tape_products{{btc()}}},
          {sec(1), btc_quote(50'000, sec(1))},
          {sec(1), btc_book(50'000, sec(1))},
          {sec(2), unreconciled},
          {sec(2), buy(1, sec(2))},
          {sec(3), ledger(2, sec(3))},
          {sec(4), gate_signal{gate_reason::kill_switch, true, "operator", "control", sec(4), ""}},
          {sec(4), buy(2, sec(4))},
          {sec(5), resume_gate{gate_reason::kill_switch, "uid=1000", false}},
          {sec(5), buy(3, sec(5))}};
}

json line(const std::string& s) { return json::parse(s); }

TEST(RiskReplayer, DecidesAsTheRiskActorDoes) {
  risk_replayer r{risk::default_risk_policy()};
  std::vector<json> out;
  for (const auto& ev : session())
    for (const auto& l : r.apply(ev))
      out.push_back(line(l));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_FALSE(out[0]["approved"].get<bool>()) << out[0];  // startup holds until a reconcile
  EXPECT_EQ(out[0]["checks"], json::array({"GATE_CLOSED"})) << out[0];
  EXPECT_FALSE(out[1]["approved"].get<bool>()) << out[1];  // the kill switch
  EXPECT_EQ(out[1]["checks"], json::array({"GATE_CLOSED"})) << out[1];
  EXPECT_TRUE(out[2]["approved"].get<bool>()) << out[2];  // resumed
  EXPECT_EQ(out[2]["intent"]["product"], "BTC-USD");
  EXPECT_EQ(out[2]["intent"]["side"], "buy");
}

TEST(RiskReplayer, InputsBeforeTheFirstStartDecideNothing) {
  risk_replayer r{risk::default_risk_policy()};
  EXPECT_TRUE(r.apply({sec(1), buy(1, sec(1))}).empty());
  EXPECT_FALSE(r.started());
}

std::vector<tape_event> held_position(bool kill) {
  tape_start s;
  std::vector<tape_event> evs{{t0, s},
                              {sec(1), tape_products{{btc()}}},
                              {sec(1), btc_quote(50'000, sec(1))},
                              {sec(2), ledger(1, sec(2), 0.01)}};
  if (kill)
    evs.push_back({sec(3), gate_signal{gate_reason::kill_switch, true, "operator", "control", sec(3), ""}});
  evs.push_back({sec(4), btc_quote(40'000, sec(4))});  // far through any stop
  return evs;
}

TEST(RiskReplayer, AStopCrossingSendsAReduceOnlyExit) {
  risk_replayer r{risk::default_risk_policy()};
  std::vector<std::string> out;
  for (const auto& ev : held_position(false))
    for (auto& l : r.apply(ev))
      out.push_back(l);
  ASSERT_EQ(out.size(), 1u);
  auto j = line(out[0]);
  EXPECT_EQ(j["d"], "exit");
  EXPECT_EQ(j["kind"], "stop_loss");
  EXPECT_EQ(j["intent"]["side"], "sell");
  EXPECT_TRUE(j["intent"]["reduce_only"].get<bool>());
}

TEST(RiskReplayer, TheKillSwitchBlocksTheExit) {
  risk_replayer r{risk::default_risk_policy()};
  std::size_t n = 0;
  for (const auto& ev : held_position(true))
    n += r.apply(ev).size();
  EXPECT_EQ(n, 0u);
}

/// The session as traderd records it: each input followed by the decisions it made.
tape_read recorded(const std::vector<tape_event>& inputs, const risk::risk_policy& p) {
  tape_read t;
  risk_replayer r{p};
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    t.events.push_back(inputs[i]);
    t.where.push_back("tape:" + std::to_string(t.events.size()));
    for (auto& l : r.apply(inputs[i])) {
      t.events.push_back({inputs[i].t, tape_decision{l}});
      t.where.push_back("tape:" + std::to_string(t.events.size()));
    }
  }
  return t;
}

TEST(ReplayTape, TheSameDecisionsAreEquivalentWithEqualHashes) {
  auto tape = recorded(session(), risk::default_risk_policy());
  auto r = replay_tape(tape, risk::default_risk_policy());
  EXPECT_FALSE(r.divergence);
  EXPECT_EQ(r.recorded, 3u);
  EXPECT_EQ(r.replayed, 3u);
  EXPECT_EQ(r.recorded_hash, r.replayed_hash);
  EXPECT_EQ(r.recorded_hash.size(), 64u);
  EXPECT_EQ(r.starts, 1u);
  EXPECT_EQ(r.inputs, session().size());
}

TEST(ReplayTape, ATighterOrderCapDivergesAtTheFirstDecisionItChanges) {
  auto tape = recorded(session(), risk::default_risk_policy());
  auto tight = risk::default_risk_policy();
  tight.max_order_usd = 100;  // the approved 400 USD buy is cut to 100
  auto r = replay_tape(tape, tight);
  ASSERT_TRUE(r.divergence);
  EXPECT_EQ(r.divergence->index, 2u);  // the rejections before it are the same
  EXPECT_EQ(r.divergence->t, sec(5));
  EXPECT_EQ(r.divergence->where, "tape:14");
  EXPECT_NE(r.divergence->recorded, r.divergence->replayed);
  EXPECT_NE(r.recorded_hash, r.replayed_hash);
}

TEST(ReplayTape, AnAlteredRecordingIsCaughtAtTheAlteredDecision) {
  auto tape = recorded(session(), risk::default_risk_policy());
  auto& first = std::get<tape_decision>(tape.events[6].what).line;  // the first verdict
  auto j = nlohmann::ordered_json::parse(first);
  j["checks"] = nlohmann::ordered_json::array({"KILL_SWITCH"});
  first = j.dump();
  auto r = replay_tape(tape, risk::default_risk_policy());
  ASSERT_TRUE(r.divergence);
  EXPECT_EQ(r.divergence->index, 0u);
  EXPECT_EQ(r.divergence->recorded, first);
  EXPECT_NE(r.divergence->replayed.find("GATE_CLOSED"), std::string::npos) << r.divergence->replayed;
}

TEST(ReplayTape, LinesBeforeTheFirstStartAreSkipped) {
  auto inputs = session();
  inputs.insert(inputs.begin(), tape_event{t0 - 1, tape_tick{}});
  auto r = replay_tape(recorded(inputs, risk::default_risk_policy()), risk::default_risk_policy());
  EXPECT_EQ(r.skipped, 1u);
  EXPECT_FALSE(r.divergence);
}

} // namespace
