#pragma once
// A temporary directory removed (recursively) at the end of a test.

#include <cstdlib>
#include <filesystem>
#include <string>

namespace trader::control::test_support {

/// mkdtemp under /tmp; removed with its contents on destruction.
class temp_dir {
public:
  temp_dir() {
    std::string templ = "/tmp/trader-ctl-XXXXXX";
    path_ = ::mkdtemp(templ.data());
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  /// The directory.
  const std::string& path() const { return path_; }
  /// path()/name.
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

} // namespace trader::control::test_support
