// The audit actor's fail-closed logic without CAF (review row #15): every failed append
// closes the gate with audit_unavailable, the CRITICAL alert goes out once per outage and
// is resolved by the next good append; the counters follow the log.

#include "actors/infra/audit/audit_health.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

using namespace trader;
using namespace trader::audit;

namespace {

persistence::result<std::uint64_t> failed() {
  return persistence::make_error(persistence::store_errc::write_failed, "write audit-2026-11-21: No space left on device",
                                 "audit");
}

} // namespace

TEST(AuditHealth, AFailedAppendClosesTheGateAndPagesOncePerOutage) {
  audit_health h;
  auto ok = h.on_append(persistence::result<std::uint64_t>{std::uint64_t{1}});
  EXPECT_FALSE(ok.raise_gate || ok.alert || ok.resolve_alert);

  auto first = h.on_append(failed());
  EXPECT_TRUE(first.raise_gate);
  EXPECT_TRUE(first.alert);
  EXPECT_NE(first.detail.find("No space left"), std::string::npos) << first.detail;
  EXPECT_TRUE(h.failing());
  auto second = h.on_append(failed());
  EXPECT_TRUE(second.raise_gate);  // re-raised every time: an operator resume cannot hide it
  EXPECT_FALSE(second.alert);      // one page per outage

  auto back = h.on_append(persistence::result<std::uint64_t>{std::uint64_t{2}});
  EXPECT_FALSE(back.raise_gate);  // sticky reason: the operator resumes after checking the log
  EXPECT_TRUE(back.resolve_alert);
  EXPECT_FALSE(h.failing());
  EXPECT_TRUE(h.on_append(failed()).alert);  // a new outage pages again
}

TEST(AuditHealth, MetricsFollowTheLogsCounters) {
  prometheus::Registry reg;
  audit_metrics m{metrics::actor_metrics(reg, "audit")};
  m.update(persistence::audit_stats{3, 0, 3}, true);
  m.update(persistence::audit_stats{5, 1, 5}, false);
  EXPECT_EQ(m.appended.Value(), 5);
  EXPECT_EQ(m.failed.Value(), 1);
  EXPECT_EQ(m.last_seq.Value(), 5);
  EXPECT_EQ(m.healthy.Value(), 0);
}
