#include "tools/backtest/compare.hpp"

#include "tools/backtest/report/report.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>

namespace trader::backtest {

compare_result compare_reports(const nlohmann::json& baseline, const nlohmann::json& report, double tolerance_pct) {
  compare_result out;
  for (const auto* doc : {&baseline, &report}) {
    if (!doc->is_object() || doc->value("schema", "") != report_schema) {
      out.error = std::string{"not a backtest report (schema must be "} + report_schema + ")";
      return out;
    }
    if (!doc->contains("regression") || !(*doc)["regression"].is_object()) {
      out.error = "report has no regression object";
      return out;
    }
  }
  if (tolerance_pct < 0) {
    out.error = "tolerance must be a non-negative percentage";
    return out;
  }
  bool all = true;
  for (const char* key : regression_keys) {
    const auto& b = baseline["regression"];
    const auto& r = report["regression"];
    if (!b.contains(key) || !r.contains(key) || !b[key].is_number() || !r[key].is_number()) {
      out.error = std::string{"regression key missing or not a number: "} + key;
      out.keys.clear();
      return out;
    }
    key_diff d{key, b[key].get<double>(), r[key].get<double>(), 0, true};
    const double diff = std::abs(d.report - d.baseline);
    d.change_pct = d.baseline != 0 ? (d.report - d.baseline) / std::abs(d.baseline) * 100.0 : 0.0;
    d.pass = diff <= 1e-9 || diff <= tolerance_pct / 100.0 * std::abs(d.baseline);
    all = all && d.pass;
    out.keys.push_back(d);
  }
  out.exit_code = all ? 0 : 1;
  return out;
}

compare_result compare_files(const std::string& baseline, const std::string& report, double tolerance_pct) {
  auto read = [](const std::string& path, nlohmann::json& j, std::string& error) {
    std::ifstream in{path};
    if (!in) {
      error = path + ": cannot read";
      return false;
    }
    j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded()) {
      error = path + ": not JSON";
      return false;
    }
    return true;
  };
  compare_result out;
  nlohmann::json b, r;
  if (!read(baseline, b, out.error) || !read(report, r, out.error))
    return out;
  out = compare_reports(b, r, tolerance_pct);
  if (!out.error.empty() && out.exit_code == 2)
    out.error = baseline + " vs " + report + ": " + out.error;
  return out;
}

double parse_tolerance(const std::string& text) {
  std::string t;
  for (char c : text)
    if (c != ' ' && c != '%')
      t += c;
  if (t.empty())
    return -1;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  return end != nullptr && *end == '\0' && v >= 0 && std::isfinite(v) ? v : -1;
}

std::string render(const compare_result& r, double tolerance_pct) {
  if (r.exit_code == 2)
    return "ERROR " + r.error + "\n";
  std::string out;
  char buf[256];
  for (const auto& k : r.keys) {
    std::snprintf(buf, sizeof buf, "%-18s baseline %14.6f  report %14.6f  change %+9.3f %%  %s\n", k.key.c_str(),
                  k.baseline, k.report, k.change_pct, k.pass ? "ok" : "FAIL");
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "%s (tolerance %.3g %%)\n", r.exit_code == 0 ? "PASS" : "FAIL", tolerance_pct);
  return out + buf;
}

} // namespace trader::backtest
