#include "tools/backtest/report/report.hpp"

#include "tools/simex/engine/time_format.hpp"

#include <cmath>
#include <fstream>

#ifndef TRADER_BACKTEST_BUILD
#define TRADER_BACKTEST_BUILD "backtest 0.2.0"
#endif

namespace trader::backtest {

double round6(double x) {
  if (!std::isfinite(x))
    return 0;
  const double r = std::round(x * 1e6) / 1e6;
  return r == 0 ? 0.0 : r;  // no "-0.0"
}

namespace {

std::string iso(ts_ns t) { return simex::rfc3339(t, 0); }

nlohmann::ordered_json counts(const std::map<std::string, std::uint64_t>& m) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : m)
    j[k] = v;
  return j;
}

} // namespace

nlohmann::ordered_json make_report(const run_result& r) {
  const auto& rec = r.rec;
  const auto m = summarize(rec, r.meta.initial_cash, r.final_nav);
  nlohmann::ordered_json j;
  j["schema"] = report_schema;
  auto& md = j["metadata"];
  md["build"] = TRADER_BACKTEST_BUILD;
  md["config_dir"] = r.meta.config_dir;
  md["config_hash"] = r.meta.config_hash;
  md["trading_hash"] = r.meta.trading_hash;
  md["market"] = r.meta.synthetic ? "simex_synthetic" : "data";
  auto& files = md["data"] = nlohmann::ordered_json::array();
  for (const auto& f : r.meta.files)
    files.push_back({{"path", f.path}, {"sha256", f.sha256}, {"format", f.format}, {"records", f.records}});
  md["products"] = r.meta.products;
  md["range"] = {{"from", iso(r.meta.from)}, {"to", iso(r.meta.to)}};
  md["seed"] = r.meta.seed;
  md["initial_cash"] = round6(r.meta.initial_cash);
  md["step_ms"] = r.meta.step_ms;
  md["levels"] = r.meta.levels;
  md["vol_scale"] = round6(r.meta.vol_scale);

  auto& s = j["summary"];
  s["trades"] = m.trades;
  s["wins"] = m.wins;
  s["losses"] = m.losses;
  s["win_rate_pct"] = round6(m.win_rate_pct);
  s["total_pnl"] = round6(m.total_pnl);
  s["total_pnl_pct"] = round6(m.total_pnl_pct);
  s["final_nav"] = round6(r.final_nav);
  s["max_drawdown_pct"] = round6(m.max_drawdown_pct);
  s["profit_factor"] = round6(m.profit_factor);
  s["sharpe"] = round6(m.sharpe);
  s["sortino"] = round6(m.sortino);
  s["exposure_pct"] = round6(m.exposure_pct);
  s["fees"] = round6(m.fees);
  s["turnover"] = round6(m.turnover);
  s["orders"] = rec.orders.size();
  s["fills"] = rec.fills.size();
  s["cycles"] = rec.cycles;
  s["signals"] = rec.signals;
  s["proposals"] = rec.proposals;
  s["approved"] = rec.approved;
  s["candles"] = rec.candles;
  s["ticks"] = rec.ticks;
  s["events"] = rec.events;
  s["bad_ticks_held"] = rec.bad_ticks_held;
  s["lookahead_refused"] = rec.lookahead_refused;
  s["no_trade_reasons"] = counts(rec.no_trade_reasons);
  s["gate_closures"] = counts(rec.gate_closures);
  auto& open = s["open_positions"] = nlohmann::ordered_json::object();
  for (const auto& [p, q] : r.open_positions)
    open[p] = round6(q);

  j["regression"] = {{"total_trades", m.trades},
                     {"win_rate_pct", round6(m.win_rate_pct)},
                     {"total_pnl_pct", round6(m.total_pnl_pct)},
                     {"max_drawdown_pct", round6(m.max_drawdown_pct)},
                     {"profit_factor", round6(m.profit_factor)}};
  j["intent_hash"] = rec.intent_hash;
  j["decisions"] = rec.chain.seq();

  auto& orders = j["orders"] = nlohmann::ordered_json::array();
  for (const auto& o : rec.orders)
    orders.push_back({{"id", o.id},           {"exchange_id", o.exchange_id}, {"product", o.product},
                      {"strategy", o.strategy}, {"purpose", o.purpose},       {"side", o.side},
                      {"type", o.type},       {"tif", o.tif},                 {"post_only", o.post_only},
                      {"reduce_only", o.reduce_only}, {"limit_px", o.limit_px}, {"base_size", o.base_size},
                      {"quote_size", o.quote_size}, {"created", iso(o.created)}, {"state", o.state},
                      {"done", o.done ? iso(o.done) : ""}, {"filled", o.filled}, {"avg_px", o.avg_px},
                      {"fees", o.fees}, {"reject", o.reject}});
  auto& fills = j["fills"] = nlohmann::ordered_json::array();
  for (const auto& f : rec.fills)
    fills.push_back({{"trade_id", f.trade_id}, {"order", f.order_id}, {"product", f.product}, {"side", f.side},
                     {"px", f.px}, {"qty", f.qty}, {"fee", f.fee}, {"liquidity", f.liquidity}, {"time", iso(f.t)}});
  auto& trades = j["trades"] = nlohmann::ordered_json::array();
  for (const auto& t : rec.trades)
    trades.push_back({{"product", t.product}, {"strategy", t.strategy}, {"opened", iso(t.opened)},
                      {"closed", iso(t.closed)}, {"exit", t.exit_reason}, {"entry_value", round6(t.entry_value)},
                      {"pnl", round6(t.pnl)}, {"pnl_pct", round6(t.pnl_pct())}});
  // The curve, thinned to at most ~500 points (every k-th sample and the last); the SVG has more.
  auto& eq = j["equity"] = nlohmann::ordered_json::array();
  const std::size_t k = std::max<std::size_t>(1, rec.equity.size() / 500);
  for (std::size_t i = 0; i < rec.equity.size(); ++i)
    if (i % k == 0 || i + 1 == rec.equity.size())
      eq.push_back({iso(rec.equity[i].t), round6(rec.equity[i].nav)});
  return j;
}

bool write_report(const run_result& r, const std::string& path, std::string& error) {
  const auto j = make_report(r);
  const std::string stem = path.size() > 5 && path.ends_with(".json") ? path.substr(0, path.size() - 5) : path;
  auto write = [&](const std::string& p, const std::string& text) {
    std::ofstream out{p, std::ios::binary | std::ios::trunc};
    out << text;
    if (!out) {
      error = p + ": cannot write";
      return false;
    }
    return true;
  };
  return write(path, j.dump(2) + "\n") && write(stem + ".svg", equity_svg(r)) && write(stem + ".html", summary_html(r, j));
}

} // namespace trader::backtest
