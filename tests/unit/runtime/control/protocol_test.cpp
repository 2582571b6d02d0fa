// Verifies parsing and serialisation of the control protocol, malformed input above all.

#include "runtime/control/protocol.hpp"

#include <gtest/gtest.h>

using namespace trader::control;
using nlohmann::json;

namespace {

error_code refused_with(std::string_view line) {
  auto p = parse_request(line);
  EXPECT_FALSE(p.req.has_value()) << line;
  return p.err.code;
}

} // namespace

TEST(ControlProtocol, RoundTripsRequest) {
  request r;
  r.id = 42;
  r.cmd = "restart";
  r.args = json{{"actor", "risk"}};
  auto p = parse_request(serialize(r));
  ASSERT_TRUE(p.req);
  EXPECT_EQ(p.req->id, 42);
  EXPECT_EQ(p.req->cmd, "restart");
  EXPECT_EQ(p.req->args["actor"], "risk");
}

TEST(ControlProtocol, RequestLineHasVersionAndNoNewline) {
  request r;
  r.id = 1;
  r.cmd = "status";
  auto line = serialize(r);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(json::parse(line)["v"], 1);
}

TEST(ControlProtocol, RoundTripsSuccessResponse) {
  response out;
  std::string why;
  ASSERT_TRUE(parse_response(serialize(response{7, reply::success({{"mode", "DRY_RUN"}})}), out, why)) << why;
  EXPECT_EQ(out.id, 7);
  EXPECT_TRUE(out.body.ok);
  EXPECT_EQ(out.body.result["mode"], "DRY_RUN");
}

TEST(ControlProtocol, RoundTripsErrorResponse) {
  auto line = serialize(response{9, reply::failure(error_code::unknown_command, "no such")});
  EXPECT_EQ(json::parse(line)["error"]["code"], "unknown_command");
  response out;
  std::string why;
  ASSERT_TRUE(parse_response(line, out, why));
  EXPECT_FALSE(out.body.ok);
  EXPECT_EQ(out.body.err.code, error_code::unknown_command);
  EXPECT_EQ(out.body.err.message, "no such");
}

TEST(ControlProtocol, ErrorResponseWithoutIdSerialisesNull) {
  auto j = json::parse(serialize(error_response(std::nullopt, {error_code::bad_request, "x"})));
  EXPECT_TRUE(j["id"].is_null());
}

TEST(ControlProtocol, ErrorCodeNamesRoundTrip) {
  for (auto c : {error_code::bad_request, error_code::unsupported_version, error_code::unknown_command,
                 error_code::unauthorized, error_code::timeout, error_code::internal, error_code::unavailable})
    EXPECT_EQ(parse_error_code(to_string(c)), c);
  EXPECT_FALSE(parse_error_code("nope"));
}

TEST(ControlProtocol, RefusesLinesThatAreNotJsonObjects) {
  for (auto line : {"", "{", "garbage", "[1,2]", "null", "42", "\"status\"", "{\"v\":1,\"id\":1,\"cmd\":\"s\"", "{}}"})
    EXPECT_EQ(refused_with(line), error_code::bad_request) << line;
}

TEST(ControlProtocol, RefusesMissingOrNonIntegerId) {
  EXPECT_EQ(refused_with(R"({"v":1,"cmd":"status"})"), error_code::bad_request);
  EXPECT_EQ(refused_with(R"({"v":1,"id":"7","cmd":"status"})"), error_code::bad_request);
  EXPECT_EQ(refused_with(R"({"v":1,"id":1.5,"cmd":"status"})"), error_code::bad_request);
  EXPECT_EQ(refused_with(R"({"v":1,"id":18446744073709551615,"cmd":"status"})"), error_code::bad_request);
}

TEST(ControlProtocol, KeepsIdOfRequestRefusedLater) {
  auto p = parse_request(R"({"v":1,"id":5,"cmd":17})");
  EXPECT_FALSE(p.req);
  EXPECT_EQ(p.id, 5);
  EXPECT_EQ(p.err.code, error_code::bad_request);
}

