#pragma once
// What the user_stream reader thread tells its actor (local messages only).

#include "messages/time.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>

namespace trader::user_stream {

/// A fact from the reader thread.
struct stream_event {
  enum kind_t : std::uint8_t {
    connected,     ///< socket up, user channel subscribed (with a fresh JWT)
    disconnected,  ///< socket lost: updates may have been missed since `ts`
    gap,           ///< sequence gap or unparseable message: updates were missed
    rejected,      ///< the exchange refused the subscription (e.g. authentication failure)
  };
  kind_t kind = connected;
  std::string detail;
  ts_ns ts = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stream_event& x) {
  return f(caf::meta::type_name("stream_event"), x.kind, x.detail, x.ts);
}

} // namespace trader::user_stream
