#pragma once
// Protocol atoms of runtime/core (≤ 10 characters, alphabet [0-9A-Za-z_]).

#include <caf/atom.hpp>

namespace trader::core {

using sup_stop_atom = caf::atom_constant<caf::atom("sup_stop")>;      ///< Ordered shutdown.
using sup_restart_atom = caf::atom_constant<caf::atom("sup_rstrt")>;  ///< Restart child by name.
using sup_kill_tmo_atom = caf::atom_constant<caf::atom("sup_ktmo")>;  ///< Shutdown timeout expired.
using sup_retry_atom = caf::atom_constant<caf::atom("sup_retry")>;    ///< Retry a failed start.
/// Liveness probe (runtime/core/liveness.hpp): every actor in the tree answers it with its
/// mailbox depth; an actor that stops answering is wedged.
using probe_atom = caf::atom_constant<caf::atom("lv_probe")>;
using probe_tick_atom = caf::atom_constant<caf::atom("lv_tick")>;

} // namespace trader::core
