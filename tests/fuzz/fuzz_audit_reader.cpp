// Fuzz target: the audit reader (runtime/persistence/audit_log.hpp): read_audit_file and
// verify_audit_dir over one file holding the input (torn tails, malformed lines, broken
// hash chains). The file lives in a private temporary directory made once per process, in
// memory (/dev/shm, a tmpfs) where there is one: rewriting a file on a disk file system
// (ext4 with discard frees the blocks of every truncation) made the fuzzer wait on I/O for
// 4/5 of its wall time.
#include "runtime/persistence/audit_log.hpp"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace trader::persistence;

namespace {

/// The private directory, removed when the process exits (one object: its path outlives
/// every use, unlike a second static that would be destroyed first).
struct fuzz_dir_t {
  std::string path;
  fuzz_dir_t() {
    std::error_code ec;
    const char* base = std::filesystem::is_directory("/dev/shm", ec) ? "/dev/shm" : "/tmp";
    std::string templ = std::string(base) + "/trader-fuzz-audit-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr)
      std::abort();
    path = templ;
  }
  ~fuzz_dir_t() {
    ::unlink((path + "/audit-2026-12-06.jsonl").c_str());
    ::rmdir(path.c_str());
  }
};

const std::string& fuzz_dir() {
  static fuzz_dir_t dir;
  return dir.path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = fuzz_dir() + "/audit-2026-12-06.jsonl";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto read = read_audit_file(path);
  auto report = verify_audit_dir(fuzz_dir());
  if (report.files != 1 || report.events > read.events.size())
    std::abort();  // one file; the verifier cannot find events the reader did not
  return 0;
}
