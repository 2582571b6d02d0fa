// The risk tape (traderd --record-market, issue 19 item 7): every kind of input encodes to one
// line and decodes to the same values; a malformed line names what is wrong; files rotate and
// read back in order; a line torn by a crash is skipped and reported, damage elsewhere is an
// error.

#include "actors/infra/recorder/risk_tape.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace {

using namespace trader;
using namespace trader::recorder;
namespace fs = std::filesystem;

constexpr ts_ns t0 = 1'796'212'800LL * ns_per_s;  // 2026-12-02 12:00:00 UTC

quote quote_of(const char* product, double bid, double ask, std::int64_t seq, ts_ns t) {
  quote q{};
  q.product = product_id{product};
  q.bid = price::from_double(bid);
  q.ask = price::from_double(ask);
  q.bid_size = size::from_double(1.5);
  q.ask_size = size::from_double(0.25);
  q.last = price::from_double(bid - 0.01);
  q.sequence = seq;
  q.ts_event = t - 1;
  q.ts_recv = t;
  return q;
}

trade_proposal proposal() {
  trade_proposal p;
  p.proposal_id = "momentum:7";
  p.strategy = "momentum";
  p.product = product_id{"ETH-USD"};
  p.dir = side::buy;
  p.kind = proposal_kind::add;
  p.target = notional::from_double(123.45678901);
  p.limit_px = price::from_double(1900.01);
  p.rationale = "momentum 0.4 % over 2 bars \"quoted\"";
  p.cycle = 42;
  p.ts = t0;
  p.exits = exit_plan{2.5, 5.0, 1.5, 3.0, price::from_double(12.5)};
  p.confidence = 0.1 + 0.2;  // not exactly 0.3: doubles round-trip bit for bit
  p.regime = "bull";
  p.size_multiplier = 0.75;
  return p;
}

