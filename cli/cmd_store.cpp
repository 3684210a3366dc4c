#include "commands.hpp"
namespace complaints::cli {
int run_verify(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_process_due(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_outbox_list(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_outbox_ack(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_export(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_delete_forever(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_scrub(Context &) { throw Failure{exit_code::system, "not built yet"}; }
int run_backup(Context &) { throw Failure{exit_code::system, "not built yet"}; }
}
