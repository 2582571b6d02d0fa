#include "actors/trading/order_lifecycle/ledger_codec.hpp"

#include <cstdint>
#include <cstring>

namespace trader::order_lifecycle {

namespace codec_detail {

class writer {
public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(std::uint16_t v) { le(v, 2); }
  void u32(std::uint32_t v) { le(v, 4); }
  void i64(std::int64_t v) { le(static_cast<std::uint64_t>(v), 8); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void pos(const position& p) {
    i64(p.qty.units);
    i64(p.cost.units);
    i64(p.entry_fees.units);
    i64(p.realized.units);
    i64(p.fees.units);
    i64(p.updated_at);
  }
  std::string take() { return std::move(out_); }

private:
  void le(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i)
      out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  std::string out_;
};

class reader {
public:
  explicit reader(std::string_view in) : in_(in) {}
  bool u8(std::uint8_t& v) {
    std::uint64_t x = 0;
    if (!le(x, 1))
      return false;
    v = static_cast<std::uint8_t>(x);
    return true;
  }
  bool u16(std::uint16_t& v) {
    std::uint64_t x = 0;
    if (!le(x, 2))
      return false;
    v = static_cast<std::uint16_t>(x);
    return true;
  }
  bool u32(std::uint32_t& v) {
    std::uint64_t x = 0;
    if (!le(x, 4))
      return false;
    v = static_cast<std::uint32_t>(x);
    return true;
  }
  bool i64(std::int64_t& v) {
    std::uint64_t x = 0;
    if (!le(x, 8))
      return false;
    v = static_cast<std::int64_t>(x);
    return true;
  }
  bool str(std::string& s) {
    std::uint32_t n = 0;
    if (!u32(n) || n > in_.size() - pos_)
      return fail("truncated string");
    s.assign(in_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool pos(position& p) {
    return i64(p.qty.units) && i64(p.cost.units) && i64(p.entry_fees.units) && i64(p.realized.units) &&
           i64(p.fees.units) && i64(p.updated_at);
  }
  /// Reads a count and checks that at least count × min_bytes remain (no huge allocations).
  bool count(std::uint32_t& n, std::size_t min_bytes) {
    if (!u32(n))
      return false;
    if (static_cast<std::size_t>(n) * min_bytes > in_.size() - pos_)
      return fail("count past the end");
    return true;
  }
  bool fail(std::string why) {
    if (why_.empty())
      why_ = std::move(why);
    return false;
  }
  bool done() const { return pos_ == in_.size(); }
  const std::string& why() const { return why_; }

private:
  bool le(std::uint64_t& v, int n) {
    if (in_.size() - pos_ < static_cast<std::size_t>(n))
      return fail("truncated");
    v = 0;
    for (int i = 0; i < n; ++i)
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += n;
    return true;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  std::string why_;
};

/// True when replaying b cannot overflow: every running sum of the replay is bounded by the
/// sum of the magnitudes of the checkpoint and of each fill's size, value and fee.
bool replay_in_range(const product_book& b) {
  auto mag = [](std::int64_t v) { return v < 0 ? -static_cast<__int128>(v) : static_cast<__int128>(v); };
  const auto& c = b.checkpoint;
  __int128 total = mag(c.qty.units) + mag(c.cost.units) + mag(c.entry_fees.units) + mag(c.realized.units) +
                   mag(c.fees.units);
  for (const auto& f : b.pending) {
    total += mag(f.delta.units) + mag(f.px.units) * mag(f.delta.units) / size::scale + 2 * mag(f.fee.units) +
             mag(f.realized.units);
    if (total >= (static_cast<__int128>(1) << 61))
      return false;
  }
  return total < (static_cast<__int128>(1) << 61);
}

} // namespace codec_detail

using codec_detail::reader;
using codec_detail::replay_in_range;
using codec_detail::writer;

void ledger_codec::write_summary(writer& w, const ledger& l) {
  w.i64(l.opts_.reorder_window_ns);
  w.u32(l.opts_.max_pending);
  w.u32(l.opts_.folded_trade_ids);
  w.i64(l.cash_.units);
  w.i64(l.hwm_.units);
  w.i64(l.hwm_at_);
  w.u8(l.hwm_set_ ? 1 : 0);
  w.u32(static_cast<std::uint32_t>(l.buckets_.size()));
  for (const auto& [key, b] : l.buckets_) {
    w.str(key);
    w.i64(b.realized.units);
    w.i64(b.fees.units);
    w.i64(b.fills);
  }
}

void ledger_codec::write_book(writer& w, const std::string& product, const product_book& b) {
  w.str(product);
  w.pos(b.checkpoint);
  w.i64(b.checkpoint_ts);
  w.u32(static_cast<std::uint32_t>(b.pending.size()));
  for (const auto& f : b.pending) {
    w.str(f.trade.value);
    w.str(f.order.value);
    w.i64(f.ts_event);
    w.i64(f.key_ts);
    w.i64(f.px.units);
    w.i64(f.delta.units);
    w.i64(f.fee.units);
    w.i64(f.realized.units);
  }
  w.u32(static_cast<std::uint32_t>(b.folded.size()));
  for (const auto& t : b.folded)
    w.str(t.value);
}

std::optional<ledger> ledger_codec::read_summary(reader& r) {
  ledger_options opts;
  if (!r.i64(opts.reorder_window_ns) || !r.u32(opts.max_pending) || !r.u32(opts.folded_trade_ids))
    return std::nullopt;
  if (opts.reorder_window_ns <= 0 || opts.max_pending == 0) {
    r.fail("options out of range");
    return std::nullopt;
  }
  ledger l{opts};
  std::uint8_t hwm_set = 0;
  if (!r.i64(l.cash_.units) || !r.i64(l.hwm_.units) || !r.i64(l.hwm_at_) || !r.u8(hwm_set))
    return std::nullopt;
  if (hwm_set > 1) {
    r.fail("bad boolean");
    return std::nullopt;
  }
  l.hwm_set_ = hwm_set == 1;
  std::uint32_t n = 0;
  if (!r.count(n, 28))
    return std::nullopt;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::string key;
    pnl_totals b;
    if (!r.str(key) || !r.i64(b.realized.units) || !r.i64(b.fees.units) || !r.i64(b.fills))
      return std::nullopt;
    l.buckets_[key] = b;
  }
  return l;
}

bool ledger_codec::read_book(reader& r, ledger& l) {
  std::string product;
  product_book b;
  std::uint32_t m = 0;
  if (!r.str(product) || !r.pos(b.checkpoint) || !r.i64(b.checkpoint_ts) || !r.count(m, 56))
    return false;
  if (product.empty())
    return r.fail("book without a product");
  if (b.checkpoint.qty.units == INT64_MIN)
    return r.fail("bad checkpoint in " + product);
  if (l.books_.count(product))
    return r.fail("product " + product + " twice");
  for (std::uint32_t j = 0; j < m; ++j) {
    booked_fill f;
    if (!r.str(f.trade.value) || !r.str(f.order.value) || !r.i64(f.ts_event) || !r.i64(f.key_ts) ||
        !r.i64(f.px.units) || !r.i64(f.delta.units) || !r.i64(f.fee.units) || !r.i64(f.realized.units))
      return false;
    if (f.trade.empty() || f.px.units <= 0 || f.delta.units == INT64_MIN)
      return r.fail("bad fill in " + product);
    l.seen_.insert(f.trade);
    b.pending.push_back(std::move(f));
  }
  if (!r.count(m, 4))
    return false;
  for (std::uint32_t j = 0; j < m; ++j) {
    trade_id t;
    if (!r.str(t.value))
      return false;
    l.seen_.insert(t);
    b.folded.push_back(std::move(t));
  }
  if (!replay_in_range(b))
    return r.fail("values out of range in " + product);
  // Rebuild current from the checkpoint; realized values are as stored, so buckets stay put.
  position p = b.checkpoint;
  for (const auto& f : b.pending)
    book_fill(p, f.delta, f.px, f.fee, f.ts_event);
  b.current = p;
  l.books_.emplace(std::move(product), std::move(b));
  return true;
}

std::string ledger_codec::encode(const ledger& l) {
  writer w;
  w.u16(version);
  write_summary(w, l);
  w.u32(static_cast<std::uint32_t>(l.books_.size()));
  for (const auto& [product, b] : l.books_)
    write_book(w, product, b);
  return w.take();
}

std::string ledger_codec::encode_summary(const ledger& l) {
  writer w;
  w.u16(version);
  write_summary(w, l);
  return w.take();
}

std::optional<std::string> ledger_codec::encode_book(const ledger& l, const product_id& p) {
  auto it = l.books_.find(p.value);
  if (it == l.books_.end())
    return std::nullopt;
  writer w;
  w.u16(version);
  write_book(w, it->first, it->second);
  return w.take();
}

namespace {

bool read_version(reader& r) {
  std::uint16_t v = 0;
  if (!r.u16(v))
    return false;
  if (v != ledger_codec::version)
    return r.fail("unknown ledger version " + std::to_string(v));
  return true;
}

std::optional<ledger> failed(const reader& r, std::string* why) {
  if (why)
    *why = r.why().empty() ? "truncated" : r.why();
  return std::nullopt;
}

} // namespace

std::optional<ledger> ledger_codec::decode(std::string_view bytes, std::string* why) {
  reader r{bytes};
  if (!read_version(r))
    return failed(r, why);
  auto l = read_summary(r);
  std::uint32_t n = 0;
  if (!l || !r.count(n, 64))
    return failed(r, why);
  for (std::uint32_t i = 0; i < n; ++i)
    if (!read_book(r, *l))
      return failed(r, why);
  if (!r.done()) {
    r.fail("trailing bytes");
    return failed(r, why);
  }
  return l;
}

std::optional<ledger> ledger_codec::decode(std::string_view summary, const std::vector<std::string_view>& books,
                                           std::string* why) {
  reader r{summary};
  if (!read_version(r))
    return failed(r, why);
  auto l = read_summary(r);
  if (!l)
    return failed(r, why);
  if (!r.done()) {
    r.fail("trailing bytes");
    return failed(r, why);
  }
  for (auto bytes : books) {
    reader br{bytes};
    if (!read_version(br) || !read_book(br, *l))
      return failed(br, why);
    if (!br.done()) {
      br.fail("trailing bytes");
      return failed(br, why);
    }
  }
  return l;
}

} // namespace trader::order_lifecycle
