// Fuzz target: the control-socket protocol (runtime/control/protocol.hpp). Each line is
// parsed as a request and as a response; whatever parses must serialise and parse back to
// the same command/id (a round trip), and parse_request must never throw.
#include "runtime/control/protocol.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace trader::control;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  while (true) {
    auto nl = all.find('\n');
    auto line = all.substr(0, nl);
    auto pr = parse_request(line);
    if (pr.req) {
      auto again = parse_request(serialize(*pr.req));
      if (!again.req || again.req->cmd != pr.req->cmd || again.req->id != pr.req->id ||
          again.req->args != pr.req->args)
        std::abort();  // a request that parses must survive its own serialisation
    } else {
      (void)serialize(error_response(pr.id, pr.err));
    }
    response resp;
    std::string why;
    if (parse_response(line, resp, why)) {
      response back;
      std::string why2;
      if (!parse_response(serialize(resp), back, why2) || back.id != resp.id || back.body.ok != resp.body.ok)
        std::abort();
    }
    (void)parse_error_code(line.substr(0, 32));
    if (nl == std::string_view::npos)
      break;
    all.remove_prefix(nl + 1);
  }
  return 0;
}
