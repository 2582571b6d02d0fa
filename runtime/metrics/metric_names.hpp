#pragma once
// Prometheus naming rules for 247trader's metrics, as pure checks: trader_<actor>_<what>,
// base units (seconds, bytes, ratios), counters end in _total, labels bounded. No CAF.

#include <string>
#include <string_view>

namespace trader::metrics {

/// What kind of series a name is for; the suffix rules differ.
enum class metric_kind { counter, gauge, histogram, info };

/// True for [a-z][a-z0-9_]* without "__" and not ending in '_' (our stricter subset of
/// Prometheus' [a-zA-Z_:][a-zA-Z0-9_:]*).
bool valid_name_part(std::string_view s);
/// True for a label name we allow: valid_name_part and not starting with "__".
bool valid_label_name(std::string_view s);

/// "trader_" + actor + "_" + what.
std::string metric_name(std::string_view actor, std::string_view what);

/// Checks the naming conventions for a full metric name of kind; returns "" when fine, or
/// why not (e.g. "counter trader_x_errors must end in _total").
std::string naming_problem(std::string_view name, metric_kind kind);

} // namespace trader::metrics
