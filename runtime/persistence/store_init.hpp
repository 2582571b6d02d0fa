#pragma once
// Creating the first state store, explicitly. traderd never creates one (it opens with
// create_if_missing = false): `traderctl state init` does, and the packaged unit's
// ExecStartPre runs it on every start, where it is a no-op once a store exists.

#include "runtime/persistence/result.hpp"

#include <string>

namespace trader::persistence {

/// What init_store did.
enum class init_outcome {
  created,         ///< A new, empty store (and its high-water mark and marker).
  already_exists,  ///< dir already has a data.mdb; nothing was touched.
};

/// Creates a new store in dir (created if missing) unless one exists. Refused with
/// `missing` when dir had a store that is gone (store_history): a lost store is restored,
/// not silently replaced; force = start over anyway (the old high-water file is kept as
/// store.hwm.replaced). Takes the instance lock (`lock_held` while traderd runs). Writes
/// the marker next to dir (store_marker_path); `note` says so when it could not.
result<init_outcome> init_store(const std::string& dir, bool force, std::string* note = nullptr);

} // namespace trader::persistence
