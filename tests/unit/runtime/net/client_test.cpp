// https_client and ws_client against an in-process Beast TLS server (the simex transport
// with its stub backend) on 127.0.0.1: certificate policy, plaintext policy, timeouts,
// keep-alive reuse.
#include "runtime/net/https_client.hpp"
#include "runtime/net/test_pki.hpp"
#include "runtime/net/ws_client.hpp"
#include "tools/simex/server/server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <thread>

using namespace trader::net;
using namespace std::chrono_literals;
namespace pki = trader::net::testing;
namespace sx = trader::simex::transport;

namespace {

const pki::test_pki& material() {
  static const pki::test_pki p = pki::make_test_pki(
    (std::filesystem::temp_directory_path() / ("net_client_test_" + std::to_string(::getpid()))).string());
  return p;
}

/// A simex transport (stub backend) on a thread; TLS when cert is given.
class local_server {
public:
  explicit local_server(const pki::cert_files* cert, int idle_timeout_ms = 120000) {
    sx::server_config cfg;
    cfg.log_file = "-";
    cfg.idle_timeout_ms = idle_timeout_ms;
    if (cert) {
      cfg.tls_cert = cert->cert;
      cfg.tls_key = cert->key;
    }
    srv_ = std::make_unique<sx::server>(cfg, sx::make_stub_backend());
    ports_ = srv_->start();
    thread_ = std::thread([this] { srv_->run(); });
    admin_ = std::make_unique<https_client>("http://127.0.0.1:" + std::to_string(ports_.admin));
  }
  ~local_server() {
    srv_->stop();
    thread_.join();
  }
  std::string url(const char* scheme, const char* host = "127.0.0.1") const {
    return std::string(scheme) + "://" + host + ":" + std::to_string(ports_.rest);
  }
  nlohmann::json admin(const std::string& method, const std::string& target, const std::string& body = {}) {
    auto r = admin_->request(http_request{method, target, {}, body});
    EXPECT_TRUE(r.ok()) << r.error().detail;
    return r.ok() ? nlohmann::json::parse(r->body) : nlohmann::json();
  }

private:
  std::unique_ptr<sx::server> srv_;
  sx::bound_ports ports_;
  std::thread thread_;
  std::unique_ptr<https_client> admin_;
};

client_options trusting_test_ca() {
  client_options o;
  o.tls.ca_file = material().ca_cert;
  o.connect_timeout = 3s;
  o.request_timeout = 3s;
  return o;
}

} // namespace

TEST(Url, ParsesAndFormatsHostHeader) {
  auto u = parse_url("https://api.coinbase.com/api/v3?x=1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "api.coinbase.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->host_header(), "api.coinbase.com");
  EXPECT_EQ(parse_url("http://127.0.0.1:8080")->host_header(), "127.0.0.1:8080");
  EXPECT_EQ(parse_url("ws://[::1]:9")->host_header(), "[::1]:9");
  EXPECT_FALSE(parse_url("ftp://x"));
  EXPECT_FALSE(parse_url("http://:80"));
  EXPECT_FALSE(parse_url("http://h:99999"));
}

TEST(Url, LoopbackIsDecidedWithoutResolving) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.3.2.1"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("LOCALHOST"));
  EXPECT_FALSE(is_loopback_host("10.255.255.1"));
  EXPECT_FALSE(is_loopback_host("128.0.0.1"));
  EXPECT_FALSE(is_loopback_host("localhost.example.com"));
  EXPECT_FALSE(is_loopback_host("api.coinbase.com"));
}

TEST(HttpsClient, RefusesPlainHttpToNonLoopbackBeforeConnecting) {
  // 10.255.255.1 is only a string here: the policy check must refuse it before any connect.
  https_client c("http://10.255.255.1:80");
  auto r = c.get("/");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, transport_errc::plaintext_refused);
  EXPECT_EQ(c.connections_opened(), 0u);
  ws_client w;
  auto e = w.connect("ws://10.255.255.1:80/");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, transport_errc::plaintext_refused);
}

TEST(HttpsClient, AcceptsCertificateFromTestCa) {
  local_server srv(&material().good);
  https_client c(srv.url("https"), trusting_test_ca());
  auto r = c.get("/api/v3/brokerage/time");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->status, 200);
  https_client by_name(srv.url("https", "localhost"), trusting_test_ca());
  EXPECT_TRUE(by_name.get("/api/v3/brokerage/time").ok());
}

TEST(HttpsClient, RefusesTestCaWhenOnlySystemStoreIsTrusted) {
  local_server srv(&material().good);
  client_options o;
  o.connect_timeout = 3s;
  https_client c(srv.url("https"), o);
  auto r = c.get("/api/v3/brokerage/time");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, transport_errc::tls_failed);
}

namespace {

struct bad_cert_case {
  const char* name;
  const pki::cert_files pki::test_pki::*cert;
  const char* reason;  // substring of the verification reason
};

class BadCertificate : public ::testing::TestWithParam<bad_cert_case> {};

} // namespace

