// core::registry: a send to a name with no registered instance is dropped, never silently
// (issue 11 item 3): counted per name, logged once per absence, and for names that carry
// safety messages a registry_drop alert at alerting, resolved when the name is back.
// Deterministic scheduler: the alert is checked in the fake alerting actor's inbox.

#include "messages/ops.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"

#include <caf/all.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace trader;

namespace {

struct inbox {
  std::vector<alert> alerts;
  int others = 0;
};

caf::behavior collector(caf::event_based_actor*, std::shared_ptr<inbox> box) {
  return {
    [box](const alert& a) { box->alerts.push_back(a); },
    [box](const std::string&) { ++box->others; },
  };
}

/// An actor that forwards a text to a registry name with registry::send (the actors' path).
caf::behavior sender(caf::event_based_actor* self, core::registry* reg) {
  return {[self, reg](const std::string& to, const std::string& text) { reg->send(self, to, text); }};
}

class RegistryDrops : public test::actor_fixture {
protected:
  RegistryDrops() {
    sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    sink_->set_pattern("%l %v");
    logger_ = std::make_shared<spdlog::logger>("registry_test", sink_);
    previous_ = spdlog::default_logger();
    spdlog::set_default_logger(logger_);
    alerting_ = keep(sys().spawn(collector, box_));
    reg_.put(names::alerting, alerting_);
    sender_ = keep(sys().spawn(sender, &reg_));
  }
  ~RegistryDrops() override { spdlog::set_default_logger(previous_); }

  /// Sends text to name from an actor, and runs the scheduler.
  void send_to(const std::string& name, const std::string& text = "hello") {
    caf::anon_send(sender_, name, text);
    run();
  }
  /// How many log lines contain what.
  int logged(const std::string& what) const {
    std::istringstream lines{log_.str()};
    int n = 0;
    for (std::string line; std::getline(lines, line);)
      n += line.find(what) != std::string::npos;
    return n;
  }

