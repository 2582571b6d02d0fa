#include "tools/simex/engine/product.hpp"

namespace trader::simex {

int decimals_of(std::int64_t increment_units) {
  int d = 8;
  while (d > 0 && increment_units >= 10 && increment_units % 10 == 0) {
    increment_units /= 10;
    --d;
  }
  return d;
}

int product::base_decimals() const {
  return decimals_of(base_increment.units);
}

int product::quote_decimals() const {
  return decimals_of(quote_increment.units);
}

} // namespace trader::simex
