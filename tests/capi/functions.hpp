// The C API's test table: every C function, with its pointer and text
// arguments, callable with one pointer set to NULL or one text replaced, on a
// desk set up so that each call reaches its checks (a booking, a user, two
// issues, an attachment). Shared by the misuse and hostile-input tests.
#pragma once

#include <complaints.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace capi_test {

/// A memory desk with a fixed clock: booking B-1 (customer c-1, fieldworker
/// fw-1), user fw-1, issues CMP-00001 and CMP-00002, an attachment on the
/// first; field-service declaring task kind "investigate", group "roads"
/// (admin-1, fw-1), task 1 in its queue and task 2 worked by admin-1, both on
/// CMP-00001; actors admin (admin-1, every permission) and system.
struct Fixture {
  complaints_desk *desk = nullptr;
  complaints_actor *admin = nullptr, *system = nullptr;
  Fixture();
  Fixture(const Fixture &) = delete;
  Fixture &operator=(const Fixture &) = delete;
  ~Fixture();
};

/// A text argument: its name, whether it is a JSON document, and the value
/// the table passes when it is not replaced.
struct Text {
  std::string name;
  bool json = false;
  std::string value;
};

/// One C function: its pointer arguments (name, and whether NULL is allowed),
/// its text arguments (also among the pointers), and a way to call it with
/// pointer `null_at` set to NULL (-1: none) and text `text_at` replaced by
/// `text` (-1: none). The other texts are values that work.
struct Function {
  std::string name;
  std::vector<std::pair<std::string, bool>> pointers;  // (name, NULL allowed)
  std::vector<Text> texts;
  int malformed = COMPLAINTS_EINVALID;  // the code for malformed JSON
  std::function<int(Fixture &, int null_at, int text_at, const char *text)> call;

  /// Whether it reports through complaints_desk_errmsg(NULL): it takes no desk.
  bool handleless() const {
    return name.starts_with("complaints_desk_open") || name == "complaints_actor_new" ||
           name == "complaints_workflow_validate" || name == "complaints_workflow_diagram";
  }
};

/// Every function of capi/complaints.h.
std::vector<Function> functions();

}  // namespace capi_test
