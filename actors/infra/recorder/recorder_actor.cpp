#include "actors/infra/recorder/recorder_actor.hpp"

#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/metrics/actor_metrics.hpp"

#include <caf/all.hpp>
#include <prometheus/counter.h>
#include <spdlog/spdlog.h>

namespace trader::recorder {

namespace {

using rec_tick_atom = caf::atom_constant<caf::atom("rec_tick")>;  ///< internal: the subscription timer

struct recorder_stats {
  explicit recorder_stats(const metrics::actor_metrics& m)
    : trades(m.counter("trades_total", "Public trades written to the market recording.")),
      bytes(m.counter("bytes_total", "Bytes written to the market recording.")),
      errors(m.counter("write_errors_total", "Recording lines that could not be written.")) {}
  prometheus::Counter& trades;
  prometheus::Counter& bytes;
  prometheus::Counter& errors;
};

struct recorder_state {
  std::unique_ptr<market_recorder> rec;
  caf::actor feed;  ///< The market_data we are subscribed to.
  bool asking = false;
  std::unique_ptr<recorder_stats> stats;
  recorder_counts reported;
  static inline const char* name = names::recorder;
};

using self_ptr = caf::stateful_actor<recorder_state>*;

void subscribe(self_ptr self, core::registry& reg) {
  auto md = reg.get(names::market_data);
  auto& st = self->state;
  if (!md || md == st.feed || st.asking)
    return;
  st.asking = true;
  self->request(md, std::chrono::seconds(30), subscribe_feed{{"market_trades"}})
    .then(
      [self, md](const subscribed&) {
        self->state.asking = false;
        self->state.feed = md;
        spdlog::info("recorder: recording market trades to {}", self->state.rec->current_file().empty()
                                                                    ? std::string{"(first trade pending)"}
                                                                    : self->state.rec->current_file());
      },
      [self](caf::error& e) {
        self->state.asking = false;
        spdlog::debug("recorder: subscribing to market_data failed: {}", to_string(e));
      });
}

void report(self_ptr self) {
  auto& st = self->state;
  if (!st.stats)
    return;
  const auto& c = st.rec->counts();
  st.stats->trades.Increment(static_cast<double>(c.trades - st.reported.trades));
  st.stats->bytes.Increment(static_cast<double>(c.bytes - st.reported.bytes));
  st.stats->errors.Increment(static_cast<double>(c.write_errors - st.reported.write_errors));
  st.reported = c;
}

caf::behavior recorder_impl(self_ptr self, core::registry* reg, const recorder_options& o,
                            prometheus::Registry* metrics) {
  auto& st = self->state;
  st.rec = std::make_unique<market_recorder>(o);
  if (metrics)
    st.stats = std::make_unique<recorder_stats>(metrics::actor_metrics(*metrics, names::recorder));
  self->send(self, rec_tick_atom::value);
  // The writer flushes and closes its file when the state goes (stop or failure).
  return {
    [=](rec_tick_atom) {
      subscribe(self, *reg);
      self->state.rec->flush();
      report(self);
      self->delayed_send(self, std::chrono::seconds(5), rec_tick_atom::value);
    },
    [=](const market_trade& t) { self->state.rec->on_trade(t); },
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_recorder(caf::actor_system& sys, core::registry& reg, recorder_options o,
                          prometheus::Registry* metrics) {
  return sys.spawn(recorder_impl, &reg, std::move(o), metrics);
}

} // namespace trader::recorder
