#include "runtime/config/validate_command.hpp"

#include "runtime/config/loader.hpp"
#include "runtime/config/schema.hpp"

#include <ostream>

namespace trader::config {

namespace {

std::string q(const std::string& s) { return render_value(config_value{s}); }

void print_json(const std::string& dir, const load_result& r, int code, std::ostream& out) {
  out << "{\"dir\":" << q(dir) << ",\"ok\":" << (r.ok() ? "true" : "false") << ",\"exit_code\":" << code
      << ",\"hash\":" << (r.ok() ? q(r.hash) : "null") << ",\"trading_hash\":" << (r.ok() ? q(r.trading_hash) : "null") << ",\"errors\":" << r.errors()
      << ",\"warnings\":" << r.warnings() << ",\"issues\":[";
  for (std::size_t i = 0; i < r.issues.size(); ++i) {
    const auto& x = r.issues[i];
    out << (i ? "," : "") << "{\"severity\":" << q(to_string(x.level)) << ",\"check\":" << q(x.check)
        << ",\"file\":" << q(x.file) << ",\"line\":" << x.line << ",\"column\":" << x.column
        << ",\"key\":" << q(x.key) << ",\"message\":" << q(x.message) << "}";
  }
  out << "]}\n";
}

} // namespace

int run_validate(const std::string& dir, bool json, std::ostream& out, std::ostream& err) {
  load_result r = load_config_dir(dir);
  int code = r.unreadable ? validate_unreadable : (r.errors() > 0 ? validate_errors : validate_ok);
  if (json) {
    print_json(dir, r, code, out);
    return code;
  }
  for (const auto& issue : r.issues)
    out << render(issue) << "\n";
  if (r.ok())
    out << "config hash: " << r.hash << " (trading hash: " << r.trading_hash << ")\n";
  else
    out << "config invalid: no hash\n";
  out << dir << ": " << r.errors() << " error(s), " << r.warnings() << " warning(s)\n";
  if (code == validate_unreadable)
    err << "validate: " << dir << " could not be read (exit 2)\n";
  else if (code == validate_errors)
    err << "validate: " << dir << " has " << r.errors() << " error(s) (exit 1)\n";
  return code;
}

} // namespace trader::config