  std::ostringstream log_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<inbox> box_ = std::make_shared<inbox>();
  caf::actor alerting_;
  caf::actor sender_;
};

TEST_F(RegistryDrops, CountsEverySendToAnAbsentNamePerName) {
  send_to(names::universe);
  send_to(names::universe);
  send_to(names::risk);
  EXPECT_EQ(reg_.dropped(names::universe), 2u);
  EXPECT_EQ(reg_.dropped(names::risk), 1u);
  EXPECT_EQ(reg_.dropped(), 3u);
  auto counts = reg_.drop_counts();
  EXPECT_EQ(counts.at(names::universe), 2u);
  EXPECT_EQ(counts.at(names::risk), 1u);
  EXPECT_EQ(reg_.dropped(names::alerting), 0u);  // registered: delivered, not dropped
}

TEST_F(RegistryDrops, DeliversToARegisteredNameWithoutCounting) {
  auto box = std::make_shared<inbox>();
  reg_.put(names::universe, keep(sys().spawn(collector, box)));
  send_to(names::universe);
  EXPECT_EQ(box->others, 1);
  EXPECT_EQ(reg_.dropped(), 0u);
  EXPECT_EQ(log_.str(), "");
}

TEST_F(RegistryDrops, LogsTheFirstDropOfAnAbsenceOnlyAtWarningForOrdinaryNames) {
  send_to(names::universe);
  send_to(names::universe);
  send_to(names::universe);
  EXPECT_EQ(logged("no actor registered as universe"), 1) << log_.str();
  EXPECT_EQ(logged("warning registry: no actor registered as universe"), 1) << log_.str();
  EXPECT_TRUE(box_->alerts.empty());  // universe carries no safety messages
}

TEST_F(RegistryDrops, DropToASafetyNameRaisesOneCriticalRegistryDropAlert) {
  send_to(names::risk);
  send_to(names::risk);
  ASSERT_EQ(box_->alerts.size(), 1u);
  auto& a = box_->alerts.front();
  EXPECT_EQ(a.type, "registry_drop");
  EXPECT_EQ(a.level, severity::critical);
  EXPECT_EQ(a.fingerprint, "registry_drop:risk");
  EXPECT_FALSE(a.resolved);
  EXPECT_NE(a.title.find("risk"), std::string::npos);
  EXPECT_EQ(logged("error registry: no actor registered as risk"), 1) << log_.str();
}

TEST_F(RegistryDrops, EverySafetyNameRaisesItsOwnAlert) {
  for (auto* n : {names::risk, names::order_lifecycle, names::state})
    send_to(n);
  ASSERT_EQ(box_->alerts.size(), 3u);
  EXPECT_EQ(box_->alerts[0].fingerprint, "registry_drop:risk");
  EXPECT_EQ(box_->alerts[1].fingerprint, "registry_drop:order_lifecycle");
  EXPECT_EQ(box_->alerts[2].fingerprint, "registry_drop:state");
}

TEST_F(RegistryDrops, RegisteringTheNameAgainResolvesTheAlertAndRearmsTheLog) {
  send_to(names::risk);
  auto risk_box = std::make_shared<inbox>();
  auto risk = keep(sys().spawn(collector, risk_box));
  reg_.put(names::risk, risk);
  run();
  ASSERT_EQ(box_->alerts.size(), 2u);
  EXPECT_TRUE(box_->alerts[1].resolved);
  EXPECT_EQ(box_->alerts[1].fingerprint, "registry_drop:risk");
  send_to(names::risk);
  EXPECT_EQ(risk_box->others, 1);
  // Dies again: the next absence logs and alerts again.
  reg_.erase_if(names::risk, risk.address());
  send_to(names::risk);
  EXPECT_EQ(logged("no actor registered as risk"), 2) << log_.str();
  ASSERT_EQ(box_->alerts.size(), 3u);
  EXPECT_FALSE(box_->alerts[2].resolved);
  EXPECT_EQ(reg_.dropped(names::risk), 2u);
}

TEST_F(RegistryDrops, AbsentAlertingIsLoggedAtErrorLevelNotAlerted) {
  reg_.erase_if(names::alerting, alerting_.address());
  send_to(names::alerting);
  send_to(names::alerting);
  EXPECT_EQ(reg_.dropped(names::alerting), 2u);
  EXPECT_EQ(logged("error registry: alerting is absent"), 1) << log_.str();
  EXPECT_TRUE(box_->alerts.empty());
}

TEST_F(RegistryDrops, SafetyDropWhileAlertingIsAbsentTooIsLoggedAtErrorLevel) {
  reg_.erase_if(names::alerting, alerting_.address());
  send_to(names::state);
  EXPECT_EQ(logged("error registry: messages to state are dropped and alerting is absent too"), 1) << log_.str();
  EXPECT_TRUE(box_->alerts.empty());
}

TEST_F(RegistryDrops, DropsWhileAlertsAreOffAreCountedAndLoggedButNotAlerted) {
  reg_.set_drop_alerts(false);  // what traderd does while the tree starts and stops
  send_to(names::risk);
  EXPECT_EQ(reg_.dropped(names::risk), 1u);
  EXPECT_EQ(logged("no actor registered as risk"), 1);
  EXPECT_TRUE(box_->alerts.empty());
  reg_.set_drop_alerts(true);
  send_to(names::risk);  // same absence, alerts back on: raised now
  ASSERT_EQ(box_->alerts.size(), 1u);
  EXPECT_EQ(logged("no actor registered as risk"), 1);
}

TEST_F(RegistryDrops, AnonSendFromOutsideAnyActorIsCountedLikeSend) {
  EXPECT_FALSE(reg_.anon_send(names::risk, std::string{"halt"}));
  run();
  EXPECT_EQ(reg_.dropped(names::risk), 1u);
  EXPECT_EQ(box_->alerts.size(), 1u);
  auto box = std::make_shared<inbox>();
  reg_.put(names::universe, keep(sys().spawn(collector, box)));
  EXPECT_TRUE(reg_.anon_send(names::universe, std::string{"tick"}));
  run();
  EXPECT_EQ(box->others, 1);
}

TEST_F(RegistryDrops, RequestToAnAbsentNameFailsAtOnceAndIsNotADrop) {
  bool failed = false;
  keep(sys().spawn([&](caf::event_based_actor* self) -> caf::behavior {
    reg_.request(self, names::risk, std::chrono::seconds(1), std::string{"q"})
      .then([](const std::string&) {}, [&](caf::error&) { failed = true; });
    return {[](int) {}};
  }));
  run();
  EXPECT_TRUE(failed);
  EXPECT_EQ(reg_.dropped(), 0u);
}

// absent(): the name had no instance (ask again soon), not an instance's own error answer.
TEST_F(RegistryDrops, AbsentTellsAMissingInstanceFromAnErrorAnswer) {
  std::optional<caf::error> missing, answered;
  reg_.put(names::products, keep(sys().spawn([]() -> caf::behavior {
    return {[](const std::string&) -> caf::result<std::string> { return caf::make_error(caf::sec::unexpected_message); }};
  })));
  keep(sys().spawn([&](caf::event_based_actor* self) -> caf::behavior {
    reg_.request(self, names::risk, std::chrono::seconds(1), std::string{"q"})
      .then([](const std::string&) {}, [&](caf::error& e) { missing = e; });
    reg_.request(self, names::products, std::chrono::seconds(1), std::string{"q"})
      .then([](const std::string&) {}, [&](caf::error& e) { answered = e; });
    return {[](int) {}};
  }));
  run();
  ASSERT_TRUE(missing && answered);
  EXPECT_TRUE(core::registry::absent(*missing)) << to_string(*missing);
  EXPECT_FALSE(core::registry::absent(*answered)) << to_string(*answered);
}

} // namespace

