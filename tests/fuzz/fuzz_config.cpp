// Fuzz target: the configuration loader (runtime/config/loader.hpp): TOML parsing, the
// schema, the sanity checks and the hashes, from memory. The base is the smallest valid
// configuration (tests/fuzz/config_base/: the required keys and nothing else); the first
// byte picks which of its five files the rest of the input replaces (0–4), or (5) whether
// the input is an overlay layer's file over the intact base, as a profile is. The shipped
// config/ and profiles/ files reach the loader as seed inputs (corpus shipped-*, profile-*).
// With the shipped 26 KB as the base, each execution parsed and checked the four files it
// did not change again: 300 executions per second, 9 hours for 10 M (docs/quality.md).
#include "runtime/config/loader.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

using namespace trader::config;

namespace {

const std::map<std::string, std::string>& base() {
  static const std::map<std::string, std::string> files = [] {
    std::map<std::string, std::string> out;
    for (const auto& name : config_file_names()) {
      std::ifstream in(std::string(TRADER_FUZZ_CONFIG_DIR) + "/" + name);
      if (!in)
        std::abort();
      std::stringstream ss;
      ss << in.rdbuf();
      out[name] = ss.str();
    }
    // A base that does not load would make every input an error: nothing past the schema
    // would be reached. Fail the run (and the replay test) instead.
    if (!load_config_texts(out, "fuzz-base").ok())
      std::abort();
    return out;
  }();
  return files;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const auto& names = config_file_names();
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::size_t pick = data[0] % (names.size() + 1);
  load_result r;
  if (pick < names.size()) {
    auto files = base();
    files[names[pick]] = text;
    r = load_config_texts(files, "fuzz");
  } else {
    std::vector<config_layer> layers{{"config", base()}, {"profile", {{names[data[0] % names.size()], text}}}};
    r = load_config_layers(layers);
  }
  // Exactly one of: a config, or at least one error.
  if (r.ok() == (r.errors() > 0))
    std::abort();
  if (r.ok() && r.hash.size() != 16)
    std::abort();
  return 0;
}
