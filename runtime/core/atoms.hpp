#pragma once
// Protocol atoms of runtime/core (≤ 10 characters, alphabet [0-9A-Za-z_]).

#include <caf/atom.hpp>

namespace trader::core {

using sup_stop_atom = caf::atom_constant<caf::atom("sup_stop")>;      ///< Ordered shutdown.
using sup_restart_atom = caf::atom_constant<caf::atom("sup_rstrt")>;  ///< Restart child by name.
using sup_kill_tmo_atom = caf::atom_constant<caf::atom("sup_ktmo")>;  ///< Shutdown timeout expired.
using sup_retry_atom = caf::atom_constant<caf::atom("sup_retry")>;    ///< Retry a failed start.

} // namespace trader::core
