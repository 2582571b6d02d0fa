#pragma once
// The user stream's way back after updates may have been missed — the connection dropped
// after it had delivered, a sequence gap, an unparseable message: the fills since the loss
// (minus a margin) and the open orders are re-read over REST, once the stream is subscribed
// again (so nothing falls between the two), and the user_stream_gap gate reason stays raised
// until both answers came back fine. A re-read that fails — an error, or no answer within the
// request timeout — is retried after a full-jitter backoff (exchange::backoff); a newer loss
// or a disconnect starts over, and answers of an older re-read are ignored. No CAF, no clock.

#include "actors/exchange/coinbase/backoff.hpp"
#include "actors/exchange/feed/feed_options.hpp"
#include "messages/time.hpp"

#include <chrono>
#include <cstdint>
#include <optional>

namespace trader::feed {

class stream_recovery {
public:
  /// How far back a re-read reaches, and how a failed one is retried.
  struct options {
    std::int64_t margin_ns = 60'000'000'000;  ///< re-read from this long before the loss
    exchange::retry_policy backoff{1 << 30, std::chrono::milliseconds{1000}, std::chrono::milliseconds{30000}};
  };
  /// One re-read to send: both its requests answer through answered(gen, ok).
  struct reread {
    std::uint64_t gen = 0;
    ts_ns fills_since = 0;  ///< get_fills{since}
    int attempt = 0;        ///< 0 for the first try after a loss
  };
  /// What an answer led to.
  struct outcome {
    enum kind_t { ignored, waiting, recovered, retry } kind = ignored;
    std::chrono::milliseconds delay{0};  ///< retry: call retry(gen) after this long
    std::uint64_t gen = 0;
  };

  /// The margin and retry backoff of the user stream's settings.
  static options options_of(const user_stream_options& o);

  explicit stream_recovery(options o, exchange::backoff::uniform_fn uniform = {});

  /// The stream is subscribed (again): the re-read to send now if updates may have been missed.
  std::optional<reread> connected();
  /// The connection dropped at `at`; updates may be missed from then on if it had delivered.
  void disconnected(ts_ns at);
  /// Updates were missed at `at` (gap, unparseable message): the re-read to send now.
  std::optional<reread> gap(ts_ns at);
  /// One of the two answers of re-read gen.
  outcome answered(std::uint64_t gen, bool ok);
  /// The retry time of gen has come: the re-read to send now, if still owed.
  std::optional<reread> retry(std::uint64_t gen);

  /// True while updates may be missing (the gate reason stays raised).
  bool pending() const { return lost_since_ != 0; }
  ts_ns lost_since() const { return lost_since_; }
  bool ever_connected() const { return ever_connected_; }
  /// Re-reads started since the loss (1 = the first try).
  int attempts() const { return attempt_; }

private:
  void lost(ts_ns since);
  reread start();

  options opts_;
  exchange::backoff backoff_;
  bool connected_ = false;
  bool ever_connected_ = false;
  ts_ns lost_since_ = 0;   ///< earliest moment updates may have been missed; 0 = none
  std::uint64_t gen_ = 0;  ///< the current re-read (or retry timer)
  int left_ = 0;           ///< answers still due in the current re-read
  bool ok_ = true;         ///< so far every answer of it was fine
  int attempt_ = 0;
};

} // namespace trader::feed
