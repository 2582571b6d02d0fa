// A stand-in backend for transport tests: /time public, other brokerage paths private and
// echoed, WS heartbeats once per second and a subscriptions ack. Not Coinbase-complete.
#include "tools/simex/server/backend.hpp"

#include <nlohmann/json.hpp>

namespace trader::simex::transport {

namespace {

class stub_ws final : public ws_handler {
public:
  explicit stub_ws(ws_auth auth) : auth_(std::move(auth)) {}

  void on_text(std::string_view text, ts_ns now, std::vector<std::string>& out) override {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object() || !j.contains("channel")) {
      out.emplace_back(R"({"type":"error","message":"failure to subscribe"})");
      return;
    }
    auto channel = j.value("channel", std::string());
    if (channel == "user") {
      auto jwt = j.value("jwt", std::string());
      if (!auth_(jwt)) {
        out.emplace_back(R"({"type":"error","message":"authentication failure"})");
        return;
      }
    }
    subscribed_ = true;
    if (channel == "heartbeats")
      heartbeats_ = j.value("type", std::string()) == "subscribe";
    nlohmann::json ack{{"channel", "subscriptions"},
                       {"client_id", ""},
                       {"timestamp", std::to_string(now)},
                       {"sequence_num", seq_++},
                       {"events", {{{"subscriptions", {{channel, j.value("product_ids", nlohmann::json::array())}}}}}}};
    out.push_back(ack.dump());
  }
  void on_events(ts_ns, std::vector<std::string>&) override {}
  void on_tick(ts_ns now, std::vector<std::string>& out) override {
    if (!heartbeats_)
      return;
    out.push_back(R"({"channel":"heartbeats","client_id":"","timestamp":")" + std::to_string(now)
                  + R"(","sequence_num":)" + std::to_string(seq_++) + R"(,"events":[{"current_time":")"
                  + std::to_string(now) + R"(","heartbeat_counter":)" + std::to_string(counter_++) + "}]}");
  }
  bool has_subscribed() const override { return subscribed_; }
  void skip_sequence() override { ++seq_; }

private:
  ws_auth auth_;
  bool subscribed_ = false, heartbeats_ = false;
  std::uint64_t seq_ = 0;
  std::int64_t counter_ = 0;
};

class stub_backend final : public backend {
public:
  bool requires_auth(std::string_view path) const override {
    return path.substr(0, 18) == "/api/v3/brokerage/" && path != "/api/v3/brokerage/time"
           && path.substr(0, 25) != "/api/v3/brokerage/market/";
  }
  void handle(const request_view& req, ts_ns now, reply& out) override {
    if (req.path == "/api/v3/brokerage/time") {
      auto s = std::to_string(now / 1'000'000'000);
      out.body = R"({"iso":"","epochSeconds":")" + s + R"(","epochMillis":")"
                 + std::to_string(now / 1'000'000) + "\"}";
      return;
    }
    if (req.path.substr(0, 18) != "/api/v3/brokerage/") {
      out.status = 404;
      out.body = R"({"error":"NOT_FOUND","message":"Not Found"})";
      return;
    }
    out.body = R"({"path":")";
    out.body += req.path;
    out.body += R"(","key":")";
    out.body += req.key_name;
    out.body += R"("})";
  }
  std::unique_ptr<ws_handler> open_ws(ws_auth auth) override { return std::make_unique<stub_ws>(std::move(auth)); }
  void step(ts_ns) override {}
  fault_plan& faults() override { return faults_; }

private:
  fault_plan faults_;
};

} // namespace

std::unique_ptr<backend> make_stub_backend() {
  return std::make_unique<stub_backend>();
}

} // namespace trader::simex::transport
