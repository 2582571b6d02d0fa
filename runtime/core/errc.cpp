#include "runtime/core/errc.hpp"

#include <caf/atom.hpp>
#include <caf/make_message.hpp>
#include <caf/sec.hpp>
#include <caf/exit_reason.hpp>

namespace trader {

std::string to_string(errc x) {
  switch (x) {
    case errc::actor_unavailable: return "actor_unavailable";
    case errc::restart_intensity_exceeded: return "restart_intensity_exceeded";
    case errc::start_failed: return "start_failed";
    case errc::unknown_child: return "unknown_child";
    case errc::busy: return "busy";
    case errc::invalid_argument: return "invalid_argument";
    case errc::timeout: return "timeout";
    case errc::state_unavailable: return "state_unavailable";
    case errc::exchange_error: return "exchange_error";
    case errc::transport_error: return "transport_error";
    case errc::rejected: return "rejected";
  }
  return "errc(" + std::to_string(static_cast<int>(x)) + ")";
}

caf::atom_value errc_category() { return caf::atom("trader"); }

caf::error make_error(errc x) { return caf::error{static_cast<std::uint8_t>(x), errc_category()}; }

caf::error make_error(errc x, std::string context) {
  return caf::error{static_cast<std::uint8_t>(x), errc_category(), caf::make_message(std::move(context))};
}

bool is(const caf::error& err, errc x) {
  return err && err.category() == errc_category() && err.code() == static_cast<std::uint8_t>(x);
}

std::string describe(const caf::error& err) {
  if (!err)
    return "none";
  std::string out;
  auto cat = err.category();
  if (cat == errc_category()) {
    out = "trader:" + to_string(static_cast<errc>(err.code()));
  } else if (cat == caf::atom("system")) {
    out = "system:" + caf::to_string(static_cast<caf::sec>(err.code()));
  } else if (cat == caf::atom("exit")) {
    out = "exit:" + caf::to_string(static_cast<caf::exit_reason>(err.code()));
  } else {
    out = caf::to_string(cat) + ":" + std::to_string(err.code());
  }
  if (!err.context().empty())
    out += " " + caf::to_string(err.context());
  return out;
}

} // namespace trader
