// Writes the generated part of the seed corpora under tests/fuzz/corpus/<target>/gen-*:
// REST bodies and requests as simex's REST API really answers them (the same code the
// rest_api tests drive), WebSocket frames from the feed tests' builders, signed JWTs for the
// fuzz key, encoded state records, an audit file written by audit_log, and control lines.
// Run by hand when the formats change: build/bin/... fuzz_seed_writer tests/fuzz/corpus
// (the files are checked in; the fuzz targets never need this tool).
#include "actors/exchange/feed/ws_parser.hpp"
#include "runtime/clock.hpp"
#include "runtime/control/protocol.hpp"
#include "runtime/net/api_key.hpp"
#include "runtime/net/jwt.hpp"
#include "runtime/persistence/audit_log.hpp"
#include "runtime/persistence/record_codec.hpp"
#include "tests/unit/exchange/feed/feed_frames.hpp"
#include "tests/unit/tools/simex/fixtures.hpp"
#include "tools/simex/api/rest_api.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace trader;
namespace fs = std::filesystem;

namespace {

fs::path root;

void put(const std::string& target, const std::string& name, const std::string& bytes) {
  fs::create_directories(root / target);
  std::ofstream out(root / target / ("gen-" + name), std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// simex: one request line + body per endpoint, and each reply as a rest_parse seed.
void simex_and_rest() {
  simex::exchange ex;
  simex::test::setup(ex);
  simex::rest_api api{ex};
  api.bind_key("organizations/o/apiKeys/alice", "alice");
  auto call = [&](std::string method, std::string path, std::string query, std::string body) {
    simex::rest_request r;
    r.method = method;
    std::string full = "/api/v3/brokerage" + path;
    r.path = full;
    simex::parse_query(query, r.query);
    r.body = body;
    r.key_name = "organizations/o/apiKeys/alice";
    return api.handle(r, simex::test::t0).body;
  };
  struct req {
    const char* name;
    int parser;  // rest_parse selector, -1 none
    std::string method, path, query, body;
  };
  const std::string limit_cfg = R"({"limit_limit_gtc":{"base_size":"0.001","limit_price":"10000.00","post_only":true}})";
  const std::string market_cfg = R"({"market_market_ioc":{"base_size":"0.01"}})";
  std::vector<req> reqs = {
    {"time", 0, "GET", "/time", "", ""},
    {"products", 1, "GET", "/market/products", "", ""},
    {"product", 2, "GET", "/products/BTC-USD", "", ""},
    {"candles", 3, "GET", "/market/products/BTC-USD/candles", "granularity=ONE_MINUTE&start=1786300000&end=1786309500", ""},
    {"accounts", 4, "GET", "/accounts", "limit=250", ""},
    {"summary", 5, "GET", "/transaction_summary", "", ""},
    {"preview", 6, "POST", "/orders/preview", "",
     R"({"product_id":"BTC-USD","side":"BUY","order_configuration":)" + limit_cfg + "}"},
    {"create-limit", 7, "POST", "/orders", "",
     R"({"client_order_id":"c-1","product_id":"BTC-USD","side":"BUY","order_configuration":)" + limit_cfg + "}"},
    {"create-market", 7, "POST", "/orders", "",
     R"({"client_order_id":"c-2","product_id":"BTC-USD","side":"SELL","order_configuration":)" + market_cfg + "}"},
    {"create-bad", 7, "POST", "/orders", "", R"({"client_order_id":1,"product_id":"BTC-USD","side":"BUY"})"},
    {"orders", 10, "GET", "/orders/historical/batch", "order_status=OPEN&limit=2&product_id=BTC-USD", ""},
    {"fills", 11, "GET", "/orders/historical/fills", "limit=2&product_id=BTC-USD", ""},
    {"order-by-client", 9, "GET", "/orders/historical/unknown-id", "client_order_id=c-1", ""},
    {"book", -1, "GET", "/market/product_book", "product_id=BTC-USD&limit=5", ""},
    {"bba", -1, "GET", "/best_bid_ask", "product_ids=BTC-USD", ""},
    {"ticker", -1, "GET", "/market/products/BTC-USD/ticker", "limit=10", ""},
    {"perms", -1, "GET", "/key_permissions", "", ""},
  };
  for (const auto& r : reqs) {
    std::string line = r.method + " " + r.path + (r.query.empty() ? "" : "?" + r.query) + "\n" + r.body;
    put("simex_rest", r.name, line);
    auto body = call(r.method, r.path, r.query, r.body);
    if (r.parser >= 0)
      put("rest_parse", r.name, std::string(1, static_cast<char>(r.parser)) + body);
  }
  // batch cancel of the resting order
  auto listing = nlohmann::json::parse(call("GET", "/orders/historical/batch", "order_status=OPEN", ""));
  std::string id = listing["orders"].empty() ? "nope" : listing["orders"][0]["order_id"].get<std::string>();
  std::string cancel = R"({"order_ids":[")" + id + R"(","nope"]})";
  put("simex_rest", "batch-cancel", "POST /orders/batch_cancel\n" + cancel);
  put("rest_parse", "batch-cancel", std::string(1, '\x08') + call("POST", "/orders/batch_cancel", "", cancel));
  put("rest_parse", "order", std::string(1, '\x09') + call("GET", "/orders/historical/" + id, "", ""));
}

void ws() {
  using namespace trader::test;
  std::string all = l2(1, "BTC-USD", true, "67000.00", "67000.01") + "\x1e" + l2(2, "BTC-USD", false, "67000.02", "67000.03") +
                    "\x1e" + ticker(3, "BTC-USD", "67000.00", "67000.01") + "\x1e" + status(4, "BTC-USD", "online") + "\x1e" +
                    heartbeat(5);
  put("ws_parser", "session", all);
  put("ws_parser", "l2-snapshot", l2(1, "ETH-USD", true, "3000.10", "3000.20"));
  put("ws_parser", "ticker", ticker(7, "SOL-USD", "150.1", "150.2"));
  put("ws_parser", "status", status(8, "BTC-USD", "delisted"));
  put("ws_parser", "heartbeat", heartbeat(9));
}

void jwt() {
  auto key = net::api_key::from_pem("organizations/org-fuzz/apiKeys/key-fuzz", read_file(TRADER_FUZZ_JWT_KEY));
  if (!key) {
    std::fprintf(stderr, "seed_writer: cannot read the fuzz key\n");
    std::exit(1);
  }
  const ts_ns now = 1'786'309'548LL * ns_per_s;
  put("simex_jwt", "rest", net::sign_rest_jwt(*key, "GET", "127.0.0.1:8790", "/api/v3/brokerage/accounts?limit=5", now));
  put("simex_jwt", "rest-post", net::sign_rest_jwt(*key, "POST", "127.0.0.1:8790", "/api/v3/brokerage/orders", now));
  put("simex_jwt", "ws", net::sign_ws_jwt(*key, now));
  put("simex_jwt", "expired", net::sign_ws_jwt(*key, now - 3600 * ns_per_s));
}

template <class T>
void record(const char* name, int db, const std::string& key, const T& rec) {
  std::string v = persistence::encode(key, rec);
  std::string seed;
  seed.push_back(static_cast<char>(db));
  seed.push_back(static_cast<char>(key.size()));
  seed += key;
  seed += v.substr(0, v.size() - 4);  // version + payload; the harness re-frames with the CRC
  put("record_decoder", name, seed);
}

void records() {
  using namespace trader::persistence;
  order_record o;
  o.id.value = "7f6c1b2e-0000-4000-8000-000000000001";
  o.product.value = "BTC-USD";
  record("order", 1, o.id.value, o);
  record("open-order", 2, o.id.value, open_order_ref{});
  fill_record f;
  f.trade.value = "t-1";
  record("fill", 3, f.trade.value, f);
  position_record p;
  p.product.value = "BTC-USD";
  record("position", 4, p.product.value, p);
  record("pnl-day", 5, "day/2026-12-06", pnl_bucket{});
  record("nav", 5, "nav_hwm", nav_mark{});
  record("cooldown", 6, "BTC-USD", cooldown_record{});
  record("ban", 7, "BTC-USD", ban_record{});
  record("gate", 8, "gate", gate_record{});
  record("config-hash", 9, "0123456789abcdef", config_hash_record{});
  record("secret", 10, "organizations/o/apiKeys/k", secret_rotation_record{});
  record("latency", 11, "POST /orders", latency_baseline_record{});
  record("risk", 12, "pacing", risk_record{});
  record("schema", 0, "schema", schema_record{});
  record("commit", 0, "commit", commit_mark{});
}

void audit() {
  auto dir = fs::temp_directory_path() / "trader-seed-audit";
  fs::remove_all(dir);
  manual_time_source clock(1'786'309'548LL * ns_per_s);
  auto log = persistence::audit_log::open({.dir = dir.string()}, clock);
  if (!log) {
    std::fprintf(stderr, "seed_writer: cannot open the audit log\n");
    std::exit(1);
  }
  (void)(*log)->append("risk_verdict", "risk", {{"product", "BTC-USD"}, {"approved", true}}, "0123456789abcdef");
  (void)(*log)->append("order_sent", "order_lifecycle", {{"client_order_id", "c-1"}, {"size", "0.001"}});
  (void)(*log)->append("gate_changed", "risk", {{"open", false}, {"reasons", {"startup"}}});
  (void)(*log)->flush();
  auto files = persistence::list_audit_files(dir.string());
  std::string text = files.empty() ? "" : read_file(files.front());
  put("audit_reader", "chain", text);
  put("audit_reader", "torn", text + R"({"ts":"2026-08-09T21:05:48.000000000Z","seq":4,"ki)");
  fs::remove_all(dir);
}

void control_lines() {
  control::request r;
  r.id = 7;
  r.cmd = "status";
  put("control_protocol", "status", control::serialize(r));
  r.id = 8;
  r.cmd = "restart";
  r.args = {{"actor", "risk"}};
  put("control_protocol", "restart", control::serialize(r));
  control::response ok{.id = 7, .body = control::reply::success({{"mode", "PAPER"}, {"gate", {{"open", false}}}})};
  control::response bad{.id = std::nullopt, .body = control::reply::failure(control::error_code::bad_request, "not json")};
  put("control_protocol", "responses", control::serialize(ok) + "\n" + control::serialize(bad));
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seed_writer tests/fuzz/corpus\n");
    return 2;
  }
  root = argv[1];
  simex_and_rest();
  ws();
  jwt();
  records();
  audit();
  control_lines();
  return 0;
}
