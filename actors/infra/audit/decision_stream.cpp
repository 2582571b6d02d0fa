#include "actors/infra/audit/decision_stream.hpp"

#include "runtime/config/config_hash.hpp"

#include <nlohmann/json.hpp>

namespace trader::audit {

namespace {

using ojson = nlohmann::ordered_json;

std::string str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null())
    return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

bool flag(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

ojson intent_of(const nlohmann::json& i) {
  return ojson{{"product", str(i, "product")},   {"side", str(i, "side")},
               {"type", str(i, "type")},         {"tif", str(i, "tif")},
               {"limit_px", str(i, "limit_px")}, {"base_size", str(i, "base_size")},
               {"quote_size", str(i, "quote_size")}, {"post_only", flag(i, "post_only")},
               {"reduce_only", flag(i, "reduce_only")}};
}

} // namespace

std::optional<std::string> decision_line(std::string_view kind, const nlohmann::json& p) {
  if (!p.is_object())
    return std::nullopt;
  if (kind == "risk_verdict") {
    ojson d{{"d", "verdict"},           {"strategy", str(p, "strategy")}, {"product", str(p, "product")},
            {"side", str(p, "side")},   {"kind", str(p, "kind")},         {"target", str(p, "target")},
            {"approved", flag(p, "approved")}};
    auto checks = ojson::array();
    if (auto r = p.find("rejections"); r != p.end() && r->is_array())
      for (const auto& x : *r)
        checks.push_back(x.is_object() ? str(x, "check") : std::string{});
    d["checks"] = checks;
    if (flag(p, "approved"))
      if (auto i = p.find("intent"); i != p.end() && i->is_object())
        d["intent"] = intent_of(*i);
    return d.dump();
  }
  if (kind == "risk_exit" && flag(p, "sent")) {
    auto i = p.find("intent");
    return ojson{{"d", "exit"}, {"kind", str(p, "kind")},
                 {"intent", i != p.end() && i->is_object() ? intent_of(*i) : ojson::object()}}
      .dump();
  }
  return std::nullopt;
}

const std::string& decision_chain::add(const std::string& line) {
  hash_ = config::sha256_hex(hash_ + "\n" + line);
  ++seq_;
  return hash_;
}

bool stamp_decision(decision_chain& c, std::string_view kind, nlohmann::json& payload) {
  auto line = decision_line(kind, payload);
  if (!line)
    return false;
  c.add(*line);
  payload["decision_seq"] = c.seq();
  payload["decision_hash"] = c.hash();
  return true;
}

} // namespace trader::audit
