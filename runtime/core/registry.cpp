#include "runtime/core/registry.hpp"

#include "messages/ops.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/sec.hpp>
#include <spdlog/spdlog.h>

namespace trader::core {

namespace {

/// registry_drop for name, firing or resolved (level: the type's, critical).
alert drop_alert(std::string_view name, std::uint64_t count, bool resolved) {
  alert a;
  a.type = "registry_drop";
  a.level = severity::critical;
  a.fingerprint = "registry_drop:" + std::string{name};
  a.source = "registry";
  a.resolved = resolved;
  if (resolved) {
    a.title = std::string{name} + " is registered again";
    a.detail = std::to_string(count) + " message(s) to it dropped in all so far";
  } else {
    a.title = "no " + std::string{name} + " actor: messages to it are dropped";
    a.detail = std::string{name} + " carries safety messages (gate signals, order state, alerts); "
               "the messages sent while it is absent are lost";
  }
  return a;
}

} // namespace

void registry::put(std::string_view name, caf::actor a) {
  bool resolve = false;
  std::uint64_t count = 0;
  std::size_t delivered = 0;
  {
    std::lock_guard guard{mtx_};
    // What waited for this name goes first, before the name is visible to other senders.
    if (auto h = held_.find(name); h != held_.end() && a) {
      for (auto& m : h->second.messages)
        a->enqueue(nullptr, caf::make_message_id(), std::move(m), nullptr);
      delivered = h->second.messages.size();
      h->second.messages.clear();
    }
    entries_.insert_or_assign(std::string{name}, std::move(a));
    if (auto i = drops_.find(name); i != drops_.end()) {
      resolve = i->second.alerted && name != names::alerting;
      count = i->second.count;
      i->second.logged = i->second.alerted = false;
    }
  }
  if (delivered > 0)
    spdlog::info("registry: {} registered: {} message(s) held for it delivered", name, delivered);
  if (!resolve)
    return;
  spdlog::info("registry: {} registered again ({} message(s) to it dropped in all)", name, count);
  if (auto al = get(names::alerting))
    caf::anon_send(al, drop_alert(name, count, true));
}

void registry::hold_while_absent(std::string_view name, std::size_t limit) {
  std::lock_guard guard{mtx_};
  auto& h = held_[std::string{name}];
  h.limit = limit;
  while (h.messages.size() > limit)
    h.messages.pop_front();
}

std::size_t registry::held(std::string_view name) const {
  std::lock_guard guard{mtx_};
  auto h = held_.find(name);
  return h == held_.end() ? 0 : h->second.messages.size();
}

bool registry::absent(const caf::error& e) {
  return e == caf::sec::invalid_argument || e == caf::sec::request_receiver_down;
}

bool registry::deliver_or_hold(std::string_view name, caf::message msg) {
  {
    std::lock_guard guard{mtx_};
    if (auto i = entries_.find(name); i != entries_.end() && i->second) {  // registered in between
      i->second->enqueue(nullptr, caf::make_message_id(), std::move(msg), nullptr);
      return true;
    }
    if (auto h = held_.find(name); h != held_.end() && h->second.messages.size() < h->second.limit) {
      h->second.messages.push_back(std::move(msg));
      return true;
    }
  }
  on_drop(name);
  return false;
}

void registry::erase_if(std::string_view name, const caf::actor_addr& addr) {
  std::lock_guard guard{mtx_};
  auto i = entries_.find(name);
  if (i != entries_.end() && i->second.address() == addr)
    entries_.erase(i);
}

caf::actor registry::get(std::string_view name) const {
  std::lock_guard guard{mtx_};
  auto i = entries_.find(name);
  return i == entries_.end() ? caf::actor{} : i->second;
}

std::vector<std::string> registry::names() const {
  std::lock_guard guard{mtx_};
  std::vector<std::string> out;
  for (auto& [k, v] : entries_)
    out.push_back(k);
  return out;
}

std::uint64_t registry::dropped(std::string_view name) const {
  std::lock_guard guard{mtx_};
  auto i = drops_.find(name);
  return i == drops_.end() ? 0 : i->second.count;
}

std::map<std::string, std::uint64_t> registry::drop_counts() const {
  std::lock_guard guard{mtx_};
  std::map<std::string, std::uint64_t> out;
  for (auto& [k, v] : drops_)
    out.emplace(k, v.count);
  return out;
}

void registry::on_drop(std::string_view name) {
  dropped_.fetch_add(1, std::memory_order_relaxed);
  const bool safety = names::carries_safety(name);
  bool log = false;
  bool raise = false;
  std::uint64_t count = 0;
  {
    std::lock_guard guard{mtx_};
    auto i = drops_.find(name);
    if (i == drops_.end())
      i = drops_.emplace(drops_.size() < max_drop_names ? std::string{name} : std::string{"other"}, drop_track{}).first;
    auto& t = i->second;
    count = ++t.count;
    log = !t.logged;
    t.logged = true;
    raise = safety && !t.alerted && drop_alerts_.load();
    t.alerted = t.alerted || raise;
  }
  if (log)
    spdlog::log(safety ? spdlog::level::err : spdlog::level::warn,
                "registry: no actor registered as {}: message dropped (logged once until it registers again; "
                "every drop counts in trader_registry_dropped_total)",
                name);
  if (!raise)
    return;
  if (name == names::alerting) {
    spdlog::error("registry: alerting is absent: alerts sent to it are lost until it registers again");
    return;
  }
  if (auto al = get(names::alerting)) {
    caf::anon_send(al, drop_alert(name, count, false));
    return;
  }
  spdlog::error("registry: messages to {} are dropped and alerting is absent too: no registry_drop alert", name);
}

} // namespace trader::core
