// trader::result<T, E>: a value or an error, chained with and_then / transform.
#include "runtime/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using trader::fail;
using trader::result;

namespace {

result<int, std::string> parse_digit(char c) {
  if (c < '0' || c > '9')
    return fail(std::string("not a digit: ") + c);
  return c - '0';
}

result<void, std::string> check_even(int x) {
  if (x % 2 != 0)
    return fail("odd");
  return {};
}

} // namespace

TEST(Result, HoldsAValueOrAnError) {
  auto ok = parse_digit('7');
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 7);
  auto bad = parse_digit('x');
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "not a digit: x");
  EXPECT_EQ(bad.value_or(-1), -1);
  EXPECT_EQ(ok.value_or(-1), 7);
}

TEST(Result, AndThenChainsUntilTheFirstError) {
  int calls = 0;
  auto twice = [&](int x) -> result<int, std::string> {
    ++calls;
    return x * 2;
  };
  EXPECT_EQ(*parse_digit('4').and_then(twice), 8);
  auto stopped = parse_digit('?').and_then(twice);
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error(), "not a digit: ?");
  EXPECT_EQ(calls, 1);  // never called for the error
}

TEST(Result, TransformMapsTheValueAndMayDropIt) {
  auto text = parse_digit('3').transform([](int x) { return std::to_string(x) + "!"; });
  static_assert(std::is_same_v<decltype(text), result<std::string, std::string>>);
  EXPECT_EQ(*text, "3!");
  int seen = 0;
  auto done = parse_digit('5').transform([&](int x) { seen = x; });
  static_assert(std::is_same_v<decltype(done), result<void, std::string>>);
  EXPECT_TRUE(done);
  EXPECT_EQ(seen, 5);
  EXPECT_FALSE(parse_digit('a').transform([](int x) { return x; }));
}

TEST(Result, VoidResultsChainToo) {
  EXPECT_TRUE(check_even(4));
  EXPECT_EQ(check_even(3).error(), "odd");
  auto next = check_even(2).and_then([]() -> result<int, std::string> { return 10; });
  EXPECT_EQ(*next, 10);
  auto skipped = check_even(1).transform([] { return 10; });
  ASSERT_FALSE(skipped);
  EXPECT_EQ(skipped.error(), "odd");
}

TEST(Result, SameValueAndErrorTypesNeedFail) {
  result<std::string, std::string> v = std::string("value");  // only fail() makes an error
  result<std::string, std::string> e = fail("error");
  EXPECT_TRUE(v);
  EXPECT_EQ(*v, "value");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error(), "error");
}

TEST(Result, MovesOnlyValuesOut) {
  auto make = []() -> result<std::unique_ptr<int>, std::string> { return std::make_unique<int>(9); };
  auto p = *make();
  EXPECT_EQ(*p, 9);
  auto q = make().and_then([](std::unique_ptr<int>&& x) -> result<int, std::string> { return *x + 1; });
  EXPECT_EQ(*q, 10);
}
