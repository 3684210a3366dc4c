#include "commands.hpp"
namespace complaints::cli {
int run_workflow_list(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_workflow_show(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_workflow_validate(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_workflow_install(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_workflow_diagram(Context &) { throw Failure{exit_code::system, "not built yet"}; }
}
