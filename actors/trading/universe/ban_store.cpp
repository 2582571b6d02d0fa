#include "actors/trading/universe/ban_store.hpp"

#include "runtime/persistence/state_store.hpp"

namespace trader::universe {

namespace {

class state_ban_store final : public ban_store {
public:
  state_ban_store(std::shared_ptr<persistence::state_store> s, std::string why)
    : store_(std::move(s)), why_(std::move(why)) {}

  std::optional<std::map<std::string, signals::ban>> load(std::string* why) override {
    if (!store_) {
      *why = "state store unavailable: " + why_;
      return std::nullopt;
    }
    auto r = store_->list<persistence::ban_record>();
    if (!r) {
      *why = r.error().describe();
      return std::nullopt;
    }
    why->clear();
    std::map<std::string, signals::ban> out;
    for (const auto& b : *r)
      out[b.product.value] = signals::ban{b.expires_at, b.reason};
    return out;
  }

  std::string save(const std::string& p, const signals::ban& b, ts_ns now) override {
    if (!store_)
      return "state store unavailable: " + why_;
    auto r = store_->put(persistence::ban_record{product_id{p}, b.reason, now, b.until});
    return r ? std::string{} : r.error().describe();
  }

  std::string erase(const std::string& p) override {
    if (!store_)
      return "state store unavailable: " + why_;
    persistence::write_batch batch;
    batch.erase_ban(product_id{p});
    auto r = store_->commit(batch);
    return r ? std::string{} : r.error().describe();
  }

private:
  std::shared_ptr<persistence::state_store> store_;
  std::string why_;
};

} // namespace

std::shared_ptr<ban_store> make_ban_store(std::shared_ptr<persistence::state_store> store, std::string why) {
  return std::make_shared<state_ban_store>(std::move(store), std::move(why));
}

} // namespace trader::universe
