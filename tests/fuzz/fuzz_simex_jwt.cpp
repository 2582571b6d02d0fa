// Fuzz target: simex's JWT verifier (runtime/net/jwt.hpp, jwt_verifier) with one configured
// ES256 key (tests/fuzz/jwt_fuzz_key.pem, a throwaway test key) and the signature cache off
// so every input is judged alone. The input is the token; it is checked as a REST bearer
// token and as a WebSocket subscribe's jwt. Only the fixed key can pass.
#include "runtime/net/api_key.hpp"
#include "runtime/net/jwt.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

using namespace trader;
using namespace trader::net;

namespace {

const std::string key_name = "organizations/org-fuzz/apiKeys/key-fuzz";
constexpr ts_ns fuzz_now = 1'786'309'548LL * ns_per_s;  // the seeds' nbf

jwt_verifier& verifier() {
  static jwt_verifier* v = [] {
    std::ifstream in(TRADER_FUZZ_JWT_KEY);
    std::stringstream ss;
    ss << in.rdbuf();
    auto key = api_key::from_pem(key_name, ss.str());
    if (!key)
      std::abort();
    auto pub = public_key::from_pem(key_name, key->public_key_pem());
    if (!pub)
      std::abort();
    auto* out = new jwt_verifier(jwt_verify_options{.signature_cache = 0});
    out->add_key(std::move(*pub));
    return out;
  }();
  return *v;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string token(reinterpret_cast<const char*>(data), size);
  auto& v = verifier();
  auto rest = v.verify_rest("Bearer " + token, "GET", "127.0.0.1:8790", "/api/v3/brokerage/accounts?limit=5",
                            fuzz_now + 5 * ns_per_s);
  if (rest.ok() && rest.key_name != key_name)
    std::abort();
  (void)v.verify_rest(token, "POST", "127.0.0.1:8790", "/api/v3/brokerage/orders", fuzz_now);
  (void)v.verify_ws(token, fuzz_now + 5 * ns_per_s);
  return 0;
}
