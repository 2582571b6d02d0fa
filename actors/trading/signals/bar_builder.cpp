#include "actors/trading/signals/bar_builder.hpp"

#include <algorithm>

namespace trader::signals {

bar_builder::bar_builder(granularity g, builder_options o) : gran_(g), opt_(o) {}

void bar_builder::start_at(ts_ns t) {
  started_ = true;
  since_ = t;
  cur_start_ = bucket_start(t, gran_);
  cur_has_ = false;
  cur_partial_ = t > cur_start_;
  next_sub_ = cur_start_;
  last_close_.reset();
  empty_run_ = 0;
}

void bar_builder::reset(ts_ns now) { start_at(now); }

void bar_builder::finish_current() {
  if (cur_has_) {
    if (cur_partial_) {
      drops_.add(drop_reason::partial_bucket);
    } else {
      ready_.push_back(cur_);
      empty_run_ = 0;
    }
    last_close_ = cur_.close;  // a partial bucket's close is still the market's last price
  } else if (!cur_partial_ && opt_.fill_empty && last_close_ && empty_run_ < opt_.max_empty_fill) {
    const price c = *last_close_;
    ready_.push_back(bar{cur_start_, c, c, c, c, size{}});
    ++empty_run_;
  } else if (!cur_partial_ && last_close_) {
    // Silence past max_empty_fill: leave a gap, and fill no more until input returns.
    last_close_.reset();
  }
  cur_start_ += length_ns(gran_);
  next_sub_ = cur_start_;
  cur_has_ = false;
  cur_partial_ = false;
}

void bar_builder::roll_to(ts_ns bucket) {
  while (cur_start_ < bucket) {
    if (!cur_has_ && !last_close_) {
      cur_start_ = bucket;  // nothing to fill: jump
      next_sub_ = bucket;
      cur_partial_ = false;
      break;
    }
    finish_current();
  }
}

void bar_builder::fold(const bar& b) {
  if (!cur_has_) {
    cur_ = bar{cur_start_, b.open, b.high, b.low, b.close, b.volume};
    cur_has_ = true;
    return;
  }
  cur_.high = std::max(cur_.high, b.high);
  cur_.low = std::min(cur_.low, b.low);
  cur_.close = b.close;
  cur_.volume += b.volume;
}

std::optional<drop_reason> bar_builder::add_trade(price px, size qty, ts_ns t) {
  if (px.units <= 0) {
    drops_.add(drop_reason::non_positive_price);
    return drop_reason::non_positive_price;
  }
  if (qty.is_negative()) {
    drops_.add(drop_reason::negative_volume);
    return drop_reason::negative_volume;
  }
  if (!started_)
    start_at(t);
  const ts_ns b = bucket_start(t, gran_);
  if (b < cur_start_) {
    drops_.add(drop_reason::late_trade);
    return drop_reason::late_trade;
  }
  roll_to(b);
  fold(bar{b, px, px, px, px, qty});
  return std::nullopt;
}

std::optional<drop_reason> bar_builder::add_bar(const bar& sub, granularity from) {
  if (auto bad = check_bar(sub, from)) {
    drops_.add(*bad);
    return bad;
  }
  if (!started_)
    start_at(sub.start);
  const ts_ns b = bucket_start(sub.start, gran_);
  if (b < cur_start_ || (b == cur_start_ && sub.start < next_sub_)) {
    const auto why = b < cur_start_ ? drop_reason::late_trade : drop_reason::out_of_order_bucket;
    drops_.add(why);
    return why;
  }
  roll_to(b);
  // With filled empty buckets the smaller series is continuous: a hole is lost data.
  if (opt_.fill_empty && sub.start != next_sub_)
    cur_partial_ = true;
  next_sub_ = sub.start + length_ns(from);
  fold(sub);
  return std::nullopt;
}

std::size_t bar_builder::close_until(ts_ns now, std::vector<bar>& out) {
  if (started_) {
    while (bucket_end(cur_start_, gran_) <= now) {
      if (!cur_has_ && !last_close_) {
        const ts_ns b = bucket_start(now, gran_);
        cur_start_ = std::max(cur_start_, b);
        next_sub_ = cur_start_;
        cur_partial_ = false;
        break;
      }
      finish_current();
    }
  }
  std::size_t n = 0;
  auto it = ready_.begin();
  for (; it != ready_.end() && bucket_end(it->start, gran_) <= now; ++it, ++n)
    out.push_back(*it);
  ready_.erase(ready_.begin(), it);
  return n;
}

std::optional<bar> bar_builder::forming() const {
  if (!cur_has_)
    return std::nullopt;
  return cur_;
}

} // namespace trader::signals
