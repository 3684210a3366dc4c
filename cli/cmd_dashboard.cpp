#include "commands.hpp"
namespace complaints::cli {
int run_dashboard(Context &) { throw Failure{exit_code::system, "not built yet"}; }
}
