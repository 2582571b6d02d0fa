// Used while trader_simex_api is not built: the binary serves the transport stub.
#include "tools/simex/server/backend.hpp"
#include "tools/simex/server/server_config.hpp"

namespace trader::simex::transport {

std::unique_ptr<backend> make_api_backend(const server_config&) {
  return make_stub_backend();
}

} // namespace trader::simex::transport
