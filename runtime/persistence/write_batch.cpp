#include "runtime/persistence/write_batch.hpp"

namespace trader::persistence {

void write_batch::add(op_kind k, const char* db, std::string key, std::string value) {
  ops_.push_back(op{k, db, std::move(key), std::move(value), 0, {}, {}});
}

void write_batch::insert_order_intent(const order_record& rec) {
  add(op_kind::insert_strict, "orders", key_of(rec), encode(key_of(rec), rec));
}

void write_batch::insert_fill(const fill_record& rec) {
  add(op_kind::insert_dedupe, "fills", key_of(rec), encode(key_of(rec), rec));
}

void write_batch::put_gate(const gate_record& rec) { add(op_kind::put, "gate", gate_key, encode(gate_key, rec)); }

void write_batch::add_realized_pnl(ts_ns at, notional realized, notional fees) {
  ops_.push_back(op{op_kind::pnl_add, "pnl", {}, {}, at, realized, fees});
}

void write_batch::update_nav(notional nav, ts_ns at) {
  ops_.push_back(op{op_kind::nav, "pnl", pnl_hwm_key, {}, at, nav, {}});
}

void write_batch::erase_cooldown(const product_id& p) { add(op_kind::erase, "cooldowns", p.value, {}); }

void write_batch::erase_ban(const product_id& p) { add(op_kind::erase, "bans", p.value, {}); }

} // namespace trader::persistence
