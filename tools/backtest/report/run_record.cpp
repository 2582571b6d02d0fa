#include "tools/backtest/report/run_record.hpp"

namespace trader::backtest {

void run_record::decision(const std::string& kind, nlohmann::json payload, ts_ns ts) {
  if (!audit::stamp_decision(chain, kind, payload))
    return;
  intent_hash = chain.hash();
  if (keep_audit)
    audit.push_back(nlohmann::ordered_json{{"ts", ts}, {"kind", kind}, {"payload", payload}}.dump());
}

} // namespace trader::backtest
