// Private account endpoints: accounts list/get and the fee tier summary.

#include "tools/simex/api/rest_internal.hpp"

#include <algorithm>

namespace trader::simex::rest {

namespace {

bool is_fiat(std::string_view ccy) {
  return ccy == "USD" || ccy == "EUR" || ccy == "GBP";
}

void write_account(json_out& j, std::string_view user, const std::string& ccy, const balance& b) {
  const std::string uuid = accounts::account_uuid(user, ccy);
  j.begin_object().kv("uuid", uuid).kv("name", ccy + " Wallet").kv("currency", ccy);
  j.key("available_balance").begin_object().kd("value", b.available).kv("currency", ccy).end_object();
  j.kb("default", is_fiat(ccy)).kb("active", true);
  j.kv("created_at", "2024-01-01T00:00:00Z").kv("updated_at", "2024-01-01T00:00:00Z").key("deleted_at").null();
  j.kv("type", is_fiat(ccy) ? "ACCOUNT_TYPE_FIAT" : "ACCOUNT_TYPE_CRYPTO").kb("ready", true);
  j.key("hold").begin_object().kd("value", b.hold).kv("currency", ccy).end_object();
  j.kv("retail_portfolio_id", accounts::account_uuid(user, "")).kv("platform", "ACCOUNT_PLATFORM_CONSUMER");
  j.end_object();
}

} // namespace

void list_accounts(exchange& ex, std::string_view user, const rest_request& req, http_reply& out) {
  auto limit = int_param(req.query, "limit", 49);
  auto cursor = int_param(req.query, "cursor", 0);
  if (!limit || !cursor)
    return bad_request(out, "limit and cursor must be non-negative integers");
  const std::int64_t lim = std::clamp<std::int64_t>(*limit == 0 ? 49 : *limit, 1, 250);
  const auto* all = ex.ledger().of(user);
  json_out j{out.body};
  j.begin_object().key("accounts").begin_array();
  std::int64_t i = 0, n = 0;
  bool more = false;
  if (all != nullptr) {
    for (const auto& [ccy, b] : *all) {
      if (i++ < *cursor)
        continue;
      if (n == lim) {
        more = true;
        break;
      }
      write_account(j, user, ccy, b);
      ++n;
    }
  }
  j.end_array().kb("has_next", more).kv("cursor", more ? std::to_string(*cursor + n) : std::string{});
  j.key("size").num(n).end_object();
}

void key_permissions(std::string_view user, http_reply& out) {
  json_out j{out.body};
  j.begin_object().kb("can_view", true).kb("can_trade", true).kb("can_transfer", false);
  j.kv("portfolio_uuid", accounts::account_uuid(user, "")).kv("portfolio_type", "DEFAULT").end_object();
}

void get_account(exchange& ex, std::string_view user, std::string_view uuid, http_reply& out) {
  if (const auto* all = ex.ledger().of(user)) {
    for (const auto& [ccy, b] : *all) {
      if (accounts::account_uuid(user, ccy) == uuid) {
        json_out j{out.body};
        j.begin_object().key("account");
        write_account(j, user, ccy, b);
        j.end_object();
        return;
      }
    }
  }
  error(out, 404, "NOT_FOUND", "account not found");
}

void transaction_summary(exchange& ex, std::string_view user, ts_ns now, http_reply& out) {
  fee_summary s = ex.fees_of(user, now);
  std::string vol, fees;
  append_decimal(vol, s.volume_30d.units);
  append_decimal(fees, s.fees_30d.units);
  json_out j{out.body};
  j.begin_object().key("total_volume").raw(vol).key("total_fees").raw(fees);
  j.key("fee_tier").begin_object().kv("pricing_tier", s.tier->name).kd("usd_from", s.tier->usd_from);
  if (s.tier->usd_to.is_zero())
    j.kv("usd_to", "");
  else
    j.kd("usd_to", s.tier->usd_to);
  j.kd("taker_fee_rate", s.tier->taker).kd("maker_fee_rate", s.tier->maker).kv("aop_from", "").kv("aop_to", "");
  j.end_object().key("margin_rate").null().key("goods_and_services_tax").null();
  // ccxt's sample says advanced_trade_only_volume, the Python SDK type ..._volumes: send both.
  j.key("advanced_trade_only_volume").raw(vol).key("advanced_trade_only_volumes").raw(vol);
  j.key("advanced_trade_only_fees").raw(fees);
  j.key("coinbase_pro_volume").num(0).key("coinbase_pro_fees").num(0).kv("total_balance", "");
  j.kb("has_promo_fee", false).end_object();
}

} // namespace trader::simex::rest
