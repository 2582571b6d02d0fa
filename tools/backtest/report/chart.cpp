// The SVG equity/drawdown chart and the one-page HTML summary of a run.

#include "tools/backtest/report/report.hpp"

#include "tools/simex/engine/time_format.hpp"

#include <algorithm>
#include <cstdio>

namespace trader::backtest {

namespace {

std::string num(double x, int places = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, x);
  return buf;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

} // namespace

std::string equity_svg(const run_result& r, int width, int height) {
  const auto& eq = r.rec.equity;
  const int pad = 50, top_h = height * 2 / 3 - pad, dd_h = height / 3 - pad / 2;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) + "\" height=\"" +
                    std::to_string(height) + "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  if (eq.empty())
    return svg + "<text x=\"20\" y=\"30\">no equity samples</text>\n</svg>\n";
  double lo = r.meta.initial_cash, hi = r.meta.initial_cash, peak = 0, worst = 0;
  for (const auto& p : eq) {
    lo = std::min(lo, p.nav);
    hi = std::max(hi, p.nav);
    peak = std::max(peak, p.nav);
    worst = std::max(worst, peak > 0 ? (peak - p.nav) / peak * 100.0 : 0.0);
  }
  if (hi <= lo)
    hi = lo + 1;
  if (worst <= 0)
    worst = 1;
  const double t0 = static_cast<double>(eq.front().t), t1 = std::max(t0 + 1, static_cast<double>(eq.back().t));
  const double w = width - 2 * pad;
  auto x = [&](ts_ns t) { return pad + (static_cast<double>(t) - t0) / (t1 - t0) * w; };
  auto y = [&](double v) { return pad / 2.0 + (hi - v) / (hi - lo) * top_h; };
  const double dd_top = pad / 2.0 + top_h + pad / 2.0;
  auto ydd = [&](double d) { return dd_top + d / worst * dd_h; };
  const std::size_t k = std::max<std::size_t>(1, eq.size() / 1500);
  std::string line, area = num(x(eq.front().t)) + "," + num(dd_top) + " ";
  peak = 0;
  for (std::size_t i = 0; i < eq.size(); ++i) {
    peak = std::max(peak, eq[i].nav);
    if (i % k != 0 && i + 1 != eq.size())
      continue;
    const double dd = peak > 0 ? (peak - eq[i].nav) / peak * 100.0 : 0.0;
    line += num(x(eq[i].t)) + "," + num(y(eq[i].nav)) + " ";
    area += num(x(eq[i].t)) + "," + num(ydd(dd)) + " ";
  }
  area += num(x(eq.back().t)) + "," + num(dd_top);
  svg += "<text x=\"" + std::to_string(pad) + "\" y=\"16\">Equity (USD) " + num(lo) + " – " + num(hi) + "</text>\n";
  svg += "<line x1=\"" + num(pad) + "\" x2=\"" + num(pad + w) + "\" y1=\"" + num(y(r.meta.initial_cash)) + "\" y2=\"" +
         num(y(r.meta.initial_cash)) + "\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n";
  svg += "<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"1.5\" points=\"" + line + "\"/>\n";
  svg += "<text x=\"" + std::to_string(pad) + "\" y=\"" + num(dd_top - 4) + "\">Drawdown (max " + num(worst) +
         " %)</text>\n";
  svg += "<polygon fill=\"#f85149\" fill-opacity=\"0.35\" stroke=\"#f85149\" points=\"" + area + "\"/>\n";
  svg += "<text x=\"" + std::to_string(pad) + "\" y=\"" + std::to_string(height - 6) + "\">" +
         simex::rfc3339(eq.front().t, 0) + "</text>\n";
  svg += "<text x=\"" + num(pad + w) + "\" y=\"" + std::to_string(height - 6) + "\" text-anchor=\"end\">" +
         simex::rfc3339(eq.back().t, 0) + "</text>\n";
  return svg + "</svg>\n";
}

std::string summary_html(const run_result& r, const nlohmann::ordered_json& report) {
  std::string h = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>backtest report</title>\n"
                  "<style>body{font-family:sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse}"
                  "td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{text-align:left}</style>"
                  "</head><body>\n<h1>Backtest</h1>\n";
  const auto& md = report["metadata"];
  h += "<p>config " + escape(md["config_hash"].get<std::string>()) + " · " +
       escape(md["range"]["from"].get<std::string>()) + " → " + escape(md["range"]["to"].get<std::string>()) +
       " · seed " + std::to_string(r.meta.seed) + " · market " + escape(md["market"].get<std::string>()) + "</p>\n";
  h += "<h2>Summary</h2>\n<table>\n";
  for (const auto& [k, v] : report["summary"].items())
    if (!v.is_object())
      h += "<tr><th>" + escape(k) + "</th><td>" + escape(v.dump()) + "</td></tr>\n";
  h += "</table>\n<h2>Equity and drawdown</h2>\n" + equity_svg(r);
  h += "<h2>Why nothing was traded (counts)</h2>\n<table>\n";
  for (const auto& [k, v] : report["summary"]["no_trade_reasons"].items())
    h += "<tr><th>" + escape(k) + "</th><td>" + v.dump() + "</td></tr>\n";
  h += "</table>\n<h2>Round trips</h2>\n<table>\n<tr><th>product</th><th>strategy</th><th>opened</th><th>closed</th>"
       "<th>exit</th><th>PnL</th><th>PnL %</th></tr>\n";
  std::size_t n = 0;
  for (const auto& t : r.rec.trades) {
    if (++n > 200)
      break;
    h += "<tr><td>" + escape(t.product) + "</td><td>" + escape(t.strategy) + "</td><td>" + simex::rfc3339(t.opened, 0) +
         "</td><td>" + simex::rfc3339(t.closed, 0) + "</td><td>" + escape(t.exit_reason) + "</td><td>" + num(t.pnl) +
         "</td><td>" + num(t.pnl_pct()) + "</td></tr>\n";
  }
  return h + "</table>\n</body></html>\n";
}

} // namespace trader::backtest
