// The real exchange behind the transport: engine + synthetic market + REST/WS api + the
// engine's fault plan. Runs on the server's event-loop thread only (the engine is not
// thread-safe).
#include "tools/simex/api/rest_api.hpp"
#include "tools/simex/api/ws_api.hpp"
#include "tools/simex/engine/exchange.hpp"
#include "tools/simex/engine/fault_plan.hpp"
#include "tools/simex/engine/market_model.hpp"
#include "tools/simex/server/backend.hpp"
#include "tools/simex/server/server_config.hpp"

#include <nlohmann/json.hpp>

#include <map>

namespace trader::simex::transport {

namespace {

/// `"name":"value"` → value, searched in the first bytes of a frame; "" when absent.
std::string_view field(std::string_view frame, std::string_view key, std::size_t window) {
  auto head = frame.substr(0, window);
  auto pos = head.find(key);
  if (pos == std::string_view::npos)
    return {};
  auto start = pos + key.size();
  auto end = frame.find('"', start);
  return end == std::string_view::npos ? std::string_view() : frame.substr(start, end - start);
}

class api_backend;

class api_ws final : public ws_handler {
public:
  api_ws(api_backend& be, const exchange& ex, ws_auth auth);
  void on_text(std::string_view text, ts_ns now, std::vector<std::string>& out) override {
    session_.on_message(text, now, out);
  }
  void on_events(ts_ns now, std::vector<std::string>& out) override;
  void on_tick(ts_ns now, std::vector<std::string>& out) override {
    filter(now, [&](std::vector<std::string>& tmp) { session_.on_tick(now, tmp); }, out);
  }
  bool has_subscribed() const override { return session_.has_subscribed(); }
  void skip_sequence() override { session_.skip_sequence(); }
  bool wants_close() const override { return close_; }

private:
  /// Runs produce into a scratch vector, then applies the fault plan per message.
  template <class Produce>
  void filter(ts_ns now, Produce&& produce, std::vector<std::string>& out);

  api_backend& be_;
  ws_session session_;
  std::vector<std::string> tmp_;
  std::map<std::string, std::vector<std::string>, std::less<>> deferred_;
  std::uint64_t suppressed_ = 0;  ///< frames withheld by stale_quotes (sequence kept gap-free)
  bool close_ = false;

  /// Rewrites "sequence_num":N to N - suppressed_.
  void renumber(std::string& frame) const {
    static constexpr std::string_view key = R"("sequence_num":)";
    auto pos = frame.find(key);
    if (pos == std::string::npos || pos > 200)
      return;
    auto start = pos + key.size();
    auto end = start;
    std::uint64_t n = 0;
    while (end < frame.size() && frame[end] >= '0' && frame[end] <= '9')
      n = n * 10 + static_cast<std::uint64_t>(frame[end++] - '0');
    if (end == start || n < suppressed_)
      return;
    frame.replace(start, end - start, std::to_string(n - suppressed_));
  }
};

class api_backend final : public backend {
public:
  explicit api_backend(const server_config& cfg)
    : ex_(exchange_config{.seed = cfg.seed}), market_(ex_, model_config::standard(cfg.seed)), api_(ex_) {
    for (const auto& k : cfg.api_keys)
      fund(k.name);
  }

  bool requires_auth(std::string_view path) const override { return rest_api::requires_auth(path); }

  void handle(const request_view& req, ts_ns now, reply& out) override {
    rest_request r;
    r.method = req.method;
    r.path = req.path;
    r.body = req.body;
    r.key_name = req.key_name;
    query_.clear();
    parse_query(req.query, query_);
    r.query = std::move(query_);
    reply_.body.swap(out.body);
    reply_.headers.clear();
    api_.handle(r, now, reply_);
    query_ = std::move(r.query);
    out.status = reply_.status;
    out.body.swap(reply_.body);
    for (auto& [name, value] : reply_.headers) {
      if (name == "Content-Type" || name == "content-type")
        out.content_type = value;
      else
        out.headers.emplace_back(std::move(name), std::move(value));
    }
  }

  std::unique_ptr<ws_handler> open_ws(ws_auth auth) override {
    return std::make_unique<api_ws>(*this, ex_, std::move(auth));
  }

  void step(ts_ns now) override {
    if (!started_) {
      market_.start(now);
      plan_.set_origin(now);
      started_ = true;
    }
    market_.advance(now);
    ex_.advance(now);
    if (!plan_.rules().empty())
      for (const auto& f : plan_.on_tick(now))
        fault_plan::apply(f, ex_, now);
    events_.clear();
    ex_.drain_events(events_);
  }

  void rest_fault(std::string_view method, std::string_view path, ts_ns now, transport_action& out) override {
    if (plan_.rules().empty())
      return;
    auto d = plan_.on_rest_request(method, path, now);
    using a = rest_decision::action;
    using k = transport_action::kind;
    switch (d.act) {
      case a::pass:
        out.act = k::pass;
        return;
      case a::respond:
        out.act = k::respond;
        break;
      case a::delay:
        out.act = k::delay;
        break;
      case a::reset:
        out.act = k::reset;
        break;
      case a::no_answer:
        out.act = k::no_answer;
        break;
      case a::drop_reply:
        out.act = k::drop_reply;
        break;
    }
    out.status = d.status;
    out.body = std::move(d.body);
    out.headers = std::move(d.headers);
    out.delay_ns = d.delay;
  }

