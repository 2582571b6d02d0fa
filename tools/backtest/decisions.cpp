#include "tools/backtest/decisions.hpp"

#include "actors/infra/audit/decision_stream.hpp"
#include "runtime/config/config_hash.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace trader::backtest {

namespace {

namespace fs = std::filesystem;

std::vector<std::string> files_of(const std::string& path, std::string& error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path, ec))
      if (e.is_regular_file())
        out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    if (out.empty())
      error = path + ": no files";
    return out;
  }
  if (!fs::is_regular_file(path, ec)) {
    error = path + ": not a file or directory";
    return {};
  }
  return {path};
}

} // namespace

decision_stream read_decision_stream(const std::string& path) {
  decision_stream s;
  auto files = files_of(path, s.error);
  audit::decision_chain chain;  // this chain (reset when a new one starts)
  std::string joined = "0";     // every decision in order, across chains
  for (const auto& f : files) {
    std::ifstream in(f);
    if (!in) {
      s.error = f + ": unreadable";
      return s;
    }
    std::string text;
    for (std::size_t n = 1; std::getline(in, text); ++n) {
      auto j = nlohmann::json::parse(text, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("kind") || !j["kind"].is_string() ||
          !j.contains("payload"))
        continue;  // not an entry (a torn tail, another line type): decisions only
      const auto kind = j["kind"].get<std::string>();
      const auto& payload = j["payload"];
      auto line = audit::decision_line(kind, payload);
      if (!line)
        continue;
      logged_decision d;
      d.where = f + ":" + std::to_string(n);
      d.line = *line;
      if (payload.contains("decision_hash") && payload["decision_hash"].is_string())
        d.hash = payload["decision_hash"].get<std::string>();
      if (payload.contains("decision_seq") && payload["decision_seq"].is_number_unsigned())
        d.seq = payload["decision_seq"].get<std::uint64_t>();
      if (s.chains == 0 || (d.seq && *d.seq == 1 && chain.seq() > 0)) {
        chain = audit::decision_chain{};  // traderd's audit actor (re)started
        ++s.chains;
      }
      chain.add(d.line);
      joined = config::sha256_hex(joined + "\n" + d.line);
      if (s.problem.empty() && d.hash && *d.hash != chain.hash())
        s.problem = d.where + ": stamped decision_hash " + *d.hash + " is not the recomputed " + chain.hash() +
                    " (the log was altered, or a decision before it is missing)";
      s.decisions.push_back(std::move(d));
    }
  }
  s.hash = joined;
  return s;
}

std::optional<divergence> first_divergence(const decision_stream& a, const decision_stream& b) {
  const std::size_t n = std::max(a.decisions.size(), b.decisions.size());
  for (std::size_t i = 0; i < n; ++i) {
    const bool ha = i < a.decisions.size(), hb = i < b.decisions.size();
    if (ha && hb && a.decisions[i].line == b.decisions[i].line)
      continue;
    divergence d;
    d.index = i;
    d.a = ha ? a.decisions[i].where + " " + a.decisions[i].line : "(end of stream)";
    d.b = hb ? b.decisions[i].where + " " + b.decisions[i].line : "(end of stream)";
    return d;
  }
  return std::nullopt;
}

std::optional<std::string> order_line(const std::string& decision_line) {
  auto d = nlohmann::ordered_json::parse(decision_line, nullptr, false);
  if (!d.is_object() || !d.contains("intent"))
    return std::nullopt;
  const auto what = d.value("d", std::string{});
  if (what == "verdict" && d.value("approved", false))
    return nlohmann::ordered_json{{"o", "entry"}, {"strategy", d.value("strategy", std::string{})}, {"intent", d["intent"]}}
      .dump();
  if (what == "exit")
    return nlohmann::ordered_json{{"o", "exit"}, {"kind", d.value("kind", std::string{})}, {"intent", d["intent"]}}.dump();
  return std::nullopt;
}

decision_stream orders_only(const decision_stream& s) {
  decision_stream out;
  out.chains = s.chains;
  out.problem = s.problem;
  out.error = s.error;
  std::string joined = "0";
  for (const auto& d : s.decisions) {
    auto o = order_line(d.line);
    if (!o)
      continue;
    joined = config::sha256_hex(joined + "\n" + *o);
    out.decisions.push_back(logged_decision{d.where, *o, std::nullopt, std::nullopt});
  }
  out.hash = joined;
  return out;
}

int cmd_decisions(const std::string& path, const std::string& against, bool orders) {
  const char* what = orders ? " orders in " : " decisions in ";
  auto a = read_decision_stream(path);
  if (!a.error.empty()) {
    std::cerr << "backtest decisions: " << a.error << "\n";
    return 2;
  }
  if (orders)
    a = orders_only(a);
  std::cout << path << ": " << a.decisions.size() << what << a.chains << " chain(s), hash " << a.hash
            << "\n";
  int rc = 0;
  if (!a.problem.empty()) {
    std::cout << "NOT VERIFIED: " << a.problem << "\n";
    rc = 1;
  }
  if (against.empty())
    return rc;
  auto b = read_decision_stream(against);
  if (!b.error.empty()) {
    std::cerr << "backtest decisions: " << b.error << "\n";
    return 2;
  }
  if (orders)
    b = orders_only(b);
  std::cout << against << ": " << b.decisions.size() << what << b.chains << " chain(s), hash " << b.hash
            << "\n";
  if (!b.problem.empty()) {
    std::cout << "NOT VERIFIED: " << b.problem << "\n";
    rc = 1;
  }
  if (auto d = first_divergence(a, b)) {
    std::cout << "DIVERGE at " << (orders ? "order " : "decision ") << d->index + 1 << ":\n  " << d->a << "\n  " << d->b
              << "\n";
    return 1;
  }
  std::cout << "EQUAL: the same " << a.decisions.size() << (orders ? " orders" : " decisions") << " in the same order\n";
  return rc;
}

} // namespace trader::backtest
