#pragma once
// Where the universe keeps its temporary bans so they survive a restart: the state store's
// "bans" database (persistence::ban_record, key = product id, with the expiry), or memory in
// tests. Writes are durable before save()/erase() return. No CAF.

#include "actors/trading/signals/universe_rules.hpp"
#include "messages/time.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace trader::persistence {
class state_store;
}

namespace trader::universe {

class ban_store {
public:
  virtual ~ban_store() = default;
  /// Every persisted ban by product; nullopt when the read failed (*why says why).
  virtual std::optional<std::map<std::string, signals::ban>> load(std::string* why) = 0;
  /// Saves p's ban durably (replacing any); "" when done, else why not.
  virtual std::string save(const std::string& p, const signals::ban& b, ts_ns now) = 0;
  /// Removes p's ban durably (nothing to remove is fine); "" when done, else why not.
  virtual std::string erase(const std::string& p) = 0;
};

/// The state store; store may be null (absent: load and writes fail and say why).
std::shared_ptr<ban_store> make_ban_store(std::shared_ptr<persistence::state_store> store, std::string why_unavailable);

/// In memory (tests); `fail` makes every write fail.
class memory_ban_store final : public ban_store {
public:
  std::optional<std::map<std::string, signals::ban>> load(std::string* why) override {
    if (why)
      why->clear();
    return bans;
  }
  std::string save(const std::string& p, const signals::ban& b, ts_ns) override {
    if (fail)
      return "memory ban store set to fail";
    bans[p] = b;
    return {};
  }
  std::string erase(const std::string& p) override {
    if (fail)
      return "memory ban store set to fail";
    bans.erase(p);
    return {};
  }
  std::map<std::string, signals::ban> bans;
  bool fail = false;
};

} // namespace trader::universe
