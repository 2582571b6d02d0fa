#include "actors/exchange/feed/ws_reader.hpp"

#include "actors/exchange/feed/feed_state.hpp"
#include "runtime/net/ws_client.hpp"

namespace trader::feed {

ws_reader::ws_reader(ws_reader_options opts, ws_reader_hooks hooks, const time_source& clock)
  : opts_(std::move(opts)),
    hooks_(std::move(hooks)),
    clock_(clock),
    backoff_(exchange::retry_policy{1 << 30, opts_.backoff_base, opts_.backoff_cap}, jitter_source(opts_.seed)) {}

ws_reader::~ws_reader() { stop(); }

void ws_reader::start() {
  if (thread_.joinable())
    return;
  stop_ = false;
  thread_ = std::thread([this] { run(); });
}

void ws_reader::stop() {
  {
    std::lock_guard<std::mutex> g(mtx_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id())
    thread_.join();
}

bool ws_reader::sleep_for(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lk(mtx_);
  return !cv_.wait_for(lk, d, [this] { return stop_.load(); });
}

bool ws_reader::send(std::string_view text) { return client_ && !client_->send_text(text); }

void ws_reader::post(std::string text) {
  std::lock_guard<std::mutex> g(mtx_);
  outbox_.push_back(std::move(text));
  pending_ = true;
}

void ws_reader::reconnect(std::string why) {
  std::lock_guard<std::mutex> g(mtx_);
  reconnect_why_ = why.empty() ? "reconnect requested" : std::move(why);
  pending_ = true;
}

std::string ws_reader::drain() {
  std::vector<std::string> out;
  std::string why;
  {
    std::lock_guard<std::mutex> g(mtx_);
    out.swap(outbox_);
    why.swap(reconnect_why_);
    pending_ = false;
  }
  if (why.empty())
    for (auto& m : out)
      if (!send(m))
        return "send failed";
  return why;
}

void ws_reader::run() {
  net::client_options copts;
  copts.tls.ca_file = opts_.ca_file;
  copts.connect_timeout = opts_.connect_timeout;
  copts.request_timeout = opts_.connect_timeout;
  bool first = true;
  while (!stop_) {
    if (!first) {
      auto d = backoff_.delay(std::min(retry_++, 30));
      if (!sleep_for(d))
        break;
    }
    first = false;
    net::ws_client ws(copts);
    if (auto err = ws.connect(opts_.url)) {
      if (hooks_.on_disconnected)
        hooks_.on_disconnected(std::string("connect: ") + net::to_string(err->code) + " " + err->detail,
                               clock_.wall_now());
      continue;
    }
    client_ = &ws;
    {
      std::lock_guard<std::mutex> g(mtx_);  // this connection's subscribes cover what was queued
      outbox_.clear();
      reconnect_why_.clear();
      pending_ = false;
    }
    bool subscribed = true;
    if (hooks_.subscribe_messages)
      for (auto& m : hooks_.subscribe_messages())
        subscribed = subscribed && send(m);
    ++connects_;
    if (hooks_.on_connected)
      hooks_.on_connected(clock_.wall_now());
    std::string why = subscribed ? "" : "subscribe: send failed";
    bool got_data = false;
    auto last_frame = clock_.mono_now();
    while (!stop_ && why.empty()) {
      if (pending_.load(std::memory_order_relaxed)) {
        why = drain();
        if (!why.empty())
          continue;
      }
      auto r = ws.read(opts_.read_poll);
      if (!r) {
        if (r.error().code != net::transport_errc::timeout) {
          why = std::string("read: ") + net::to_string(r.error().code) + " " + r.error().detail;
        } else if (clock_.mono_now() - last_frame > opts_.silence_limit.count() * ns_per_ms) {
          why = "silence: no frame for " + std::to_string(opts_.silence_limit.count()) + " ms";
        }
        continue;
      }
      auto recv = clock_.wall_now();
      last_frame = clock_.mono_now();
      if (!got_data) {
        got_data = true;
        retry_ = 0;  // this connection works; the next failure starts from base again
      }
      if (hooks_.on_frame)
        hooks_.on_frame(r->text, recv);
    }
    client_ = nullptr;
    if (stop_) {
      ws.close();
      break;
    }
    ws.close();
    if (hooks_.on_disconnected)
      hooks_.on_disconnected(why, clock_.wall_now());
  }
}

} // namespace trader::feed