TEST(ControlProtocol, RefusesOtherProtocolVersions) {
  auto p = parse_request(R"({"v":2,"id":3,"cmd":"status"})");
  EXPECT_EQ(p.err.code, error_code::unsupported_version);
  EXPECT_EQ(p.id, 3);
  EXPECT_EQ(refused_with(R"({"id":3,"cmd":"status"})"), error_code::bad_request);
  EXPECT_EQ(refused_with(R"({"v":"1","id":3,"cmd":"status"})"), error_code::bad_request);
}

TEST(ControlProtocol, RefusesBadCommandNames) {
  EXPECT_EQ(refused_with(R"({"v":1,"id":1})"), error_code::bad_request);
  EXPECT_EQ(refused_with(R"({"v":1,"id":1,"cmd":""})"), error_code::bad_request);
  EXPECT_EQ(refused_with(R"({"v":1,"id":1,"cmd":"Status!"})"), error_code::bad_request);
  EXPECT_EQ(refused_with(R"({"v":1,"id":1,"cmd":")" + std::string(65, 'a') + "\"}"), error_code::bad_request);
}

TEST(ControlProtocol, ArgsMustBeAnObjectWhenPresent) {
  EXPECT_EQ(refused_with(R"({"v":1,"id":1,"cmd":"x","args":[1]})"), error_code::bad_request);
  EXPECT_EQ(refused_with(R"({"v":1,"id":1,"cmd":"x","args":"a"})"), error_code::bad_request);
  auto p = parse_request(R"({"v":1,"id":1,"cmd":"x","args":null})");
  ASSERT_TRUE(p.req);
  EXPECT_TRUE(p.req->args.is_object());
  ASSERT_TRUE(parse_request(R"({"v":1,"id":1,"cmd":"x"})").req);
}

TEST(ControlProtocol, IgnoresUnknownFieldsAndTrailingCarriageReturn) {
  auto p = parse_request("{\"v\":1,\"id\":1,\"cmd\":\"x\",\"future\":true}\r");
  ASSERT_TRUE(p.req);
}

TEST(ControlProtocol, RefusesOverlongLine) {
  std::string line = R"({"v":1,"id":1,"cmd":"x","args":{"pad":")" + std::string(max_line_bytes, 'a') + "\"}}";
  EXPECT_EQ(refused_with(line), error_code::bad_request);
}

TEST(ControlProtocol, SurvivesDeeplyNestedInput) {
  std::string line = R"({"v":1,"id":1,"cmd":"x","args":{"a":)" + std::string(20000, '[') + std::string(20000, ']') + "}}";
  auto p = parse_request(line);
  EXPECT_TRUE(p.req.has_value());
  EXPECT_EQ(refused_with(std::string(30000, '[')), error_code::bad_request);
}

TEST(ControlProtocol, RefusesInvalidUtf8) {
  EXPECT_EQ(refused_with("{\"v\":1,\"id\":1,\"cmd\":\"x\",\"args\":{\"a\":\"\xff\xfe\"}}"), error_code::bad_request);
}

TEST(ControlProtocol, SerialisingInvalidUtf8FromAHandlerDoesNotThrow) {
  response r{1, reply::success({{"bytes", std::string("\xff\xfe")}})};
  std::string line;
  EXPECT_NO_THROW(line = serialize(r));
  response out;
  std::string why;
  EXPECT_TRUE(parse_response(line, out, why)) << why;
}

TEST(ControlProtocol, ResponseParserKeepsUnknownErrorCodeText) {
  response out;
  std::string why;
  ASSERT_TRUE(parse_response(R"({"v":1,"id":1,"ok":false,"error":{"code":"rate_limited","message":"slow"}})", out, why));
  EXPECT_EQ(out.body.err.code, error_code::internal);
  EXPECT_NE(out.body.err.message.find("rate_limited"), std::string::npos);
}

TEST(ControlProtocol, ResponseParserRefusesMalformedResponses) {
  response out;
  std::string why;
  for (auto line : {"", "[]", R"({"v":2,"id":1,"ok":true})", R"({"v":1,"id":1})", R"({"v":1,"id":1,"ok":false})",
                    R"({"v":1,"id":"x","ok":true})", R"({"v":1,"id":1,"ok":true,"result":3})"})
    EXPECT_FALSE(parse_response(line, out, why)) << line;
}

TEST(ControlProtocol, NonObjectSuccessResultIsWrapped) {
  EXPECT_EQ(reply::success(json(3)).result["value"], 3);
}
