#pragma once
// What the reader thread hands to the market_data actor (a local message): the feed's
// effects only the actor carries out — gate changes for risk, health and statuses for
// subscribers. Inspectable, so CAF can carry feed::feed_notice.

#include "actors/exchange/feed/market_feed.hpp"

#include <caf/meta/type_name.hpp>

namespace trader::feed {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gate_change& x) {
  return f(caf::meta::type_name("gate_change"), x.reason, x.active, x.detail);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, feed_notice& x) {
  return f(caf::meta::type_name("feed_notice"), x.gates, x.health, x.statuses);
}

} // namespace trader::feed
