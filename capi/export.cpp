// The C API of the complaint register export (docs/reporting.md): to a file,
// written beside it and renamed into place, or to the host's callback.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "complaints.h"
#include "handle.hpp"

using namespace complaints;
using namespace complaints::capi;

namespace {

ExportOptions options_of(const char *export_json) {
  return export_json ? json::read_export_options(doc(export_json, "export_json")) : ExportOptions{};
}

void give_summary(char **summary, const ExportSummary &s) {
  if (summary) give(summary, s);
}

// The file being written: "<path>.partial" until the export succeeds, then
// renamed over `path`; removed on failure, so `path` is whole or untouched.
class PartialFile {
 public:
  explicit PartialFile(std::string_view path) : path_(path), partial_(path_ + ".partial") {
    file_ = std::fopen(partial_.c_str(), "wb");
    if (!file_)
      throw InvalidInput(fmt::format("cannot create '{}': {}", check::excerpt(partial_), std::strerror(errno)),
                         "path");
  }
  PartialFile(const PartialFile &) = delete;
  PartialFile &operator=(const PartialFile &) = delete;
  ~PartialFile() {
    if (file_) std::fclose(file_);
    if (!done_) std::remove(partial_.c_str());
  }
  void write(std::string_view chunk) {
    if (std::fwrite(chunk.data(), 1, chunk.size(), file_) != chunk.size())
      throw StorageError(fmt::format("writing '{}' failed: {}", check::excerpt(partial_), std::strerror(errno)),
                         "path");
  }
  void finish() {
    int closed = std::fclose(file_);
    file_ = nullptr;
    if (closed != 0) throw StorageError(fmt::format("closing '{}' failed", check::excerpt(partial_)), "path");
    std::error_code ec;
    std::filesystem::rename(partial_, path_, ec);
    if (ec)
      throw StorageError(fmt::format("cannot rename to '{}': {}", check::excerpt(path_), ec.message()), "path");
    done_ = true;
  }

 private:
  std::string path_, partial_;
  std::FILE *file_ = nullptr;
  bool done_ = false;
};

}  // namespace

// clang-format off
extern "C" {
// clang-format on

int complaints_export_file(complaints_desk *desk, char **summary, const complaints_actor *actor, const char *path,
                           const char *export_json) {
  return shielded(desk, [&] {
    if (summary) *summary = nullptr;
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    std::string_view p = need_text(path, "path");
    ExportOptions o = options_of(export_json);
    PartialFile file(p);
    ExportSummary s = d.desk.export_issues(a, o, [&](std::string_view chunk) { file.write(chunk); });
    file.finish();
    give_summary(summary, s);
  });
}

int complaints_export_callback(complaints_desk *desk, char **summary, const complaints_actor *actor,
                               const char *export_json, complaints_export_sink fn, void *user) {
  return shielded(desk, [&] {
    if (summary) *summary = nullptr;
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    if (!fn) throw Misuse("must not be NULL", "fn");
    ExportOptions o = options_of(export_json);
    std::int64_t chunks = 0;
    ExportSummary s = d.desk.export_issues(a, o, [&](std::string_view chunk) {
      ++chunks;
      if (fn(user, chunk.data(), chunk.size()) != 0)
        throw InvalidState(fmt::format("the callback stopped the export at chunk {}", chunks), "sink");
    });
    give_summary(summary, s);
  });
}

}  // extern "C"
