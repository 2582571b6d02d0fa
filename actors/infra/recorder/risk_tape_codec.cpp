// risk_tape's line format: {"t":NS,"k":KIND,"v":{…}}. Fixed-point numbers as their 10^-8
// units (exact, compact), enums as their numeric values, times in ns.
#include "actors/infra/recorder/risk_tape.hpp"

#include <nlohmann/json.hpp>

namespace trader::recorder {

namespace {

using json = nlohmann::json;

template <class Tag>
std::int64_t u(fixed<Tag> x) {
  return x.units;
}
template <class E>
int e(E x) {
  return static_cast<int>(x);
}

// -- encode -----------------------------------------------------------------------------------

json reasons_json(const std::vector<gate_reason_entry>& rs) {
  auto a = json::array();
  for (const auto& r : rs)
    a.push_back({{"r", e(r.reason)}, {"d", r.detail}, {"s", r.since}, {"src", r.source}, {"p", r.product}});
  return a;
}

json levels_json(const std::vector<book_level>& ls) {
  auto a = json::array();
  for (const auto& l : ls)
    a.push_back({u(l.px), u(l.qty)});
  return a;
}

json product_json(const product_info& p) {
  return {{"p", p.product.value}, {"b", p.base_currency},  {"q", p.quote_currency}, {"pi", u(p.price_increment)},
          {"bi", u(p.base_increment)}, {"bmin", u(p.base_min_size)}, {"bmax", u(p.base_max_size)},
          {"qmin", u(p.quote_min_size)}, {"qmax", u(p.quote_max_size)}, {"st", e(p.state)}, {"raw", p.raw_status},
          {"f", p.fetched}, {"l", p.listed_at}};
}

struct encoder {
  json operator()(const tape_start& s) const {
    return {{"ver", tape_version}, {"cfg", s.config_dir}, {"hash", s.config_hash}, {"gate", reasons_json(s.gate)},
            {"pacing", s.pacing}, {"exits", s.exits}, {"plans", s.plans}, {"pyramid", s.pyramid}, {"loss", s.loss},
            {"clear_startup", s.clear_startup_on_reconcile}};
  }
  json operator()(const trade_proposal& p) const {
    return {{"id", p.proposal_id}, {"s", p.strategy}, {"p", p.product.value}, {"dir", e(p.dir)}, {"kind", e(p.kind)},
            {"target", u(p.target)}, {"px", u(p.limit_px)}, {"why", p.rationale}, {"cycle", p.cycle}, {"ts", p.ts},
            {"x", {p.exits.stop_loss_pct, p.exits.take_profit_pct, p.exits.stop_loss_atr, p.exits.take_profit_atr,
                   u(p.exits.atr)}},
            {"conf", p.confidence}, {"regime", p.regime}, {"mult", p.size_multiplier}};
  }
  json operator()(const portfolio_update& x) const {
    auto pos = json::array();
    for (const auto& p : x.positions)
      pos.push_back({{"p", p.product.value}, {"s", p.strategy}, {"qty", u(p.qty)}, {"avg", u(p.avg_entry)},
                     {"real", u(p.realized)}, {"fills", p.fills}, {"open", p.opened_at}, {"upd", p.updated_at}});
    auto work = json::array();
    for (const auto& w : x.working)
      work.push_back({{"id", w.id.value}, {"p", w.product.value}, {"s", w.strategy}, {"dir", e(w.dir)},
                      {"ro", w.reduce_only}, {"rq", u(w.remaining_qty)}, {"rem", u(w.remaining)}, {"st", e(w.state)}});
    return {{"ver", x.version}, {"cash", u(x.cash)}, {"pos", pos}, {"work", work}, {"rd", u(x.realized_day)},
            {"rw", u(x.realized_week)}, {"rt", u(x.realized_total)}, {"fees", u(x.fees_total)},
            {"hw", u(x.high_water)}, {"hwt", x.high_water_at}, {"rec", x.reconciled}, {"ts", x.ts}};
  }
  json operator()(const quote& q) const {
    return {{"p", q.product.value}, {"b", u(q.bid)}, {"a", u(q.ask)}, {"bs", u(q.bid_size)}, {"as", u(q.ask_size)},
            {"l", u(q.last)}, {"seq", q.sequence}, {"te", q.ts_event}, {"tr", q.ts_recv}};
  }
  json operator()(const book_update& b) const {
    return {{"p", b.product.value}, {"snap", b.is_snapshot}, {"b", levels_json(b.bids)}, {"a", levels_json(b.asks)},
            {"seq", b.sequence}, {"te", b.ts_event}, {"tr", b.ts_recv}};
  }
  json operator()(const tape_drop_book& d) const { return {{"p", d.product.value}}; }
  json operator()(const product_status& s) const {
    return {{"p", s.product.value}, {"st", e(s.state)}, {"te", s.ts_event}, {"tr", s.ts_recv}};
  }
  json operator()(const tape_products& l) const {
    auto a = json::array();
    for (const auto& p : l.products)
      a.push_back(product_json(p));
    return {{"list", a}};
  }
  json operator()(const fee_tier& f) const {
    return {{"tier", f.tier}, {"maker", f.maker_rate}, {"taker", f.taker_rate}, {"vol", u(f.volume_30d)},
            {"f", f.fetched}};
  }
  json operator()(const tape_clock& c) const { return {{"off", c.offset_ns}}; }
  json operator()(const gate_conditions& c) const {
    auto a = json::array();
    for (const auto& x : c.active)
      a.push_back({{"r", e(x.reason)}, {"p", x.product}, {"d", x.detail}});
    return {{"src", c.source}, {"active", a}, {"ts", c.ts}};
  }
  json operator()(const gate_signal& s) const {
    return {{"r", e(s.reason)}, {"on", s.active}, {"d", s.detail}, {"src", s.source}, {"ts", s.ts}, {"p", s.product}};
  }
  json operator()(const resume_gate& r) const { return {{"r", e(r.reason)}, {"by", r.by}, {"force", r.force}}; }
  json operator()(const tape_config& c) const { return {{"hash", c.hash}}; }
  json operator()(const tape_tick&) const { return json::object(); }
  json operator()(const tape_exit_failed& x) const { return {{"p", x.product.value}}; }
  json operator()(const tape_decision& d) const { return {{"line", d.line}}; }
};

struct namer {
  std::string_view operator()(const tape_start&) const { return "start"; }
  std::string_view operator()(const trade_proposal&) const { return "proposal"; }
  std::string_view operator()(const portfolio_update&) const { return "portfolio"; }
  std::string_view operator()(const quote&) const { return "quote"; }
  std::string_view operator()(const book_update&) const { return "book"; }
  std::string_view operator()(const tape_drop_book&) const { return "drop_book"; }
  std::string_view operator()(const product_status&) const { return "status"; }
  std::string_view operator()(const tape_products&) const { return "products"; }
  std::string_view operator()(const fee_tier&) const { return "fees"; }
  std::string_view operator()(const tape_clock&) const { return "clock"; }
  std::string_view operator()(const gate_conditions&) const { return "gate_conditions"; }
  std::string_view operator()(const gate_signal&) const { return "gate_signal"; }
  std::string_view operator()(const resume_gate&) const { return "resume"; }
  std::string_view operator()(const tape_config&) const { return "config"; }
  std::string_view operator()(const tape_tick&) const { return "tick"; }
  std::string_view operator()(const tape_exit_failed&) const { return "exit_failed"; }
  std::string_view operator()(const tape_decision&) const { return "decision"; }
};

// -- decode -----------------------------------------------------------------------------------
// Each reader throws json::exception (missing key, wrong type) or std::out_of_range (an enum
// value beyond the enum); decode() turns either into the error.

template <class T>
T fx(const json& j, const char* k) {
  return T::from_units(j.at(k).get<std::int64_t>());
}
template <class E>
E en(const json& j, const char* k, E last) {
  const int v = j.at(k).get<int>();
  if (v < 0 || v > static_cast<int>(last))
    throw std::out_of_range(std::string{"enum value out of range: "} + k);
  return static_cast<E>(v);
}
std::string str(const json& j, const char* k) { return j.at(k).get<std::string>(); }

std::vector<gate_reason_entry> reasons_of(const json& a) {
  std::vector<gate_reason_entry> out;
  for (const auto& r : a)
    out.push_back(gate_reason_entry{en(r, "r", last_gate_reason), str(r, "d"), r.at("s").get<ts_ns>(), str(r, "src"),
                                    str(r, "p")});
  return out;
}

std::vector<book_level> levels_of(const json& a) {
  std::vector<book_level> out;
  for (const auto& l : a)
    out.push_back(book_level{price::from_units(l.at(0).get<std::int64_t>()), size::from_units(l.at(1).get<std::int64_t>())});
  return out;
}

tape_payload payload_of(std::string_view k, const json& v) {
  if (k == "start") {
    if (v.at("ver").get<int>() != tape_version)
      throw std::out_of_range("tape version " + v.at("ver").dump() + " (this build reads " +
                              std::to_string(tape_version) + ")");
    return tape_start{str(v, "cfg"), str(v, "hash"), reasons_of(v.at("gate")), str(v, "pacing"), str(v, "exits"),
                      str(v, "plans"), str(v, "pyramid"), str(v, "loss"), v.at("clear_startup").get<bool>()};
  }
  if (k == "proposal") {
    trade_proposal p;
    p.proposal_id = str(v, "id");
    p.strategy = str(v, "s");
    p.product = product_id{str(v, "p")};
    p.dir = en(v, "dir", side::sell);
    p.kind = en(v, "kind", proposal_kind::close);
    p.target = fx<notional>(v, "target");
    p.limit_px = fx<price>(v, "px");
    p.rationale = str(v, "why");
    p.cycle = v.at("cycle").get<std::int64_t>();
    p.ts = v.at("ts").get<ts_ns>();
    const auto& x = v.at("x");
    p.exits = exit_plan{x.at(0).get<double>(), x.at(1).get<double>(), x.at(2).get<double>(), x.at(3).get<double>(),
                        price::from_units(x.at(4).get<std::int64_t>())};
    p.confidence = v.at("conf").get<double>();
    p.regime = str(v, "regime");
    p.size_multiplier = v.at("mult").get<double>();
    return p;
  }
  if (k == "portfolio") {
    portfolio_update x;
    x.version = v.at("ver").get<std::uint64_t>();
    x.cash = fx<notional>(v, "cash");
    for (const auto& p : v.at("pos"))
      x.positions.push_back(position_state{product_id{str(p, "p")}, str(p, "s"), fx<size>(p, "qty"), fx<price>(p, "avg"),
                                           fx<notional>(p, "real"), p.at("fills").get<std::int64_t>(),
                                           p.at("open").get<ts_ns>(), p.at("upd").get<ts_ns>()});
    for (const auto& w : v.at("work"))
      x.working.push_back(working_order{client_order_id{str(w, "id")}, product_id{str(w, "p")}, str(w, "s"),
                                        en(w, "dir", side::sell), w.at("ro").get<bool>(), fx<size>(w, "rq"),
                                        fx<notional>(w, "rem"), en(w, "st", order_state::unknown)});
    x.realized_day = fx<notional>(v, "rd");
    x.realized_week = fx<notional>(v, "rw");
    x.realized_total = fx<notional>(v, "rt");
    x.fees_total = fx<notional>(v, "fees");
    x.high_water = fx<notional>(v, "hw");
    x.high_water_at = v.at("hwt").get<ts_ns>();
    x.reconciled = v.at("rec").get<bool>();
    x.ts = v.at("ts").get<ts_ns>();
    return x;
  }
  if (k == "quote") {
    quote q{};
    q.product = product_id{str(v, "p")};
    q.bid = fx<price>(v, "b");
    q.ask = fx<price>(v, "a");
    q.bid_size = fx<size>(v, "bs");
    q.ask_size = fx<size>(v, "as");
    q.last = fx<price>(v, "l");
    q.sequence = v.at("seq").get<std::int64_t>();
    q.ts_event = v.at("te").get<ts_ns>();
    q.ts_recv = v.at("tr").get<ts_ns>();
    return q;
  }
  if (k == "book")
    return book_update{product_id{str(v, "p")}, v.at("snap").get<bool>(), levels_of(v.at("b")), levels_of(v.at("a")),
                       v.at("seq").get<std::int64_t>(), v.at("te").get<ts_ns>(), v.at("tr").get<ts_ns>()};
  if (k == "drop_book")
    return tape_drop_book{product_id{str(v, "p")}};
  if (k == "status")
    return product_status{product_id{str(v, "p")}, en(v, "st", product_state::delisted), v.at("te").get<ts_ns>(),
                          v.at("tr").get<ts_ns>()};
  if (k == "products") {
    tape_products l;
    for (const auto& p : v.at("list")) {
      product_info i;
      i.product = product_id{str(p, "p")};
      i.base_currency = str(p, "b");
      i.quote_currency = str(p, "q");
      i.price_increment = fx<price>(p, "pi");
      i.base_increment = fx<size>(p, "bi");
      i.base_min_size = fx<size>(p, "bmin");
      i.base_max_size = fx<size>(p, "bmax");
      i.quote_min_size = fx<notional>(p, "qmin");
      i.quote_max_size = fx<notional>(p, "qmax");
      i.state = en(p, "st", product_state::delisted);
      i.raw_status = str(p, "raw");
      i.fetched = p.at("f").get<ts_ns>();
      i.listed_at = p.at("l").get<ts_ns>();
      l.products.push_back(std::move(i));
    }
    return l;
  }
  if (k == "fees")
    return fee_tier{str(v, "tier"), v.at("maker").get<double>(), v.at("taker").get<double>(), fx<notional>(v, "vol"),
                    v.at("f").get<ts_ns>()};
  if (k == "clock")
    return tape_clock{v.at("off").get<std::int64_t>()};
  if (k == "gate_conditions") {
    gate_conditions c{str(v, "src"), {}, v.at("ts").get<ts_ns>()};
    for (const auto& x : v.at("active"))
      c.active.push_back(gate_condition{en(x, "r", last_gate_reason), str(x, "p"), str(x, "d")});
    return c;
  }
  if (k == "gate_signal")
    return gate_signal{en(v, "r", last_gate_reason), v.at("on").get<bool>(), str(v, "d"), str(v, "src"),
                       v.at("ts").get<ts_ns>(), str(v, "p")};
  if (k == "resume")
    return resume_gate{en(v, "r", last_gate_reason), str(v, "by"), v.at("force").get<bool>()};
  if (k == "config")
    return tape_config{str(v, "hash")};
  if (k == "tick")
    return tape_tick{};
  if (k == "exit_failed")
    return tape_exit_failed{product_id{str(v, "p")}};
  if (k == "decision")
    return tape_decision{str(v, "line")};
  throw std::out_of_range("unknown kind \"" + std::string{k} + "\"");
}

} // namespace

std::string_view kind_of(const tape_payload& p) { return std::visit(namer{}, p); }

std::string encode(const tape_event& ev) {
  json j{{"t", ev.t}, {"k", kind_of(ev.what)}, {"v", std::visit(encoder{}, ev.what)}};
  return j.dump() + "\n";
}

std::optional<tape_event> decode(std::string_view line, std::string& error) {
  auto j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  try {
    tape_event ev;
    ev.t = j.at("t").get<ts_ns>();
    const auto k = j.at("k").get<std::string>();
    ev.what = payload_of(k, j.at("v"));
    return ev;
  } catch (const std::exception& x) {
    error = x.what();
    return std::nullopt;
  }
}

} // namespace trader::recorder
