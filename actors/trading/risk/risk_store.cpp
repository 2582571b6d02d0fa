#include "actors/trading/risk/risk_store.hpp"

#include "runtime/persistence/state_store.hpp"

namespace trader::risk {

namespace {

class state_risk_store final : public risk_store {
public:
  state_risk_store(std::shared_ptr<persistence::state_store> s, std::string why) : store_(std::move(s)), why_(std::move(why)) {}

  std::optional<std::string> load(const std::string& name, std::string* why) override {
    if (!store_) {
      *why = "state store unavailable: " + why_;
      return std::nullopt;
    }
    auto r = store_->get<persistence::risk_record>(name);
    if (!r) {
      *why = r.error().describe();
      return std::nullopt;
    }
    why->clear();
    if (!*r)
      return std::nullopt;
    return (*r)->json;
  }

  std::string save(const std::string& name, const std::string& json, ts_ns now) override {
    if (!store_)
      return "state store unavailable: " + why_;
    auto r = store_->put(persistence::risk_record{name, json, now});
    return r ? std::string{} : r.error().describe();
  }

  std::string save_all(const std::vector<std::pair<std::string, std::string>>& records, ts_ns now) override {
    if (!store_)
      return "state store unavailable: " + why_;
    persistence::write_batch b;
    for (const auto& [name, json] : records)
      b.put(persistence::risk_record{name, json, now});
    auto r = store_->commit(b);
    return r ? std::string{} : r.error().describe();
  }

private:
  std::shared_ptr<persistence::state_store> store_;
  std::string why_;
};

} // namespace

std::shared_ptr<risk_store> make_risk_store(std::shared_ptr<persistence::state_store> store, std::string why) {
  return std::make_shared<state_risk_store>(std::move(store), std::move(why));
}

} // namespace trader::risk
