// The C API's storage options and scrub: "read_only" and "immutable" open a
// store for reads only, every change failing with ESTORAGE at "read_only";
// complaints_desk_scrub finishes the erasure of deleted text.
#include <doctest/doctest.h>

#include <complaints.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

namespace fs = std::filesystem;

// A fresh directory, removed with everything in it.
struct Dir {
  fs::path path = fs::temp_directory_path() / ("complaints-capi-" + std::to_string(getpid()));
  Dir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const char *name) const { return (path / name).string(); }
};

std::string bytes_of(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Actors {
  complaints_actor *office = nullptr, *admin = nullptr;
  Actors() {
    REQUIRE(complaints_actor_new(&office, "olivia", COMPLAINTS_ROLE_OFFICE, COMPLAINTS_PERM_EDIT_ISSUES, nullptr) ==
            COMPLAINTS_OK);
    REQUIRE(complaints_actor_new(&admin, "adam", COMPLAINTS_ROLE_ADMIN, 15u, nullptr) == COMPLAINTS_OK);
  }
  ~Actors() {
    complaints_actor_free(office);
    complaints_actor_free(admin);
  }
};

const char *const report = R"({"record":{"kind":"booking","id":"BK-1"},"type":"Other","description":"Secret words."})";

// Registers the booking and reports one issue on it.
void fill(complaints_desk *desk, const Actors &who) {
  REQUIRE(complaints_record_put(desk, who.office, R"({"kind":"booking","id":"BK-1","customer_id":"casey"})") ==
          COMPLAINTS_OK);
  char *out = nullptr;
  REQUIRE(complaints_issue_report(desk, &out, who.office, report) == COMPLAINTS_OK);
  complaints_free(out);
}

}  // namespace

TEST_CASE("a desk opened read_only or immutable reads, and refuses every change at read_only") {
  Dir dir;
  Actors who;
  std::string path = dir.file("store.db");
  complaints_desk *desk = nullptr;
  REQUIRE(complaints_desk_open_sqlite(&desk, path.c_str(), nullptr, nullptr) == COMPLAINTS_OK);
  fill(desk, who);
  complaints_desk_close(desk);
  std::string before = bytes_of(path);

  for (const char *options : {R"({"read_only": true})", R"({"immutable": true, "busy_timeout_ms": 0})"}) {
    CAPTURE(options);
    REQUIRE(complaints_desk_open_sqlite(&desk, path.c_str(), options, nullptr) == COMPLAINTS_OK);
    char *out = nullptr;
    CHECK(complaints_issue_get(desk, &out, who.office, "CMP-00001") == COMPLAINTS_OK);
    CHECK(std::string(out).find("Secret words.") != std::string::npos);
    complaints_free(out);
    CHECK(complaints_issue_report(desk, &out, who.office, report) == COMPLAINTS_ESTORAGE);
    CHECK(out == nullptr);
    CHECK(std::string(complaints_desk_errwhere(desk)) == "read_only");
    CHECK(std::string(complaints_desk_errmsg(desk)).find("read-only") != std::string::npos);
    CHECK(complaints_issue_delete(desk, nullptr, who.admin, "CMP-00001") == COMPLAINTS_ESTORAGE);
    int scrubbed = 7;
    CHECK(complaints_desk_scrub(desk, &scrubbed) == COMPLAINTS_ESTORAGE);
    CHECK(scrubbed == 0);
    complaints_desk_close(desk);
  }
  CHECK(bytes_of(path) == before);

  char *err = nullptr;
  CHECK(complaints_desk_open_sqlite(&desk, path.c_str(), R"({"read_only": "yes"})", &err) == COMPLAINTS_EINVALID);
  CHECK(std::string(err).find("options.read_only") != std::string::npos);
  complaints_free(err);
  std::string missing = dir.file("missing.db");
  CHECK(complaints_desk_open_sqlite(&desk, missing.c_str(), R"({"read_only": true})", &err) == COMPLAINTS_ESTORAGE);
  CHECK(desk == nullptr);
  complaints_free(err);
  CHECK_FALSE(fs::exists(missing));
}

TEST_CASE("complaints_desk_scrub leaves no erased text in the files and says so") {
  Dir dir;
  Actors who;
  complaints_desk *desk = nullptr;
  REQUIRE(complaints_desk_open_memory(&desk, nullptr, nullptr) == COMPLAINTS_OK);
  int scrubbed = 0;
  CHECK(complaints_desk_scrub(desk, &scrubbed) == COMPLAINTS_OK);
  CHECK(scrubbed == 1);  // nothing erased lingers in memory
  complaints_desk_close(desk);

  std::string path = dir.file("scrub.db");
  REQUIRE(complaints_desk_open_sqlite(&desk, path.c_str(), nullptr, nullptr) == COMPLAINTS_OK);
  fill(desk, who);
  char *out = nullptr;
  REQUIRE(complaints_issue_delete(desk, &out, who.admin, "CMP-00001") == COMPLAINTS_OK);
  CHECK(std::string(out).find("\"files_scrubbed\":true") != std::string::npos);
  complaints_free(out);
  scrubbed = 0;
  CHECK(complaints_desk_scrub(desk, &scrubbed) == COMPLAINTS_OK);
  CHECK(scrubbed == 1);
  CHECK(complaints_desk_scrub(desk, nullptr) == COMPLAINTS_OK);  // the output may be NULL
  for (const char *suffix : {"", "-wal", "-shm"})
    CHECK(bytes_of(path + suffix).find("Secret words.") == std::string::npos);
  complaints_desk_close(desk);
}
