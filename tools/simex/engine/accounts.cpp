#include "tools/simex/engine/accounts.hpp"

#include "tools/simex/engine/ids.hpp"

#include <algorithm>

namespace trader::simex {

balance& accounts::at(std::string_view user, std::string_view currency) {
  auto u = users_.find(user);
  if (u == users_.end())
    u = users_.emplace(std::string{user}, std::map<std::string, balance, std::less<>>{}).first;
  auto c = u->second.find(currency);
  if (c == u->second.end())
    c = u->second.emplace(std::string{currency}, balance{}).first;
  return c->second;
}

void accounts::deposit(std::string_view user, std::string_view currency, amount a) {
  auto& b = at(user, currency);
  b.available += a;
  if (b.available.is_negative())
    b.available = amount{};
}

bool accounts::place_hold(std::string_view user, std::string_view currency, amount a) {
  auto& b = at(user, currency);
  if (b.available < a)
    return false;
  b.available -= a;
  b.hold += a;
  return true;
}

void accounts::release_hold(std::string_view user, std::string_view currency, amount a) {
  auto& b = at(user, currency);
  a = std::min(a, b.hold);
  b.hold -= a;
  b.available += a;
}

void accounts::spend_hold(std::string_view user, std::string_view currency, amount a) {
  auto& b = at(user, currency);
  b.hold -= std::min(a, b.hold);
}

void accounts::credit(std::string_view user, std::string_view currency, amount a) {
  at(user, currency).available += a;
}

const balance* accounts::find(std::string_view user, std::string_view currency) const {
  auto u = users_.find(user);
  if (u == users_.end())
    return nullptr;
  auto c = u->second.find(currency);
  return c == u->second.end() ? nullptr : &c->second;
}

const std::map<std::string, balance, std::less<>>* accounts::of(std::string_view user) const {
  auto u = users_.find(user);
  return u == users_.end() ? nullptr : &u->second;
}

std::string accounts::account_uuid(std::string_view user, std::string_view currency) {
  std::string key{user};
  key.push_back('/');
  key.append(currency);
  return uuid_from_hash(key);
}

} // namespace trader::simex
