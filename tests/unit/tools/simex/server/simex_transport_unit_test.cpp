// Pure parts of the simex transport: WebSocket framing and the transport fault plan.
#include "tools/simex/server/faults.hpp"
#include "tools/simex/server/ws_frame.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::simex::transport;

TEST(WsFrame, AcceptKeyMatchesRfc6455Example) {
  EXPECT_EQ(ws_accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WsFrame, ServerFramesUseTheShortestLengthEncoding) {
  for (std::size_t len : {0u, 125u, 126u, 65535u, 65536u}) {
    std::string out;
    ws_append_frame(out, ws_opcode::text, std::string(len, 'a'));
    std::size_t header = len < 126 ? 2 : len <= 65535 ? 4 : 10;
    ASSERT_EQ(out.size(), header + len);
    EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x81);
    ws_frame f;
    std::size_t used = 0;
    ASSERT_EQ(ws_parse_frame(out.data(), out.size(), false, 1 << 20, f, used), ws_parse::ok);
    EXPECT_EQ(used, out.size());
    EXPECT_EQ(f.payload.size(), len);
  }
}

TEST(WsFrame, ParsesMaskedClientFramesAndRejectsUnmasked) {
  std::string text = "hello";
  std::string frame{static_cast<char>(0x81), static_cast<char>(0x80 | 5), 1, 2, 3, 4};
  for (std::size_t i = 0; i < text.size(); ++i)
    frame += static_cast<char>(text[i] ^ "\x01\x02\x03\x04"[i & 3]);
  ws_frame f;
  std::size_t used = 0;
  EXPECT_EQ(ws_parse_frame(frame.data(), 3, true, 1024, f, used), ws_parse::need_more);
  ASSERT_EQ(ws_parse_frame(frame.data(), frame.size(), true, 1024, f, used), ws_parse::ok);
  EXPECT_EQ(f.payload, "hello");
  EXPECT_EQ(f.opcode, ws_opcode::text);
  std::string unmasked;
  ws_append_frame(unmasked, ws_opcode::text, "x");
  EXPECT_EQ(ws_parse_frame(unmasked.data(), unmasked.size(), true, 1024, f, used), ws_parse::error);
}

TEST(TransportFaults, CountsMatchingRequestsOnly) {
  std::string err;
  auto spec = parse_fault(R"({"kind":"http_429","count":2,"method":"POST","path_prefix":"/api/v3/brokerage/orders"})", err);
  ASSERT_TRUE(spec) << err;
  fault_plan plan;
  plan.add(*spec, 0);
  EXPECT_FALSE(plan.take("GET", "/api/v3/brokerage/orders", 0));
  EXPECT_FALSE(plan.take("POST", "/api/v3/brokerage/accounts", 0));
  EXPECT_TRUE(plan.take("POST", "/api/v3/brokerage/orders", 0));
  EXPECT_TRUE(plan.take("POST", "/api/v3/brokerage/orders/batch_cancel", 0));
  EXPECT_FALSE(plan.take("POST", "/api/v3/brokerage/orders", 0));
}

TEST(TransportFaults, DurationBoundsAFault) {
  std::string err;
  fault_plan plan;
  plan.add(*parse_fault(R"({"kind":"http_5xx","duration_ms":100,"status":502})", err), 0);
  auto f = plan.take("GET", "/x", 50 * ns_per_ms);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->status, 502);
  EXPECT_TRUE(plan.take("GET", "/x", 60 * ns_per_ms));
  EXPECT_FALSE(plan.take("GET", "/x", 100 * ns_per_ms));
  plan.add(*parse_fault(R"({"kind":"ws_stale","duration_ms":10})", err), 0);
  EXPECT_TRUE(plan.ws_stale(5 * ns_per_ms));
  EXPECT_FALSE(plan.ws_stale(10 * ns_per_ms));
}

TEST(TransportFaults, RejectsBadSpecs) {
  std::string err;
  EXPECT_FALSE(parse_fault(R"({"kind":"nope"})", err));
  EXPECT_FALSE(parse_fault(R"({"kind":"ws_stale"})", err));
  EXPECT_FALSE(parse_fault("not json", err));
  EXPECT_FALSE(parse_faults(R"({"kind":"reset"})", err));
  auto many = parse_faults(R"([{"kind":"reset"},{"kind":"no_answer","count":-1}])", err);
  ASSERT_TRUE(many);
  EXPECT_EQ(many->size(), 2u);
}