namespace {

caf::behavior recorder(caf::event_based_actor*, std::shared_ptr<std::vector<std::string>> got) {
  return {[got](const std::string& s) { got->push_back(s); }};
}

} // namespace

// A held name (audit at traderd's start): what is sent while it is absent waits, up to the
// limit, and reaches the next instance first and in order; beyond the limit it is a drop.
TEST_F(RegistryDrops, AHeldNameKeepsWhatIsSentWhileAbsentAndDeliversItInOrderToTheNextInstance) {
  reg_.hold_while_absent(names::audit, 3);
  send_to(names::audit, "a");
  send_to(names::audit, "b");
  EXPECT_TRUE(reg_.anon_send(names::audit, std::string{"c"}));
  EXPECT_EQ(reg_.held(names::audit), 3u);
  EXPECT_EQ(reg_.dropped(names::audit), 0u);
  send_to(names::audit, "d");  // over the limit
  EXPECT_EQ(reg_.dropped(names::audit), 1u);
  auto got = std::make_shared<std::vector<std::string>>();
  reg_.put(names::audit, keep(sys().spawn(recorder, got)));
  EXPECT_EQ(reg_.held(names::audit), 0u);
  send_to(names::audit, "e");
  EXPECT_EQ(*got, (std::vector<std::string>{"a", "b", "c", "e"}));
  EXPECT_EQ(logged("3 message(s) held for it delivered"), 1);
}

// Across a restart: the dead instance's name is erased, sends wait for the new one.
TEST_F(RegistryDrops, AHeldNamesMessagesWaitForItsRestartedInstance) {
  reg_.hold_while_absent(names::audit, 100);
  auto first = std::make_shared<std::vector<std::string>>();
  auto a1 = keep(sys().spawn(recorder, first));
  reg_.put(names::audit, a1);
  send_to(names::audit, "before");
  reg_.erase_if(names::audit, a1.address());
  send_to(names::audit, "between");
  auto second = std::make_shared<std::vector<std::string>>();
  reg_.put(names::audit, keep(sys().spawn(recorder, second)));
  run();
  EXPECT_EQ(*first, (std::vector<std::string>{"before"}));
  EXPECT_EQ(*second, (std::vector<std::string>{"between"}));
  EXPECT_EQ(reg_.dropped(), 0u);
}
