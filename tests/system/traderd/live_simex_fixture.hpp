#pragma once
// traderd in LIVE against a simex of its own: a fresh EC key (simex knows its public half),
// app.toml pointing at simex, and 25 h of PAPER recorded for the trading hash so LIVE's
// min_paper_hours (24) lets it start. Shared by the orders and kill-loop system tests.

#include "actors/exchange/coinbase/coinbase_rest.hpp"
#include "runtime/config/loader.hpp"
#include "runtime/net/api_key.hpp"
#include "runtime/net/test_pki.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tests/system/traderd/traderd_fixture.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace trader::test {

class live_simex_fixture : public traderd_fixture {
protected:
  explicit live_simex_fixture(std::string key) : key_name(std::move(key)) {}

  void SetUp() override {
    traderd_fixture::SetUp();
    private_pem = net::testing::generate_ec_key_pem();
    auto key = net::api_key::from_pem(key_name, private_pem);
    ASSERT_TRUE(key);
    api_key = std::make_shared<const net::api_key>(*key);
    write_file(dir / "key.pub.pem", key->public_key_pem());
    simex = std::make_unique<trader::testing::simex_process>(
      std::vector<std::string>{"--api-key", key_name + "=" + (dir / "key.pub.pem"), "--log-file", "-"});
    write_app("mode = \"LIVE\"\nread_only = false\n",
              "[metrics]\nenabled = false\n[live]\nmin_paper_hours = 24.0\n"
                + exchange_table(simex->rest(), simex->ws()));
    auto loaded = config::load_config_dir(cfg);
    ASSERT_TRUE(loaded.ok());
    auto store = persistence::open_store(dir / "state");
    ASSERT_TRUE(store) << store.error().describe();
    ASSERT_TRUE((*store)->add_config_runtime(loaded.trading_hash, false, 25 * 3600, 1));
  }

  /// The daemon's credentials in its environment, test hooks on, plus extra_env.
  std::vector<std::string> live_env(const std::vector<std::string>& extra_env) const {
    std::vector<std::string> env{"COINBASE_API_KEY_NAME=" + key_name, "COINBASE_API_PRIVATE_KEY=" + private_pem,
                                 "TRADER_TEST_HOOKS=1"};
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    return env;
  }

  /// simex's REST API with the daemon's key (what an operator's other client would do).
  exchange::coinbase_rest rest() const {
    exchange::rest_options o;
    o.base_url = simex->rest();
    o.credentials = api_key;
    o.request_timeout = std::chrono::milliseconds(2000);
    return exchange::coinbase_rest(o);
  }

  std::string key_name;
  std::string private_pem;
  std::shared_ptr<const net::api_key> api_key;
  std::unique_ptr<trader::testing::simex_process> simex;
};

} // namespace trader::test
