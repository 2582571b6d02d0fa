// Verifies the metric naming conventions.

#include "runtime/metrics/metric_names.hpp"

#include <gtest/gtest.h>

using namespace trader::metrics;

TEST(MetricNames, AcceptsConventionalNames) {
  EXPECT_EQ(naming_problem("trader_orders_api_errors_total", metric_kind::counter), "");
  EXPECT_EQ(naming_problem("trader_latency_request_duration_seconds", metric_kind::histogram), "");
  EXPECT_EQ(naming_problem("trader_state_store_size_bytes", metric_kind::gauge), "");
  EXPECT_EQ(naming_problem("trader_build_info", metric_kind::info), "");
}

TEST(MetricNames, CountersEndInTotalAndOnlyCounters) {
  EXPECT_NE(naming_problem("trader_orders_api_errors", metric_kind::counter), "");
  EXPECT_NE(naming_problem("trader_orders_open_total", metric_kind::gauge), "");
}

TEST(MetricNames, RefusesNonBaseUnits) {
  EXPECT_NE(naming_problem("trader_latency_request_ms", metric_kind::histogram), "");
  EXPECT_NE(naming_problem("trader_cycle_overrun_milliseconds_total", metric_kind::counter), "");
}

TEST(MetricNames, RefusesMalformedNames) {
  EXPECT_NE(naming_problem("orders_total", metric_kind::counter), "");
  EXPECT_NE(naming_problem("trader_Orders_total", metric_kind::counter), "");
  EXPECT_NE(naming_problem("trader__x_total", metric_kind::counter), "");
  EXPECT_NE(naming_problem("trader_x-y_total", metric_kind::counter), "");
  EXPECT_FALSE(valid_label_name("__name"));
  EXPECT_TRUE(valid_label_name("endpoint"));
}
