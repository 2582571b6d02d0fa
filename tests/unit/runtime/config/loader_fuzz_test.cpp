// Fuzz-style: thousands of seeded mutations of the shipped files. The loader must never
// crash or throw, and must always return either a config or at least one error.

#include "runtime/config/loader.hpp"

#include "config_test_support.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <random>

namespace trader::config {
namespace {

using namespace testing;

const char* fragments[] = {"=",
                           "[",
                           "]",
                           "\"",
                           "'",
                           "#",
                           "\n",
                           ".",
                           ",",
                           "{",
                           "}",
                           "-",
                           "+",
                           "1e999",
                           "nan",
                           "-inf",
                           "0x7fffffffffffffff",
                           "99999999999999999999",
                           "true",
                           "[[x]]",
                           "\"\"\"",
                           "\\u0000",
                           "1979-05-27T07:32:00Z",
                           "api_key = \"s\"",
                           "[risk]\n",
                           "[themes.x]\n",
                           "stop_loss_pct = -1\n",
                           "mode = \"LIVE\"\n",
                           "\xff\xfe",
                           "a.b.c = 1\n"};

std::string mutate(std::string text, std::mt19937& rng) {
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !text.empty(); ++e) {
    std::size_t pos = rng() % text.size();
    switch (rng() % 6) {
      case 0: text.erase(pos, 1 + rng() % 8); break;                            // delete a few bytes
      case 1: text.insert(pos, fragments[rng() % std::size(fragments)]); break; // insert a token
      case 2: text[pos] = static_cast<char>(rng() % 256); break;                // flip a byte
      case 3: text.resize(pos); break;                                          // truncate
      case 4: {                                                                 // duplicate a line
        auto start = text.rfind('\n', pos);
        start = start == std::string::npos ? 0 : start + 1;
        auto end = text.find('\n', pos);
        text.insert(start,
                    text.substr(start, end == std::string::npos ? std::string::npos : end - start + 1));
        break;
      }
      default: { // replace a digit run with an extreme number
        if (std::isdigit(static_cast<unsigned char>(text[pos])))
          text.replace(pos, 1, rng() % 2 ? "-100000" : "1e300");
      }
    }
  }
  return text;
}

TEST(ConfigLoaderFuzz, MutatedFilesNeverCrashAndAlwaysAnswer) {
  const auto base = shipped_texts();
  std::vector<std::string> names;
  for (const auto& [n, t] : base)
    names.push_back(n);
  std::mt19937 rng(20261121);
  std::clock_t start = std::clock();  // CPU time: the bound does not depend on machine load
  int configs = 0, rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    auto files = base;
    auto& target = files[names[rng() % names.size()]];
    target = mutate(target, rng);
    load_result r;
    ASSERT_NO_THROW(r = load_config_layers({{"fuzz", files}})) << "iteration " << i;
    ASSERT_NE(r.config.has_value(), r.errors() > 0) << "iteration " << i;
    if (r.config) {
      ++configs;
      EXPECT_EQ(r.hash.size(), 16u);
    } else {
      ++rejected;
      for (const auto& issue : r.issues)
        ASSERT_FALSE(issue.check.empty());
    }
    if (std::clock() - start > 15 * CLOCKS_PER_SEC)
      break; // about 3 s of CPU normally; bounded under sanitizers too. The count is printed below
  }
  std::cout << "fuzz: " << configs << " accepted, " << rejected << " rejected\n";
  EXPECT_GT(rejected, 0);
}

TEST(ConfigLoaderFuzz, OverlayMutationsNeverCrash) {
  const auto base = shipped_texts();
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::string overlay =
      mutate("[risk]\nstop_loss_pct = 9.0\n[themes.new]\nsymbols = [\"BTC-USD\"]\nmax_pct = 6\n", rng);
    load_result r;
    ASSERT_NO_THROW(r = load_config_layers(
                      {{"config", base}, {"p", {{"policy.toml", overlay}, {"universe.toml", overlay}}}}));
    ASSERT_NE(r.config.has_value(), r.errors() > 0);
  }
}

} // namespace
} // namespace trader::config
