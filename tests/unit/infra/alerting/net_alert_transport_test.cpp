// Verifies the runtime/net transport for alert sinks: delivery with retries to a loopback
// receiver, and plaintext to a non-loopback host refused without connecting.

#include "actors/infra/alerting/delivery_worker.hpp"
#include "actors/infra/alerting/net_alert_transport.hpp"
#include "webhook_receiver.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace trader;
using namespace trader::alerting;
using namespace std::chrono_literals;

namespace {

sink_config json_sink(std::string url) {
  sink_config s;
  s.name = "json";
  s.kind = sink_kind::generic_json;
  s.url = std::move(url);
  return s;
}

notification note() {
  notification n;
  n.sink = "json";
  n.a.type = "clock_skew";
  n.a.level = severity::critical;
  n.a.fingerprint = "clock_skew:clock";
  return n;
}

int drain(alert_dispatcher& d, manual_time_source& clock) {
  int attempts = 0;
  for (int guard = 0; guard < 50; ++guard) {
    attempts += static_cast<int>(d.pump(2s));
    auto next = d.queue().next_due();
    if (!next)
      break;
    clock.advance(std::max<std::int64_t>(*next - clock.mono_now(), 0));
  }
  return attempts;
}

} // namespace

TEST(NetAlertTransport, DeliversToALoopbackReceiverThroughRetries) {
  test_support::webhook_receiver rx({500, 502, 503});
  net_alert_transport net;
  manual_time_source clock;
  alert_dispatcher d({json_sink(rx.url() + "/hook")}, {}, net, clock);
  d.submit({note()});
  EXPECT_EQ(drain(d, clock), 4);
  auto got = rx.requests();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[3].target, "/hook");
  EXPECT_EQ(nlohmann::json::parse(got[3].body)["fingerprint"], "clock_skew:clock");
  EXPECT_EQ(d.queue().stats().delivered, 1);
}

TEST(NetAlertTransport, PlaintextToARemoteHostIsAConfigurationError) {
  net_alert_transport net;
  manual_time_source clock;
  alert_dispatcher d({json_sink("http://192.0.2.1/hook")}, {}, net, clock);
  d.submit({note()});
  EXPECT_EQ(drain(d, clock), 1);
  EXPECT_EQ(d.queue().stats().dead_letters, 1);
}
