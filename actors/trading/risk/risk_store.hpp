#pragma once
// Where the risk actor keeps what must survive a restart — trade pacing, protective exits,
// loss limits — as the versioned JSON each pure class writes. The real store puts them in
// the state store's "risk" database (persistence::risk_record); memory_risk_store is for
// tests and backtest. Writes are durable before save() returns. No CAF.

#include "messages/time.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace trader::persistence {
class state_store;
}

namespace trader::risk {

/// The names risk saves under.
namespace risk_keys {
inline constexpr const char* pacing = "pacing";
inline constexpr const char* exits = "exits";
inline constexpr const char* loss_limits = "loss_limits";
inline constexpr const char* plans = "plans";  ///< Exit plans of approved entries not filled yet.
inline constexpr const char* pyramid = "pyramid";  ///< Adds per open position.
} // namespace risk_keys

class risk_store {
public:
  virtual ~risk_store() = default;
  /// What was saved under name: nullopt when nothing was, or the read failed (*why says so).
  virtual std::optional<std::string> load(const std::string& name, std::string* why) = 0;
  /// Saves json under name durably; "" when done, else why not.
  virtual std::string save(const std::string& name, const std::string& json, ts_ns now) = 0;
  /// Saves every (name, json) durably in one write — all or none; "" when done, else why not.
  /// One commit instead of one per record: an approval or an exit changes several records
  /// on the order path, and each commit is an fsync.
  virtual std::string save_all(const std::vector<std::pair<std::string, std::string>>& records, ts_ns now) = 0;
};

/// The state store; store may be null (absent: loads find nothing and say why, saves fail).
std::shared_ptr<risk_store> make_risk_store(std::shared_ptr<persistence::state_store> store, std::string why_unavailable);

/// In memory; `fail` makes every save fail.
class memory_risk_store final : public risk_store {
public:
  std::optional<std::string> load(const std::string& name, std::string* why) override {
    if (why)
      why->clear();
    auto it = saved.find(name);
    return it == saved.end() ? std::nullopt : std::optional<std::string>{it->second};
  }
  std::string save(const std::string& name, const std::string& json, ts_ns) override {
    if (fail)
      return "memory store set to fail";
    saved[name] = json;
    ++saves;
    ++commits;
    return {};
  }
  std::string save_all(const std::vector<std::pair<std::string, std::string>>& records, ts_ns) override {
    if (fail)
      return "memory store set to fail";
    for (const auto& [name, json] : records)
      saved[name] = json;
    saves += static_cast<int>(records.size());
    ++commits;
    return {};
  }
  std::map<std::string, std::string> saved;
  int saves = 0;    ///< Records written.
  int commits = 0;  ///< Writes (a save_all of several records is one).
  bool fail = false;
};

} // namespace trader::risk
