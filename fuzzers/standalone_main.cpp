// Replays fuzz inputs without libFuzzer: runs LLVMFuzzerTestOneInput over
// every file named on the command line and every file in the directories
// named there (not recursive), so a normal test run covers the seed corpus
// and past crashers. A crash or sanitizer report ends the run; otherwise it
// prints how many inputs ran and exits 0.
//
//   template_fuzzer_replay fuzzers/corpus/template
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

bool run_file(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.string().c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
    return 2;
  }
  int ran = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path arg = argv[i];
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto &entry : std::filesystem::directory_iterator(arg, ec)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      if (ec) {
        std::fprintf(stderr, "cannot list %s: %s\n", arg.string().c_str(), ec.message().c_str());
        ok = false;
        continue;
      }
      std::sort(files.begin(), files.end());  // a stable order makes failures reproducible
      for (const auto &file : files) {
        if (run_file(file)) {
          ++ran;
        } else {
          ok = false;
        }
      }
    } else if (run_file(arg)) {
      ++ran;
    } else {
      ok = false;
    }
  }
  std::printf("ran %d inputs\n", ran);
  return ok && ran > 0 ? 0 : 1;
}
