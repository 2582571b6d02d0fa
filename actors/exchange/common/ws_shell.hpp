#pragma once
// The CAF shell the two WebSocket actors (market_data, user_stream) share:
//  - ws_link: where frames come from — a feed::ws_reader thread on the url, or, in benches
//    and tests, a feed::frame_injector — and the way back to the socket (send, post,
//    reconnect); tell() hands a fact from the reader thread to the actor; stop() ends the
//    reader (joined) when the actor exits;
//  - gap_pager: a sequence gap still unresolved after 30 s pages (alert sequence_gap), and
//    its end resolves the page (feed::alert_latch plus a delayed check-back);
//  - within_ws_budget: n permits of the rate limiter's WebSocket group (ws_connect: connects
//    and subscribe messages), then the step; without a limiter the step runs at once;
//  - metrics_or_unexported: the registry to count in when the daemon exports none.
// For actor TUs only (includes caf/all.hpp).

#include "actors/exchange/feed/alert_latch.hpp"
#include "actors/exchange/feed/feed_options.hpp"
#include "actors/exchange/feed/ws_reader.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace trader::exchange {

/// The reader-thread side of a WebSocket actor (see the top of this file).
class ws_link {
public:
  /// Starts the frames: with an injector, its push runs hooks.on_frame and the connection
  /// counts as up at once (hooks.on_connected runs now); otherwise, when ro.url is set, a
  /// ws_reader thread. `self` receives tell(); the link must outlive both.
  void start(caf::actor self, std::shared_ptr<feed::frame_injector> injector, feed::ws_reader_options ro,
             feed::ws_reader_hooks hooks, const time_source& clock);
  /// start() with the hooks of core: its subscribe_messages(), on_connected(at),
  /// on_frame(text, recv) and on_disconnected(why, at); o is the feed's options (url,
  /// backoff, injector), silence the longest quiet time before a reconnect.
  template <class Core, class FeedOptions>
  void start(caf::actor self, Core* core, const FeedOptions& o, std::chrono::milliseconds silence,
             const time_source& clock) {
    feed::ws_reader_hooks h;
    h.subscribe_messages = [core] { return core->subscribe_messages(); };
    h.on_connected = [core](ts_ns at) { core->on_connected(at); };
    h.on_frame = [core](std::string_view text, ts_ns recv) { core->on_frame(text, recv); };
    h.on_disconnected = [core](const std::string& why, ts_ns at) { core->on_disconnected(why, at); };
    start(std::move(self), o.injector, feed::ws_reader_options::of(o, silence), std::move(h), clock);
  }
  /// Ends the reader thread (joined) and forgets the actor. Call it from an attach_functor,
  /// so no reader outlives the actor or uses what it owned.
  void stop();

  /// Any thread: hands x to the actor (dropped once the actor exited).
  template <class T>
  void tell(T&& x) const {
    if (self_)
      caf::anon_send(self_, std::forward<T>(x));
  }
  /// Reader thread: writes text on the socket now.
  void send(std::string_view text);
  /// Any thread: the reader thread writes text within read_poll.
  void post(std::string text);
  /// Any thread: drop the connection and connect again (after the reader's backoff).
  void reconnect(std::string why);

private:
  caf::actor self_;
  std::shared_ptr<feed::frame_injector> injector_;
  std::unique_ptr<feed::ws_reader> reader_;
};

/// The check-back of gap_pager.
using gap_alert_atom = caf::atom_constant<caf::atom("ws_gapal")>;

/// Pages when a sequence gap stays unresolved `after`, resolves the page when it clears.
class gap_pager {
public:
  /// source: "market_data" / "user_stream"; unresolved: the detail of the page.
  gap_pager(std::string source, std::string unresolved, std::chrono::seconds after = std::chrono::seconds{30});

  /// The gap turned (in)active at now: arms the check-back, or resolves a page sent.
  void set(caf::event_based_actor* self, core::registry& reg, bool active, const std::string& detail, ts_ns now);
  /// The check-back for generation arrived at now: pages if the same gap is still open.
  void check(caf::event_based_actor* self, core::registry& reg, std::uint64_t generation, ts_ns now);

private:
  std::string source_;
  std::string unresolved_;
  std::chrono::seconds after_;
  feed::alert_latch latch_;
};

/// Runs go once the rate limiter granted n permits of the WebSocket budget (one per connect
/// or subscribe message), or refused(why) when it held one back (busy, timeout, limiter
/// gone). Without a registered limiter go runs at once. Data priority: held back above the
/// limiter's hold_at, so a recovery never crowds out orders.
template <class Go, class Refused>
void within_ws_budget(caf::event_based_actor* self, core::registry& reg, std::string endpoint, int n, Go go,
                      Refused refused) {
  if (n <= 0 || !reg.get(names::rate_limiter)) {
    go();
    return;
  }
  core::registry* rp = &reg;
  reg.request(self, names::rate_limiter, std::chrono::seconds{6},
              permit_request{endpoint_group::ws_connect, call_priority::data, endpoint, 5000})
    .then([=](const permit_grant&) { within_ws_budget(self, *rp, endpoint, n - 1, go, refused); },
          [=](caf::error& e) { refused(to_string(e)); });
}

/// r, or a process-wide registry nobody exports (actor tests, benches).
prometheus::Registry& metrics_or_unexported(prometheus::Registry* r);

} // namespace trader::exchange
