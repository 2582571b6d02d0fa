#pragma once
// A test's CDP API key for simex: generated once, its public key written to a per-process
// temp directory for simex's --api-key NAME=FILE. Shared by the system tests that sign
// requests against a simex process.

#include "runtime/net/api_key.hpp"
#include "runtime/net/test_pki.hpp"

#include <filesystem>
#include <string>

#include <unistd.h>

namespace trader::testing {

class simex_test_key {
public:
  /// name: the key name (kid/sub); tag: prefix of the temp directory ("<tag>_<pid>").
  simex_test_key(std::string name, const std::string& tag)
    : name_(std::move(name)),
      dir_((std::filesystem::temp_directory_path() / (tag + "_" + std::to_string(::getpid()))).string()),
      key_(*net::api_key::from_pem(name_, net::testing::generate_ec_key_pem())) {
    std::filesystem::create_directories(dir_);
    net::testing::write_file(pub_file(), key_.public_key_pem());
  }
  const net::api_key& key() const { return key_; }
  /// The per-process directory (also for other test files, e.g. a test PKI).
  const std::string& dir() const { return dir_; }
  std::string pub_file() const { return dir_ + "/key.pub.pem"; }
  /// The value of simex's --api-key.
  std::string arg() const { return name_ + "=" + pub_file(); }

private:
  std::string name_;
  std::string dir_;
  net::api_key key_;
};

} // namespace trader::testing
