#include "runtime/persistence/store_error.hpp"

namespace trader::persistence {

const char* to_string(store_errc code) {
  switch (code) {
    case store_errc::none: return "none";
    case store_errc::open_failed: return "open_failed";
    case store_errc::truncated: return "truncated";
    case store_errc::corrupted: return "corrupted";
    case store_errc::decode_failed: return "decode_failed";
    case store_errc::version_unknown: return "version_unknown";
    case store_errc::version_newer: return "version_newer";
    case store_errc::map_full: return "map_full";
    case store_errc::write_failed: return "write_failed";
    case store_errc::panic: return "panic";
    case store_errc::lock_held: return "lock_held";
    case store_errc::verify_failed: return "verify_failed";
    case store_errc::verify_crashed: return "verify_crashed";
    case store_errc::duplicate: return "duplicate";
    case store_errc::not_found: return "not_found";
    case store_errc::store_failed: return "store_failed";
    case store_errc::read_failed: return "read_failed";
    case store_errc::backup_failed: return "backup_failed";
    case store_errc::invalid_argument: return "invalid_argument";
    case store_errc::missing: return "missing";
    case store_errc::rolled_back: return "rolled_back";
  }
  return "unknown";
}

std::string store_error::describe() const {
  std::string out = to_string(code);
  if (!db.empty())
    out += ": db=" + db;
  if (!key.empty())
    out += (db.empty() ? ": key=" : " key=") + key;
  if (!message.empty())
    out += ": " + message;
  return out;
}

store_error make_error(store_errc code, std::string message, std::string db, std::string key, int rc) {
  return store_error{code, std::move(message), std::move(db), std::move(key), rc};
}

} // namespace trader::persistence
