#include "tools/backtest/replay.hpp"

#include "actors/infra/audit/decision_stream.hpp"
#include "actors/trading/risk/policy_from_config.hpp"
#include "runtime/clock.hpp"
#include "runtime/config/loader.hpp"
#include "tools/backtest/decisions.hpp"
#include "tools/backtest/replay/risk_replayer.hpp"

#include <iostream>

namespace trader::backtest {

namespace {

struct decided {
  std::string line;
  ts_ns t = 0;
  std::string where;
};

} // namespace

replay_result replay_tape(const recorder::tape_read& tape, const risk::risk_policy& policy) {
  replay_result r;
  risk_replayer rp{policy};
  std::vector<decided> recorded, replayed;
  for (std::size_t i = 0; i < tape.events.size(); ++i) {
    const auto& ev = tape.events[i];
    const bool start = std::holds_alternative<recorder::tape_start>(ev.what);
    if (!rp.started() && !start) {
      ++r.skipped;
      continue;
    }
    r.starts += start ? 1 : 0;
    if (const auto* d = std::get_if<recorder::tape_decision>(&ev.what)) {
      recorded.push_back({d->line, ev.t, tape.where[i]});
      continue;
    }
    ++r.inputs;
    for (auto& line : rp.apply(ev))
      replayed.push_back({std::move(line), ev.t, tape.where[i]});
  }
  audit::decision_chain a, b;
  for (const auto& d : recorded)
    a.add(d.line);
  for (const auto& d : replayed)
    b.add(d.line);
  r.recorded = recorded.size();
  r.replayed = replayed.size();
  r.recorded_hash = a.hash();
  r.replayed_hash = b.hash();
  const std::size_t n = std::max(recorded.size(), replayed.size());
  for (std::size_t i = 0; i < n; ++i) {
    const bool ha = i < recorded.size(), hb = i < replayed.size();
    if (ha && hb && recorded[i].line == replayed[i].line)
      continue;
    replay_divergence d;
    d.index = i;
    d.t = ha ? recorded[i].t : replayed[i].t;
    d.where = ha ? recorded[i].where : replayed[i].where;
    d.recorded = ha ? recorded[i].line : "(none)";
    d.replayed = hb ? replayed[i].line : "(none)";
    r.divergence = std::move(d);
    break;
  }
  return r;
}

int cmd_replay(const std::string& recording, const std::string& config_dir, const std::string& audit_log) {
  auto tape = recorder::read_tape(recording);
  if (!tape.error.empty()) {
    std::cerr << "backtest replay: " << tape.error << "\n";
    return 2;
  }
  const recorder::tape_start* first = nullptr;
  for (const auto& ev : tape.events)
    if ((first = std::get_if<recorder::tape_start>(&ev.what)))
      break;
  if (first == nullptr) {
    std::cerr << "backtest replay: " << recording << ": no start line (risk's first start was pruned, or this is "
              << "not a risk tape); nothing to replay from\n";
    return 2;
  }
  const std::string dir = config_dir.empty() ? first->config_dir : config_dir;
  auto cfg = config::load_config_dir(dir);
  if (!cfg.ok()) {
    std::cerr << "backtest replay: configuration in " << dir << " is invalid; run `traderctl validate " << dir
              << "`\n";
    return 78;
  }
  std::cout << "recording " << recording << ": " << tape.events.size() << " lines";
  for (const auto& t : tape.torn)
    std::cout << "\n  torn line skipped (a crash mid-write): " << t;
  std::cout << "\nconfig " << dir << " (hash " << cfg.hash << "; the session ran " << first->config_hash
            << (cfg.hash == first->config_hash ? ", the same" : ", a DIFFERENT configuration") << ")\n";
  auto r = replay_tape(tape, risk::policy_from_config(*cfg.config));
  std::cout << r.inputs << " inputs in " << r.starts << " risk start(s)"
            << (r.skipped ? ", " + std::to_string(r.skipped) + " lines before the first start skipped" : "") << "\n";
  std::cout << "recorded: " << r.recorded << " decisions, hash " << r.recorded_hash << "\n";
  std::cout << "replayed: " << r.replayed << " decisions, hash " << r.replayed_hash << "\n";
  int rc = 0;
  if (r.divergence) {
    const auto& d = *r.divergence;
    std::cout << "DIVERGE at decision " << d.index + 1 << " (" << format_rfc3339_ms(d.t) << ", " << d.where
              << "):\n  recorded " << d.recorded << "\n  replayed " << d.replayed << "\n";
    rc = 1;
  }
  if (!audit_log.empty()) {
    auto s = read_decision_stream(audit_log);
    if (!s.error.empty()) {
      std::cerr << "backtest replay: " << s.error << "\n";
      return 2;
    }
    const bool same = s.hash == r.recorded_hash && s.decisions.size() == r.recorded;
    std::cout << "audit log " << audit_log << ": " << s.decisions.size() << " decisions, hash " << s.hash
              << (same ? " (the recording's)" : " (NOT the recording's: the tape and the log cover different decisions)")
              << "\n";
    if (!s.problem.empty())
      std::cout << "audit log NOT VERIFIED: " << s.problem << "\n";
    if (!same || !s.problem.empty())
      rc = 1;
  }
  if (rc == 0)
    std::cout << "equivalent: " << r.replayed << " decisions, hash " << r.replayed_hash << "\n";
  return rc;
}

} // namespace trader::backtest
