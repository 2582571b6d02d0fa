// The plain-main replay mode of every fuzz target (g++ build, ctest): runs
// LLVMFuzzerTestOneInput once on each file named on the command line, or on every file of
// each directory named (the checked-in corpus tests/fuzz/corpus/<target>/ and its
// regressions/). A crash or sanitizer report fails the test like any other; the exit code is
// 0 when every input ran, 2 when an argument could not be read or a directory was empty.
// The libFuzzer build (make fuzz) links libFuzzer's own main instead.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

namespace {

bool run_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in)
    return false;
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A fresh heap copy of exactly size bytes, so ASan sees reads past the end as libFuzzer would.
  std::vector<std::uint8_t> exact(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
  return true;
}

} // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr)
    LLVMFuzzerInitialize(&argc, &argv);
  std::size_t ran = 0;
  int rc = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::recursive_directory_iterator(arg))
        if (e.is_regular_file())
          files.push_back(e.path());
      std::sort(files.begin(), files.end());
      if (files.empty()) {
        std::fprintf(stderr, "replay: %s holds no inputs\n", argv[i]);
        rc = 2;
      }
      for (const auto& f : files) {
        if (!run_file(f)) {
          std::fprintf(stderr, "replay: cannot read %s\n", f.c_str());
          rc = 2;
        } else {
          ++ran;
        }
      }
    } else if (run_file(arg)) {
      ++ran;
    } else {
      std::fprintf(stderr, "replay: cannot read %s\n", argv[i]);
      rc = 2;
    }
  }
  std::printf("replay: %zu inputs ran\n", ran);
  return ran == 0 ? 2 : rc;
}
