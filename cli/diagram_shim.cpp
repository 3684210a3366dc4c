// REMOVED AT MERGE of branch h16-diag (which adds the real complaints_workflow_diagram to the library): delete this
// file and its line in cli/CMakeLists.txt.
//
// Until then the CLI links against this placeholder, so the dashboard page
// says that the library cannot draw workflows yet instead of failing to link.
#include <complaints.h>

#include <cstdlib>
#include <cstring>

extern "C" int complaints_workflow_diagram(char **out, const char *, const char *, char **errmsg) {
  if (out) *out = nullptr;
  if (errmsg) *errmsg = strdup("complaints_workflow_diagram is not in this build of the library");
  return COMPLAINTS_EINVALID;
}
