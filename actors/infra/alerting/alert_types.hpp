#pragma once
// The alert type registry actors add to: type id, default severity, description.
// No CAF.

#include "messages/ops.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace trader::alerting {

/// One kind of alert an actor may raise.
struct alert_type {
  std::string id;                       ///< e.g. "sequence_gap"; [a-z0-9_]+.
  severity default_level = severity::warning;  ///< Used when the raiser does not override.
  std::string description;              ///< One line for `traderctl alert types` and docs/alerts.md.
};

/// Type id → alert_type. Thread-safe; actors register at start (re-registering the same
/// id after a restart replaces it).
class alert_type_registry {
public:
  /// Adds or replaces t; false for an invalid id.
  bool add(alert_type t);
  /// The type, or nullopt if never registered.
  std::optional<alert_type> find(const std::string& id) const;
  /// Every type sorted by id.
  std::vector<alert_type> list() const;

private:
  mutable std::mutex mtx_;
  std::map<std::string, alert_type> types_;
};

/// The types whose sources exist now (issue 7), plus "staging_test" for `alert test`.
std::vector<alert_type> builtin_alert_types();

/// Adds builtin_alert_types() to r.
void add_builtin_types(alert_type_registry& r);

/// An alert of a registered type at that type's default severity (warning when the type
/// is unknown), ready to send to alerting. ts is left 0: the engine stamps it.
alert make_alert(const alert_type_registry& types, const std::string& type, std::string source, std::string title,
                 std::string detail = {}, std::string fingerprint = {});

/// "INFO", "WARNING", "CRITICAL".
std::string_view severity_label(severity s);

} // namespace trader::alerting
