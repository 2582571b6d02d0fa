#include "runtime/persistence/inspect.hpp"

#include "runtime/clock.hpp"
#include "runtime/persistence/state_store.hpp"

#include <nlohmann/json.hpp>

#include <sstream>

namespace trader::persistence {

result<store_inspection> inspect(const state_store& store, std::size_t fills) {
  store_inspection x;
  x.dir = store.dir();
  x.schema_version = store.schema_version();
  x.map_size = store.map_size();
  auto fail = [](const store_error& e) { return result<store_inspection>(e); };
  auto counts = store.counts();
  if (!counts)
    return fail(counts.error());
  x.counts = *counts;
  auto gate = store.get_gate();
  if (!gate)
    return fail(gate.error());
  x.gate = *gate;
  auto positions = store.list<position_record>();
  if (!positions)
    return fail(positions.error());
  x.positions = *positions;
  auto open = store.list_open_orders();
  if (!open)
    return fail(open.error());
  x.open_orders = *open;
  auto last = store.last_fills(fills);
  if (!last)
    return fail(last.error());
  x.last_fills = *last;
  auto total = store.get_pnl(pnl_total_key);
  if (!total)
    return fail(total.error());
  x.pnl_total = *total;
  auto hwm = store.get_nav_high_water();
  if (!hwm)
    return fail(hwm.error());
  x.nav_high_water = *hwm;
  auto cd = store.list<cooldown_record>();
  if (!cd)
    return fail(cd.error());
  x.cooldowns = *cd;
  auto bans = store.list<ban_record>();
  if (!bans)
    return fail(bans.error());
  x.bans = *bans;
  return x;
}

namespace {

std::string ts(ts_ns t) { return t == 0 ? "-" : format_rfc3339(t); }

nlohmann::ordered_json order_json(const order_record& o) {
  return {{"client_order_id", o.id.value},     {"product", o.product.value},
          {"side", to_string(o.side)},         {"type", to_string(o.kind)},
          {"limit_price", to_string(o.limit_px)}, {"size", to_string(o.qty)},
          {"filled_size", to_string(o.filled_qty)}, {"exchange_order_id", o.exchange_id.value},
          {"state", to_string(o.status)},      {"reduce_only", o.reduce_only},
          {"created_at", ts(o.created_at)},    {"updated_at", ts(o.updated_at)},
          {"last_error", o.last_error}};
}

nlohmann::ordered_json fill_json(const fill_record& f) {
  return {{"trade_id", f.trade.value},   {"client_order_id", f.order.value}, {"product", f.product.value},
          {"side", to_string(f.side)},   {"price", to_string(f.px)},         {"size", to_string(f.qty)},
          {"fee", to_string(f.fee)},     {"liquidity", to_string(f.liquidity)},
          {"ts_event", ts(f.ts_event)},  {"ts_recv", ts(f.ts_recv)}};
}

} // namespace

std::string to_json_text(const store_inspection& x, int indent) {
  nlohmann::ordered_json j;
  j["dir"] = x.dir;
  j["schema_version"] = x.schema_version;
  j["map_size_bytes"] = x.map_size;
  j["counts"] = x.counts;
  if (x.gate) {
    nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
    for (const auto& r : x.gate->reasons)
      reasons.push_back({{"reason", r.reason}, {"detail", r.detail}, {"since", ts(r.since)}});
    j["gate"] = {{"open", x.gate->open}, {"reasons", reasons}, {"updated_at", ts(x.gate->updated_at)}};
  } else {
    j["gate"] = nullptr;
  }
  j["positions"] = nlohmann::ordered_json::array();
  for (const auto& p : x.positions)
    j["positions"].push_back({{"product", p.product.value}, {"size", to_string(p.qty)},
                              {"avg_entry", to_string(p.avg_entry)}, {"fees", to_string(p.fees)},
                              {"realized_pnl", to_string(p.realized_pnl)}, {"updated_at", ts(p.updated_at)}});
  j["open_orders"] = nlohmann::ordered_json::array();
  for (const auto& o : x.open_orders)
    j["open_orders"].push_back(order_json(o));
  j["last_fills"] = nlohmann::ordered_json::array();
  for (const auto& f : x.last_fills)
    j["last_fills"].push_back(fill_json(f));
  if (x.pnl_total)
    j["pnl_total"] = {{"realized", to_string(x.pnl_total->realized)}, {"fees", to_string(x.pnl_total->fees)},
                      {"fills", x.pnl_total->fills}};
  else
    j["pnl_total"] = nullptr;
  if (x.nav_high_water)
    j["nav_high_water"] = {{"nav", to_string(x.nav_high_water->nav)}, {"at", ts(x.nav_high_water->at)}};
  else
    j["nav_high_water"] = nullptr;
  j["cooldowns"] = nlohmann::ordered_json::array();
  for (const auto& c : x.cooldowns)
    j["cooldowns"].push_back({{"product", c.product.value}, {"until", ts(c.until)}, {"reason", c.reason}});
  j["bans"] = nlohmann::ordered_json::array();
  for (const auto& b : x.bans)
    j["bans"].push_back({{"product", b.product.value}, {"reason", b.reason}, {"banned_at", ts(b.banned_at)},
                         {"expires_at", ts(b.expires_at)}});
  return j.dump(indent);
}

std::string to_text(const store_inspection& x) {
  std::ostringstream out;
  out << "state store " << x.dir << " (schema " << x.schema_version << ", map " << (x.map_size >> 20) << " MiB)\n";
  out << "records:";
  for (const auto& [db, n] : x.counts)
    out << " " << db << "=" << n;
  out << "\n";
  if (!x.gate) {
    out << "gate: (never persisted)\n";
  } else {
    out << "gate: " << (x.gate->open ? "OPEN" : "CLOSED") << " (updated " << ts(x.gate->updated_at) << ")\n";
    for (const auto& r : x.gate->reasons)
      out << "  reason " << r.reason << " since " << ts(r.since) << (r.detail.empty() ? "" : ": " + r.detail)
          << "\n";
  }
  out << "positions (" << x.positions.size() << "):\n";
  for (const auto& p : x.positions)
    out << "  " << p.product.value << " size=" << to_string(p.qty) << " avg_entry=" << to_string(p.avg_entry)
        << " fees=" << to_string(p.fees) << " realized=" << to_string(p.realized_pnl) << "\n";
  out << "open orders (" << x.open_orders.size() << "):\n";
  for (const auto& o : x.open_orders)
    out << "  " << o.id.value << " " << o.product.value << " " << to_string(o.side) << " " << to_string(o.kind)
        << " size=" << to_string(o.qty) << " px=" << to_string(o.limit_px) << " state=" << to_string(o.status)
        << (o.exchange_id.empty() ? "" : " exchange_id=" + o.exchange_id.value) << "\n";
  out << "last fills (" << x.last_fills.size() << "):\n";
  for (const auto& f : x.last_fills)
    out << "  " << ts(f.ts_recv) << " " << f.trade.value << " " << f.product.value << " " << to_string(f.side)
        << " " << to_string(f.qty) << " @ " << to_string(f.px) << " fee=" << to_string(f.fee) << "\n";
  if (x.pnl_total)
    out << "pnl total: realized=" << to_string(x.pnl_total->realized) << " fees=" << to_string(x.pnl_total->fees)
        << " fills=" << x.pnl_total->fills << "\n";
  if (x.nav_high_water)
    out << "nav high-water: " << to_string(x.nav_high_water->nav) << " at " << ts(x.nav_high_water->at) << "\n";
  if (!x.cooldowns.empty() || !x.bans.empty())
    out << "cooldowns: " << x.cooldowns.size() << ", bans: " << x.bans.size() << "\n";
  return out.str();
}

} // namespace trader::persistence
