#include "actors/trading/risk/intent_json.hpp"

namespace trader::risk {

nlohmann::json intent_json(const order_intent& in) {
  return nlohmann::json{{"proposal_id", in.proposal_id},
                        {"product", in.product.value},
                        {"side", to_string(in.dir)},
                        {"type", to_string(in.type)},
                        {"tif", to_string(in.tif)},
                        {"limit_px", to_string(in.limit_px)},
                        {"base_size", to_string(in.base_size)},
                        {"quote_size", to_string(in.quote_size)},
                        {"post_only", in.post_only},
                        {"reduce_only", in.reduce_only}};
}

} // namespace trader::risk
