#pragma once
// The decision stream: the ordered risk verdicts and order intents of a run, reduced to one
// canonical line each, and a running hash over them — h = sha256(h + "\n" + line), starting
// from "0". traderd's audit actor stamps decision_seq and decision_hash on every risk_verdict
// and sent risk_exit line; backtest hashes the same lines (its report's intent_hash), so two
// runs that decided the same things in the same order have the same hash. The line keeps
// what a decision is (strategy, product, side, kind, target, approval, the failed check ids,
// the intent's order fields) and leaves out what differs between runs of the same decisions
// (proposal ids, wall-clock times, rationale text, rejection details). No CAF.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trader::audit {

/// The canonical line of an audit entry that is a decision: `risk_verdict` (every verdict,
/// with its intent when approved) or `risk_exit` with sent = true (a protective exit's
/// intent); nullopt for anything else.
std::optional<std::string> decision_line(std::string_view kind, const nlohmann::json& payload);

/// The running hash over decision lines.
class decision_chain {
public:
  /// Folds one line in; returns the new hash.
  const std::string& add(const std::string& line);
  const std::string& hash() const { return hash_; }
  std::uint64_t seq() const { return seq_; }  ///< Lines folded in.

private:
  std::string hash_ = "0";
  std::uint64_t seq_ = 0;
};

/// When (kind, payload) is a decision: folds its line into c and stamps decision_seq and
/// decision_hash on payload (what traderd's audit log and backtest's audit stream carry).
bool stamp_decision(decision_chain& c, std::string_view kind, nlohmann::json& payload);

} // namespace trader::audit
