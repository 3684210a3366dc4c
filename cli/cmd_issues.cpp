#include "commands.hpp"
namespace complaints::cli {
int run_init(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_record_put(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_record_show(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_report(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_act(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_show(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_list(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_timeline(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_search(Context &) { throw Failure{exit_code::system, "not built yet"}; }
}
namespace complaints::cli {
json list_filter(const Args &) { return json::object(); }
std::string document_argument(const std::string &value, std::string_view) { return value; }
}
