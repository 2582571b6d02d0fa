#include "tools/backtest/report/run_record.hpp"

#include "runtime/config/config_hash.hpp"

namespace trader::backtest {

void run_record::hash_line(const std::string& line) {
  intent_hash = config::sha256_hex(intent_hash + "\n" + line);
  if (keep_audit)
    audit.push_back(line);
}

} // namespace trader::backtest