  bool admin(const request_view& req, ts_ns now, reply& out) override {
    if (req.method == "POST" && req.path == "/scenario") {  // TOML [[fault]] tables
      std::string err;
      auto plan = fault_plan::from_toml(req.body, err);
      if (!plan) {
        out.status = 400;
        out.body = nlohmann::json{{"error", "INVALID_ARGUMENT"}, {"message", err}}.dump();
        return true;
      }
      plan_ = std::move(*plan);
      plan_.set_origin(now);
      out.body = nlohmann::json{{"rules", plan_.rules().size()}}.dump();
      return true;
    }
    if (req.method == "DELETE" && req.path == "/scenario") {
      plan_.clear();
      out.body = R"({"cleared":true})";
      return true;
    }
    if (req.method == "POST" && req.path == "/deposit") {  // {"user","currency","amount"}
      auto j = nlohmann::json::parse(req.body, nullptr, false);
      auto amt = j.is_object() ? parse_fixed<amount_tag>(j.value("amount", std::string())) : std::nullopt;
      if (!amt || j.value("user", std::string()).empty() || j.value("currency", std::string()).empty()) {
        out.status = 400;
        out.body = R"({"error":"INVALID_ARGUMENT","message":"want {\"user\",\"currency\",\"amount\"}"})";
        return true;
      }
      ex_.deposit(j["user"].get<std::string>(), j["currency"].get<std::string>(), *amt);
      out.body = R"({"ok":true})";
      return true;
    }
    if (req.method == "POST" && req.path == "/product_status") {  // {"product_id","status"}
      auto j = nlohmann::json::parse(req.body, nullptr, false);
      product_status st{};
      if (!j.is_object() || !parse_product_status(j.value("status", std::string()), st)
          || !ex_.find_product(j.value("product_id", std::string()))) {
        out.status = 400;
        out.body = R"({"error":"INVALID_ARGUMENT","message":"want {\"product_id\",\"status\"}"})";
        return true;
      }
      ex_.set_status(j["product_id"].get<std::string>(), st, now);
      out.body = R"({"ok":true})";
      return true;
    }
    return false;
  }

  const std::vector<event>& events() const { return events_; }
  fault_plan& plan() { return plan_; }

private:
  /// Starting balances of a configured key (its own user).
  void fund(const std::string& user) {
    ex_.deposit(user, "USD", amount::from_int(1'000'000));
    ex_.deposit(user, "USDC", amount::from_int(100'000));
    ex_.deposit(user, "BTC", amount::from_int(10));
    ex_.deposit(user, "ETH", amount::from_int(100));
    ex_.deposit(user, "SOL", amount::from_int(1'000));
  }

  exchange ex_;
  synthetic_market market_;
  rest_api api_;
  fault_plan plan_;
  std::vector<event> events_;
  query_params query_;
  http_reply reply_;
  bool started_ = false;
};

api_ws::api_ws(api_backend& be, const exchange& ex, ws_auth auth)
  : be_(be), session_(ex, [auth = std::move(auth)](std::string_view jwt) { return auth(jwt); }) {}

void api_ws::on_events(ts_ns now, std::vector<std::string>& out) {
  const auto& ev = be_.events();
  if (ev.empty())
    return;
  filter(now, [&](std::vector<std::string>& tmp) { session_.on_events(ev, now, tmp); }, out);
}

template <class Produce>
void api_ws::filter(ts_ns now, Produce&& produce, std::vector<std::string>& out) {
  auto& plan = be_.plan();
  if (plan.rules().empty()) {
    produce(out);
    return;
  }
  tmp_.clear();
  produce(tmp_);
  for (auto& frame : tmp_) {
    if (suppressed_ > 0)
      renumber(frame);
    std::string channel(field(frame, R"("channel":")", 40));
    auto product = field(frame, R"("product_id":")", 400);
    switch (plan.on_ws_message(channel, product, now)) {
      case ws_decision::deliver:
        out.push_back(std::move(frame));
        break;
      case ws_decision::close:
        close_ = true;
        return;
      case ws_decision::skip_sequence:  // the frame's sequence_num is burnt: a gap
        break;
      case ws_decision::suppress:  // withheld without a gap: later frames are renumbered
        ++suppressed_;
        break;
      case ws_decision::duplicate:
        out.push_back(frame);
        out.push_back(std::move(frame));
        break;
      case ws_decision::defer:
        deferred_[channel].push_back(std::move(frame));
        continue;
    }
    if (auto it = deferred_.find(channel); it != deferred_.end() && !out.empty()) {
      for (auto& d : it->second)
        out.push_back(std::move(d));
      deferred_.erase(it);
    }
  }
}

} // namespace

std::unique_ptr<backend> make_api_backend(const server_config& cfg) {
  return std::make_unique<api_backend>(cfg);
}

} // namespace trader::simex::transport
