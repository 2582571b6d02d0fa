#include "runtime/config/secrets.hpp"

#include <openssl/crypto.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

namespace trader::config {

secret::~secret() {
  if (!value_.empty())
    OPENSSL_cleanse(value_.data(), value_.size());
}

std::ostream& operator<<(std::ostream& os, const secret&) { return os << "***"; }

namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 128)
    return false;
  for (char ch : name)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
      return false;
  return true;
}

std::string upper(std::string_view s) {
  std::string out;
  for (char ch : s)
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

void trim_newlines(std::string& s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
    s.pop_back();
}

} // namespace

secret_result load_secret(std::string_view name, const env_lookup& env) {
  secret_result r;
  if (!valid_name(name)) {
    r.error = "invalid secret name \"" + std::string(name) + "\" (want [a-z0-9_]+)";
    return r;
  }
  std::string var = upper(name);
  auto dir = env ? env("CREDENTIALS_DIRECTORY") : std::nullopt;
  if (dir && !dir->empty()) {
    auto path = std::filesystem::path(*dir) / std::string(name);
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      std::ifstream in(path, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      std::string v = ss.str();
      trim_newlines(v);
      if (!in || in.bad() || v.empty()) {
        // The operator provisioned this credential: fail closed rather than use another source.
        r.error = "secret " + std::string(name) + ": " + path.string() + " is unreadable or empty";
        return r;
      }
      r.value = secret(std::move(v));
      r.source = "file:" + path.string();
      return r;
    }
  }
  if (auto v = env ? env(var) : std::nullopt; v && !v->empty()) {
    std::string value = *v;
    trim_newlines(value);
    r.value = secret(std::move(value));
    r.source = "env:" + var;
    return r;
  }
  r.error = "secret " + std::string(name) + " not found: set $CREDENTIALS_DIRECTORY/" + std::string(name) +
            " (systemd LoadCredential=) or environment variable " + var;
  return r;
}

bool looks_like_secret_key(std::string_view key) {
  std::vector<std::string> words;
  std::string w;
  for (char ch : key) {
    if (ch == '_' || ch == '-' || ch == '.') {
      if (!w.empty())
        words.push_back(w);
      w.clear();
    } else {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  if (!w.empty())
    words.push_back(w);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto& x = words[i];
    if (x == "secret" || x == "secrets" || x == "token" || x == "password" || x == "passwd" ||
        x == "passphrase" || x == "apikey" || x == "privatekey" || x == "apisecret")
      return true;
    if (i + 1 < words.size() && words[i + 1] == "key" && (x == "api" || x == "private" || x == "signing"))
      return true;
  }
  return false;
}

} // namespace trader::config
