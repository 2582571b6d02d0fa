// The real exchange behind the transport: the api's `simulator` (engine, market model or
// replay, REST api, the fault plan) and one `ws_session` per WebSocket connection, whose
// frame filter asks the fault plan about every outgoing frame. Runs on the server's
// event-loop thread only (the engine is not thread-safe).
#include "tools/simex/api/simulator.hpp"
#include "tools/simex/server/backend.hpp"
#include "tools/simex/server/server_config.hpp"
#include "tools/simex/server/simulator_setup.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace trader::simex::transport {

namespace {

class api_backend;

class api_ws final : public ws_handler {
public:
  api_ws(api_backend& be, ws_auth auth);
  void on_text(std::string_view text, ts_ns now, std::vector<std::string>& out) override;
  void on_events(ts_ns now, std::vector<std::string>& out) override;
  void on_tick(ts_ns now, std::vector<std::string>& out) override;
  bool has_subscribed() const override { return session_->has_subscribed(); }
  void skip_sequence() override { session_->skip_sequence(); }
  bool wants_close() const override { return session_->closed(); }

private:
  api_backend& be_;
  std::unique_ptr<ws_session> session_;
  ts_ns now_ = 0;  ///< time of the call in progress, for the frame filter
};

class api_backend final : public backend {
public:
  explicit api_backend(const server_config& cfg) : sim_(simulator_config_from(cfg)) {
    for (const auto& k : cfg.api_keys)
      sim_.fund(k.name);  // configured keys have money before their first request
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
    reply_.status = 200;
    sim_.handle(r, now, reply_);
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
    return std::make_unique<api_ws>(*this, std::move(auth));
  }

  void step(ts_ns now) override {
    if (!started_) {
      sim_.start(now);
      started_ = true;
    }
    sim_.step(now);
  }

  fault_plan& faults() override { return sim_.faults(); }

  bool admin(const request_view& req, ts_ns now, reply& out) override {
    auto bad = [&](const char* message) {
      out.status = 400;
      out.body = nlohmann::json{{"error", "INVALID_ARGUMENT"}, {"message", message}}.dump();
      return true;
    };
    if (req.method == "POST" && req.path == "/deposit") {  // {"user","currency","amount"}
      auto j = nlohmann::json::parse(req.body, nullptr, false);
      if (!j.is_object() || !j["user"].is_string() || !j["currency"].is_string() || !j["amount"].is_string())
        return bad(R"(want {"user","currency","amount"} strings)");
      auto amt = parse_fixed<amount_tag>(j["amount"].get<std::string>());
      if (!amt)
        return bad("amount is not a decimal");
      sim_.engine().deposit(j["user"].get<std::string>(), j["currency"].get<std::string>(), *amt);
      out.body = R"({"ok":true})";
      return true;
    }
    if (req.method == "POST" && req.path == "/account") {  // {"user"}: every order and fill of it
      auto j = nlohmann::json::parse(req.body, nullptr, false);
      if (!j.is_object() || !j["user"].is_string())
        return bad(R"(want {"user"} (the API key name unless bound to a user))");
      out.body = account_json(j["user"].get<std::string>());
      return true;
    }
    if (req.method == "POST" && req.path == "/product_status") {  // {"product_id","status"}
      auto j = nlohmann::json::parse(req.body, nullptr, false);
      product_status st{};
      if (!j.is_object() || !j["product_id"].is_string() || !j["status"].is_string()
          || !parse_product_status(j["status"].get<std::string>(), st)
          || !sim_.engine().find_product(j["product_id"].get<std::string>()))
        return bad(R"(want {"product_id","status"} of a listed product)");
      sim_.engine().set_status(j["product_id"].get<std::string>(), st, now);
      out.body = R"({"ok":true})";
      return true;
    }
    return false;
  }

  simulator& sim() { return sim_; }

private:
  /// Every order (client_order_id, status, filled) and fill (trade id) of a user, oldest
  /// first: what the kill -9 tests count ("one order per intent, every fill once").
  std::string account_json(const std::string& user) {
    nlohmann::json orders = nlohmann::json::array(), fills = nlohmann::json::array();
    order_filter of;
    of.user = user;
    std::string cursor;
    for (;;) {
      auto pg = sim_.engine().list_orders(of, cursor, 1000);
      for (const auto* o : pg.items)
        orders.push_back({{"order_id", o->order_id},
                          {"client_order_id", o->req.client_order_id},
                          {"product_id", o->req.product_id},
                          {"side", std::string{to_wire(o->req.order_side)}},
                          {"status", std::string{to_wire(o->status)}},
                          {"filled_size", to_string(o->filled_size)}});
      if (!pg.has_next)
        break;
      cursor = pg.cursor;
    }
    fill_filter ff;
    ff.user = user;
    cursor.clear();
    for (;;) {
      auto pg = sim_.engine().list_fills(ff, cursor, 1000);
      for (const auto* f : pg.items)
        fills.push_back({{"trade_id", f->trade_id},
                         {"order_id", f->order_id},
                         {"client_order_id", f->client_order_id},
                         {"side", std::string{to_wire(f->order_side)}},
                         {"size", to_string(f->qty)},
                         {"price", to_string(f->px)}});
      if (!pg.has_next)
        break;
      cursor = pg.cursor;
    }
    std::reverse(orders.begin(), orders.end());
    std::reverse(fills.begin(), fills.end());
    return nlohmann::json{{"orders", orders}, {"fills", fills}}.dump();
  }

  simulator sim_;
  query_params query_;
  http_reply reply_;
  bool started_ = false;
};

api_ws::api_ws(api_backend& be, ws_auth auth)
  : be_(be), session_(be.sim().open_ws([auth = std::move(auth)](std::string_view jwt) { return auth(jwt); })) {
  session_->set_filter([this](std::string_view channel, std::string_view product) {
    auto& plan = be_.sim().faults();
    return plan.rules().empty() ? ws_decision::deliver : plan.on_ws_message(channel, product, now_);
  });
}

void api_ws::on_text(std::string_view text, ts_ns now, std::vector<std::string>& out) {
  now_ = now;
  session_->on_message(text, now, out);
}

void api_ws::on_events(ts_ns now, std::vector<std::string>& out) {
  const auto& ev = be_.sim().events();
  if (ev.empty())
    return;
  now_ = now;
  session_->on_events(ev, now, out);
}

void api_ws::on_tick(ts_ns now, std::vector<std::string>& out) {
  now_ = now;
  session_->on_tick(now, out);
}

} // namespace

std::unique_ptr<backend> make_api_backend(const server_config& cfg) {
  return std::make_unique<api_backend>(cfg);
}

} // namespace trader::simex::transport
