// REMOVED AT MERGE of h16-diag: stands in for the library's complaints_workflow_diagram.
#include <complaints.h>
extern "C" int complaints_workflow_diagram(char **out, const char *, const char *, char **);
extern "C" int complaints_workflow_diagram(char **out, const char *, const char *, char **) {
  *out = nullptr;
  return COMPLAINTS_EINVALID;
}
