#pragma once
// Balances per user and currency: available and on hold. Holds are taken when an order is
// placed, consumed by its fills and released when it ends.

#include "tools/simex/engine/types.hpp"

#include <map>
#include <string>
#include <string_view>

namespace trader::simex {

/// One currency account of one user; total = available + hold.
struct balance {
  amount available;
  amount hold;
};

/// Every user's balances.
class accounts {
public:
  /// Adds to available (negative withdraws, never below zero).
  void deposit(std::string_view user, std::string_view currency, amount a);
  /// Moves a from available to hold; false (nothing moved) when available < a.
  bool place_hold(std::string_view user, std::string_view currency, amount a);
  /// Moves up to a from hold back to available.
  void release_hold(std::string_view user, std::string_view currency, amount a);
  /// Removes up to a from hold (it was spent).
  void spend_hold(std::string_view user, std::string_view currency, amount a);
  /// Adds a to available (proceeds of a fill).
  void credit(std::string_view user, std::string_view currency, amount a);
  /// The balance, or nullptr when the user never held that currency.
  const balance* find(std::string_view user, std::string_view currency) const;
  /// All currencies of a user, sorted by currency; nullptr for an unknown user.
  const std::map<std::string, balance, std::less<>>* of(std::string_view user) const;
  /// Deterministic UUID text of an account (same user and currency → same id).
  static std::string account_uuid(std::string_view user, std::string_view currency);

private:
  balance& at(std::string_view user, std::string_view currency);
  std::map<std::string, std::map<std::string, balance, std::less<>>, std::less<>> users_;
};

} // namespace trader::simex
