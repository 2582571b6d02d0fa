#include "actors/exchange/common/ws_shell.hpp"

#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"

#include <prometheus/registry.h>

namespace trader::exchange {

// -- ws_link -------------------------------------------------------------------------

void ws_link::start(caf::actor self, std::shared_ptr<feed::frame_injector> injector, feed::ws_reader_options ro,
                    feed::ws_reader_hooks hooks, const time_source& clock) {
  self_ = std::move(self);
  injector_ = std::move(injector);
  if (injector_) {
    injector_->push = std::move(hooks.on_frame);
    if (hooks.on_connected)
      hooks.on_connected(clock.wall_now());
  } else if (!ro.url.empty()) {
    reader_ = std::make_unique<feed::ws_reader>(std::move(ro), std::move(hooks), clock);
    reader_->start();
  }
}

void ws_link::stop() {
  if (reader_)
    reader_->stop();  // joins the reader thread
  self_ = nullptr;
}

void ws_link::send(std::string_view text) {
  if (reader_)
    reader_->send(text);
  else if (injector_ && injector_->sent)
    injector_->sent(text);
}

void ws_link::post(std::string text) {
  if (reader_)
    reader_->post(std::move(text));
  else if (injector_ && injector_->sent)
    injector_->sent(text);
}

void ws_link::reconnect(std::string why) {
  if (reader_)
    reader_->reconnect(std::move(why));
  else if (injector_ && injector_->reconnect)
    injector_->reconnect(why);
}

// -- gap_pager -----------------------------------------------------------------------

gap_pager::gap_pager(std::string source, std::string unresolved, std::chrono::seconds after)
  : source_(std::move(source)),
    unresolved_(std::move(unresolved)),
    after_(after),
    latch_(std::chrono::nanoseconds(after).count()) {}

void gap_pager::set(caf::event_based_actor* self, core::registry& reg, bool active, const std::string& detail,
                    ts_ns now) {
  auto act = latch_.set(active, now);
  if (active)
    self->delayed_send(self, after_, gap_alert_atom::value, latch_.generation());
  if (act.resolve)
    reg.send(self, names::alerting, feed::sequence_gap_alert(source_, detail, true, now));
}

void gap_pager::check(caf::event_based_actor* self, core::registry& reg, std::uint64_t generation, ts_ns now) {
  if (latch_.check(generation, now).fire)
    reg.send(self, names::alerting, feed::sequence_gap_alert(source_, unresolved_, false, now));
}

// -- metrics -------------------------------------------------------------------------

prometheus::Registry& metrics_or_unexported(prometheus::Registry* r) {
  static prometheus::Registry unexported;  // metrics of an actor nobody exports
  return r ? *r : unexported;
}

} // namespace trader::exchange