portfolio_update ledger() {
  portfolio_update u;
  u.version = 9;
  u.cash = notional::from_double(-5.5);
  u.positions.push_back(position_state{product_id{"BTC-USD"}, "breakout", size::from_double(0.01),
                                       price::from_double(65000), notional::from_double(1.25), 3, t0 - 10, t0 - 5});
  u.working.push_back(working_order{client_order_id{"c-1"}, product_id{"ETH-USD"}, "momentum", side::sell, true,
                                    size::from_double(0.5), notional::from_double(950), order_state::partially_filled});
  u.realized_day = notional::from_double(1);
  u.realized_week = notional::from_double(2);
  u.realized_total = notional::from_double(3);
  u.fees_total = notional::from_double(0.4);
  u.high_water = notional::from_double(10'100);
  u.high_water_at = t0 - 99;
  u.reconciled = true;
  u.ts = t0 - 1;
  return u;
}

std::vector<tape_payload> one_of_each() {
  product_info info;
  info.product = product_id{"BTC-USD"};
  info.base_currency = "BTC";
  info.quote_currency = "USD";
  info.price_increment = price::from_double(0.01);
  info.base_increment = size::from_double(0.00000001);
  info.base_min_size = size::from_double(0.00001);
  info.base_max_size = size::from_double(10'000);
  info.quote_min_size = notional::from_double(1);
  info.quote_max_size = notional::from_double(1'000'000);
  info.state = product_state::limit_only;
  info.raw_status = "online";
  info.fetched = t0 - 7;
  info.listed_at = t0 - 8;
  return {
    tape_start{"/etc/247trader", "0123456789abcdef",
               {gate_reason_entry{gate_reason::startup, "waiting", t0 - 3, "risk", ""},
                gate_reason_entry{gate_reason::order_timeout, "c-9", t0 - 4, "store", "BTC-USD"}},
               R"({"v":1})", "", "{}", "", "x", false},
    proposal(),
    ledger(),
    quote_of("BTC-USD", 65000, 65000.01, 77, t0 - 1),
    book_update{product_id{"BTC-USD"}, true, {{price::from_double(65000), size::from_double(1)}},
                {{price::from_double(65001), size::from_double(2)}, {price::from_double(65002), size::from_double(0)}},
                1234, t0 - 3, t0 - 2},
    tape_drop_book{product_id{""}},
    product_status{product_id{"SOL-USD"}, product_state::cancel_only, t0 - 1, t0},
    tape_products{{info}},
    fee_tier{"Advanced 1", 0.004, 0.006, notional::from_double(1234.5), t0 - 60},
    tape_clock{-212'400'000},
    gate_conditions{"market_data", {gate_condition{gate_reason::stale_data, "ETH-USD", "age_ms=9000"}}, t0},
    gate_signal{gate_reason::kill_switch, true, "operator", "control", t0, ""},
    resume_gate{gate_reason::max_drawdown, "uid=1000", true},
    tape_config{"fedcba9876543210"},
    tape_tick{},
    tape_exit_failed{product_id{"BTC-USD"}},
    tape_decision{R"({"d":"verdict","approved":false})"},
  };
}

TEST(RiskTape, EveryKindOfInputRoundTripsThroughOneLine) {
  auto all = one_of_each();
  ASSERT_EQ(std::variant_size_v<tape_payload>, all.size());  // a new kind gets a case here
  ts_ns t = t0;
  for (const auto& what : all) {
    const tape_event ev{++t, what};
    const auto line = encode(ev);
    ASSERT_EQ(line.back(), '\n');
    ASSERT_EQ(line.find('\n'), line.size() - 1) << line;  // one line
    std::string error;
    auto back = decode(line, error);
    ASSERT_TRUE(back) << kind_of(what) << ": " << error << "\n" << line;
    EXPECT_EQ(back->t, t);
    EXPECT_EQ(back->what.index(), what.index());
    EXPECT_EQ(encode(*back), line) << kind_of(what);
  }
}

TEST(RiskTape, DecodedValuesAreTheRecordedOnes) {
  std::string error;
  auto p = decode(encode({t0, proposal()}), error);
  ASSERT_TRUE(p) << error;
  const auto& got = std::get<trade_proposal>(p->what);
  EXPECT_EQ(got.target, notional::from_double(123.45678901));
  EXPECT_EQ(got.kind, proposal_kind::add);
  EXPECT_EQ(got.confidence, 0.1 + 0.2);
  EXPECT_EQ(got.exits.atr, price::from_double(12.5));
  EXPECT_EQ(got.rationale, proposal().rationale);
  auto u = decode(encode({t0, ledger()}), error);
  ASSERT_TRUE(u) << error;
  const auto& l = std::get<portfolio_update>(u->what);
  EXPECT_EQ(l.cash, notional::from_double(-5.5));
  ASSERT_EQ(l.working.size(), 1u);
  EXPECT_EQ(l.working[0].state, order_state::partially_filled);
  EXPECT_TRUE(l.working[0].reduce_only);
  EXPECT_EQ(l.positions[0].avg_entry, price::from_double(65000));
}

TEST(RiskTape, AMalformedLineNamesWhatIsWrong) {
  std::string error;
  EXPECT_FALSE(decode("{\"t\":1,\"k\":\"quote\",\"v\":{\"p\":\"BTC-USD\"}}", error));
  EXPECT_NE(error.find("'b'"), std::string::npos) << error;  // the first missing key
  EXPECT_FALSE(decode("{\"t\":1,\"k\":\"teleport\",\"v\":{}}", error));
  EXPECT_NE(error.find("teleport"), std::string::npos) << error;
  EXPECT_FALSE(decode("{\"t\":1,\"k\":\"status\",\"v\":{\"p\":\"X\",\"st\":99,\"te\":0,\"tr\":0}}", error));
  EXPECT_NE(error.find("st"), std::string::npos) << error;
  EXPECT_FALSE(decode("{\"t\":1,\"k\":\"tick\"", error));
  EXPECT_EQ(error, "not a JSON object");
}

class RiskTapeFiles : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("bt-risk-tape-" + std::string{::testing::UnitTest::GetInstance()->current_test_info()->name()});
    fs::remove_all(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
      out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  void write_session(std::size_t max_bytes, int quotes, ts_ns from = t0) {
    risk_tape tape{{dir.string(), "", max_bytes, 0, 1}};
    tape.set_config("cfg", "hash");
    tape.record(from, tape_start{});
    for (int i = 0; i < quotes; ++i)
      tape.record(from + i + 1, quote_of("BTC-USD", i, i + 1, i, from));
    tape.decision("risk_verdict", nlohmann::json{{"strategy", "s"}, {"approved", false}}, from + quotes + 1);
    tape.decision("fill", nlohmann::json{{"not", "a decision"}}, from + quotes + 2);
    EXPECT_EQ(tape.counts().decisions, 1u);
  }
  fs::path dir;
};

TEST_F(RiskTapeFiles, ATapeRotatesAndReadsBackInOrder) {
  write_session(400, 6);  // ≈ 150 bytes a quote: several parts
  auto f = files();
  ASSERT_GE(f.size(), 2u);
  EXPECT_EQ(f.front(), "risk-2026-12-02-000.jsonl");
  auto r = read_tape(dir.string());
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.events.size(), 8u);
  const auto& s = std::get<tape_start>(r.events[0].what);
  EXPECT_EQ(s.config_dir, "cfg");  // set_config fills the start line
  EXPECT_EQ(s.config_hash, "hash");
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(std::get<quote>(r.events[1 + i].what).sequence, i);
  EXPECT_TRUE(std::holds_alternative<tape_decision>(r.events[7].what));
  EXPECT_TRUE(r.torn.empty());
}

TEST_F(RiskTapeFiles, ALineTornByACrashIsSkippedAndReportedAndTheRestartGoesOn) {
  write_session(1 << 20, 2);
  const auto file = dir / "risk-2026-12-02-000.jsonl";
  { std::ofstream(file, std::ios::app) << R"({"t":5,"k":"quote","v":{"p":"BTC)"; }  // died mid-line
  auto r = read_tape(dir.string());
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.torn.size(), 1u);
  EXPECT_NE(r.torn[0].find("risk-2026-12-02-000.jsonl:5"), std::string::npos) << r.torn[0];
  EXPECT_EQ(r.events.size(), 4u);

  write_session(1 << 20, 1, t0 + 100);  // traderd started again: the torn line stays alone
  r = read_tape(dir.string());
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.torn.size(), 1u);
  ASSERT_EQ(r.events.size(), 7u);
  EXPECT_TRUE(std::holds_alternative<tape_start>(r.events[4].what));
}

TEST_F(RiskTapeFiles, ADamagedLineInsideTheTapeIsAnError) {
  write_session(1 << 20, 3);
  const auto file = dir / "risk-2026-12-02-000.jsonl";
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);)
    lines.push_back(l);
  in.close();
  lines[2] = lines[2].substr(0, 20);
  std::ofstream out(file, std::ios::trunc);
  for (const auto& l : lines)
    out << l << "\n";
  out.close();
  auto r = read_tape(dir.string());
  EXPECT_NE(r.error.find("risk-2026-12-02-000.jsonl:3"), std::string::npos) << r.error;
}

TEST_F(RiskTapeFiles, ADirectoryWithoutATapeSaysSo) {
  fs::create_directories(dir);
  auto r = read_tape(dir.string());
  EXPECT_NE(r.error.find("no risk-*.jsonl"), std::string::npos) << r.error;
}

} // namespace
