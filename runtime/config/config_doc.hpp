#pragma once
// The configuration reference, generated from the schema so it cannot drift.

#include <string>

namespace trader::config {

/// Markdown tables: every key with file, type, default, range, unit, reload, meaning; every
/// sanity check. Goes between the GENERATED markers of docs/configuration.md.
std::string render_reference_markdown();

/// Replaces the text between "<!-- BEGIN GENERATED" and "<!-- END GENERATED -->" lines of
/// `document` with render_reference_markdown(); returns the document unchanged if a marker
/// is missing.
std::string splice_reference(const std::string& document);

} // namespace trader::config
