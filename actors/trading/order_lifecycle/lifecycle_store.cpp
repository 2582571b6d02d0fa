#include "actors/trading/order_lifecycle/lifecycle_store.hpp"

#include "runtime/persistence/state_store.hpp"

namespace trader::order_lifecycle {

namespace {

class store_backend final : public lifecycle_store {
public:
  store_backend(std::shared_ptr<persistence::state_store> s, std::string why)
    : store_(std::move(s)), why_(std::move(why)) {}

  store_outcome write_ahead(const persistence::order_record& r) override {
    if (!store_)
      return store_outcome::failure("state store unavailable: " + why_);
    auto res = store_->record_order_intent(r);
    return res ? store_outcome::success() : store_outcome::failure(res.error().describe());
  }
  store_outcome update_order(const persistence::order_record& r) override {
    if (!store_)
      return store_outcome::failure("state store unavailable: " + why_);
    auto res = store_->update_order(r);
    return res ? store_outcome::success() : store_outcome::failure(res.error().describe());
  }
  store_outcome record_fill(const fill_commit& c) override {
    if (!store_)
      return store_outcome::failure("state store unavailable: " + why_);
    persistence::write_batch then;
    then.put(c.position);
    if (c.order)
      then.put(*c.order);
    then.add_realized_pnl(c.fill.ts_event, c.realized, c.fee);
    auto res = store_->record_fill(c.fill, then);
    if (!res)
      return store_outcome::failure(res.error().describe());
    return *res == persistence::fill_insert::duplicate ? store_outcome::dup() : store_outcome::success();
  }
  std::optional<std::vector<persistence::order_record>> orders(std::string* why) override {
    if (!store_) {
      *why = "state store unavailable: " + why_;
      return std::nullopt;
    }
    auto res = store_->list<persistence::order_record>();
    if (!res) {
      *why = res.error().describe();
      return std::nullopt;
    }
    return std::move(*res);
  }
  std::optional<std::vector<persistence::fill_record>> fills(std::string* why) override {
    if (!store_) {
      *why = "state store unavailable: " + why_;
      return std::nullopt;
    }
    auto res = store_->list<persistence::fill_record>();
    if (!res) {
      *why = res.error().describe();
      return std::nullopt;
    }
    return std::move(*res);
  }

  // db "risk", key "balance_baseline/<mode>" (a versioned text record beside risk's).
  std::optional<std::string> balance_baseline(const std::string& mode, std::string* why) override {
    if (!store_) {
      *why = "state store unavailable: " + why_;
      return std::nullopt;
    }
    auto res = store_->get<persistence::risk_record>("balance_baseline/" + mode);
    if (!res) {
      *why = res.error().describe();
      return std::nullopt;
    }
    return *res ? (*res)->json : std::string{};
  }
  store_outcome put_balance_baseline(const std::string& mode, const std::string& text) override {
    if (!store_)
      return store_outcome::failure("state store unavailable: " + why_);
    auto res = store_->put(persistence::risk_record{"balance_baseline/" + mode, text, 0});
    return res ? store_outcome::success() : store_outcome::failure(res.error().describe());
  }

private:
  std::shared_ptr<persistence::state_store> store_;
  std::string why_;
};

} // namespace

std::shared_ptr<lifecycle_store> make_store_backend(std::shared_ptr<persistence::state_store> store,
                                                    std::string why_unavailable) {
  return std::make_shared<store_backend>(std::move(store), std::move(why_unavailable));
}

} // namespace trader::order_lifecycle
