// The regression gate: pass within tolerance, fail outside, error on bad input.

#include "tools/backtest/compare.hpp"
#include "tools/backtest/report/report.hpp"

#include <gtest/gtest.h>

namespace {

using namespace trader::backtest;

nlohmann::json report(double trades, double win, double pnl, double dd, double pf) {
  return {{"schema", report_schema},
          {"regression",
           {{"total_trades", trades}, {"win_rate_pct", win}, {"total_pnl_pct", pnl}, {"max_drawdown_pct", dd},
            {"profit_factor", pf}}}};
}

TEST(Compare, IdenticalReportsPass) {
  auto r = compare_reports(report(10, 50, 2, 3, 1.5), report(10, 50, 2, 3, 1.5), 2);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.keys.size(), 5u);
}

TEST(Compare, AChangeWithinTheToleranceOfEachKeyPasses) {
  EXPECT_EQ(compare_reports(report(100, 50, 2, 3, 1.5), report(101, 50.9, 1.97, 3.05, 1.52), 2).exit_code, 0);
}

TEST(Compare, AChangeBeyondTheToleranceFailsAndNamesTheKey) {
  auto r = compare_reports(report(10, 50, 2, 3, 1.5), report(10, 50, 2, 3.2, 1.5), 2);
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.keys.size(), 5u);
  EXPECT_FALSE(r.keys[3].pass);
  EXPECT_EQ(r.keys[3].key, "max_drawdown_pct");
  EXPECT_TRUE(r.keys[0].pass);
  EXPECT_NE(render(r, 2).find("FAIL"), std::string::npos);
}

TEST(Compare, AZeroBaselineMustStayZero) {
  EXPECT_EQ(compare_reports(report(0, 0, 0, 0, 0), report(0, 0, 0, 0, 0), 50).exit_code, 0);
  EXPECT_EQ(compare_reports(report(0, 0, 0, 0, 0), report(1, 0, 0, 0, 0), 50).exit_code, 1);
}

TEST(Compare, WrongSchemaOrMissingKeyIsAnError) {
  auto bad = report(1, 1, 1, 1, 1);
  bad["schema"] = "other";
  EXPECT_EQ(compare_reports(bad, report(1, 1, 1, 1, 1), 2).exit_code, 2);
  auto missing = report(1, 1, 1, 1, 1);
  missing["regression"].erase("profit_factor");
  auto r = compare_reports(report(1, 1, 1, 1, 1), missing, 2);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.error.find("profit_factor"), std::string::npos);
  EXPECT_EQ(compare_files("/nonexistent/a.json", "/nonexistent/b.json", 2).exit_code, 2);
}

TEST(Compare, ToleranceParsesPercentages) {
  EXPECT_DOUBLE_EQ(parse_tolerance("2%"), 2.0);
  EXPECT_DOUBLE_EQ(parse_tolerance("0.5 %"), 0.5);
  EXPECT_DOUBLE_EQ(parse_tolerance("3"), 3.0);
  EXPECT_LT(parse_tolerance("-1%"), 0);
  EXPECT_LT(parse_tolerance("two"), 0);
  EXPECT_LT(parse_tolerance(""), 0);
}

} // namespace