TEST_P(BadCertificate, IsRefusedForHttpsAndWss) {
  const auto& c = GetParam();
  local_server srv(&(material().*(c.cert)));
  https_client client(srv.url("https"), trusting_test_ca());
  auto r = client.get("/api/v3/brokerage/time");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, transport_errc::tls_failed);
  EXPECT_NE(r.error().detail.find(c.reason), std::string::npos) << r.error().detail;
  ws_client ws(trusting_test_ca());
  auto e = ws.connect(srv.url("wss") + "/");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, transport_errc::tls_failed);
  EXPECT_NE(e->detail.find(c.reason), std::string::npos) << e->detail;
}

INSTANTIATE_TEST_SUITE_P(
  Certificates, BadCertificate,
  ::testing::Values(bad_cert_case{"WrongHost", &pki::test_pki::wrong_host, "does not match host"},
                    bad_cert_case{"Expired", &pki::test_pki::expired, "expired"},
                    bad_cert_case{"NotYetValid", &pki::test_pki::not_yet_valid, "not yet valid"},
                    bad_cert_case{"UnknownCa", &pki::test_pki::unknown_ca, "unable to get local issuer"},
                    bad_cert_case{"SelfSigned", &pki::test_pki::self_signed, "self-signed"}),
  [](const auto& info) { return std::string(info.param.name); });

TEST(HttpsClient, TimesOutWhenServerNeverAnswers) {
  local_server srv(nullptr);
  srv.admin("POST", "/faults", R"({"kind":"no_answer","count":1})");
  client_options o;
  o.request_timeout = 300ms;
  https_client c(srv.url("http"), o);
  auto t0 = std::chrono::steady_clock::now();
  auto r = c.get("/api/v3/brokerage/time");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, transport_errc::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_TRUE(c.get("/api/v3/brokerage/time").ok());  // a fresh connection works
}

TEST(HttpsClient, ReportsResetConnection) {
  local_server srv(nullptr);
  srv.admin("POST", "/faults", R"({"kind":"reset","count":1,"method":"POST"})");
  https_client c(srv.url("http"));
  auto r = c.post("/api/v3/brokerage/time", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().code == transport_errc::reset || r.error().code == transport_errc::closed)
    << to_string(r.error().code);
}

TEST(HttpsClient, ReusesKeepAliveConnection) {
  local_server srv(&material().good);
  auto before = srv.admin("GET", "/stats")["http_connections"].get<int>();
  https_client c(srv.url("https"), trusting_test_ca());
  for (int i = 0; i < 20; ++i) {
    auto r = c.get("/api/v3/brokerage/time");
    ASSERT_TRUE(r.ok()) << r.error().detail;
  }
  EXPECT_EQ(c.connections_opened(), 1u);
  EXPECT_EQ(srv.admin("GET", "/stats")["http_connections"].get<int>() - before, 1);
}

TEST(HttpsClient, ReconnectsWhenServerClosedIdleConnection) {
  local_server srv(nullptr, 150);
  https_client c(srv.url("http"));
  ASSERT_TRUE(c.get("/api/v3/brokerage/time").ok());
  std::this_thread::sleep_for(1s);  // the server's 150 ms idle timer closes it
  auto r = c.get("/api/v3/brokerage/time");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(c.connections_opened(), 2u);
}

TEST(HttpsClient, ParsesStatusHeadersAndBody) {
  local_server srv(nullptr);
  srv.admin("POST", "/faults", R"({"kind":"http_429","count":1})");
  https_client c(srv.url("http"));
  auto r = c.get("/api/v3/brokerage/time");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->header("X-RateLimit-Remaining").value_or(""), "0");
  EXPECT_NE(r->body.find("rate_limit_exceeded"), std::string::npos);
}

TEST(WsClient, SubscribesReadsWithDeadlinePingsAndCloses) {
  local_server srv(&material().good);
  ws_client ws(trusting_test_ca());
  auto err = ws.connect(srv.url("wss") + "/");
  ASSERT_FALSE(err) << err->detail;
  ASSERT_FALSE(ws.send_text(R"({"type":"subscribe","channel":"heartbeats"})"));
  auto ack = ws.read(2s);
  ASSERT_TRUE(ack.ok()) << ack.error().detail;
  EXPECT_NE(ack->text.find("subscriptions"), std::string::npos);
  auto hb = ws.read(3s);
  ASSERT_TRUE(hb.ok()) << hb.error().detail;
  EXPECT_NE(hb->text.find("heartbeat_counter"), std::string::npos);
  ASSERT_FALSE(ws.ping("x"));
  auto quiet = ws.read(1ms);  // a short deadline: timeout, connection still usable
  if (!quiet.ok())
    EXPECT_EQ(quiet.error().code, transport_errc::timeout);
  auto next = ws.read(3s);
  ASSERT_TRUE(next.ok());
  EXPECT_GE(ws.pongs_received(), 1u);
  ws.close();
  EXPECT_FALSE(ws.is_open());
}
