// cli/cli.hpp - the `complaints` command-line tool: what every command shares.
//
// The tool is a host of the C API like any other: it opens a desk, makes an
// actor, calls complaints_* functions and prints their JSON documents (with
// --json) or tables made from them. docs/cli.md is its manual.
#pragma once

#include <complaints.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace complaints::cli {

using json = nlohmann::ordered_json;

/// Exit codes: 0 success; 1 the command ran and found a problem (a broken
/// chain); 2 bad arguments (usage printed, nothing opened); 3 to 12 a library
/// error, 2 - code of the C API's COMPLAINTS_E* (3 not found, 4 forbidden, 5
/// invalid input, 6 conflict, 7 invalid workflow, 8 storage, 9 state, 10
/// internal, 11 out of memory, 12 misuse); 13 an operating-system failure
/// outside the library (a file the tool itself writes, `dot` missing).
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int problem_found = 1;
inline constexpr int usage = 2;
inline constexpr int system = 13;
inline int of_library(int code) { return 2 - code; }
}  // namespace exit_code

/// Thrown by a command to stop with an exit code and a message for stderr.
struct Failure {
  int exit;
  std::string message;
};

/// Thrown while reading the command line: the usage line follows the message.
struct UsageError {
  std::string message;
};

/// An option a command takes: "--name VALUE" or a "--name" flag.
struct OptionSpec {
  std::string_view name;
  bool takes_value;
  std::string_view help;
};

/// The command line after the global options and the command's words.
struct Args {
  std::vector<std::string> positional;
  /// Every option given, in order, by name (a flag's value is ""); an option may repeat.
  std::map<std::string, std::vector<std::string>, std::less<>> values;

  bool has(std::string_view name) const { return values.find(name) != values.end(); }
  /// The option's value (its last, when given more than once).
  std::optional<std::string> value(std::string_view name) const;
  /// Every value the option was given, in order.
  std::vector<std::string> all(std::string_view name) const;
  /// The option as an integer in [lo, hi]; UsageError naming the option otherwise.
  std::optional<long long> integer(std::string_view name, long long lo, long long hi) const;
};

/// How a command uses the store: decides how it is opened.
enum class Store {
  none,    ///< never opened (workflow validate, diagram of a file)
  read,    ///< opened read-only: the file must exist, nothing is written
  write,   ///< opened read-write: the file must exist
  create,  ///< created if missing (init)
};

/// The options before the command: where the store is, who acts, how to print.
struct Global {
  std::string db;         ///< SQLite file (--db, $COMPLAINTS_DB, else complaints.db)
  std::string postgres;   ///< libpq conninfo (--postgres, $COMPLAINTS_POSTGRES): a PostgreSQL store
  std::string schema;     ///< PostgreSQL schema (--schema), empty: the library's default
  std::string actor_id = "complaints-cli";
  int role = COMPLAINTS_ROLE_SYSTEM;
  unsigned permissions = 0;
  bool actor_given = false;  ///< --as was given
  std::string clock;         ///< --clock INSTANT: the desk's time stands still there
  bool json = false;
  bool progress = true;      ///< --no-progress turns the progress bar off even on a terminal
};

class Context;

struct Command {
  std::string_view name;  ///< "show", "workflow list", "outbox ack"
  std::string_view operands;  ///< usage after the name: "CODE", "[CODE]"
  std::string_view summary;
  std::vector<OptionSpec> options;
  std::size_t min_positional;
  std::size_t max_positional;
  Store store;
  int (*run)(Context &);
};

/// The commands, in the order `complaints help` lists them.
const std::vector<Command> &commands();

/// The open desk, the actor and the output of one command.
class Context {
 public:
  Context(const Global &global, const Command &command, Args args);
  ~Context();
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;

  const Global &global() const { return global_; }
  const Command &command() const { return command_; }
  const Args &args() const { return args_; }
  complaints_desk *desk();                 ///< opened on first use, as command().store says
  const complaints_actor *actor() const { return actor_; }
  /// The actor for a call that needs someone named (delete-forever): --as is required.
  const complaints_actor *named_actor() const;

  /// Throws Failure for a non-zero code, with the desk's message and place.
  void check(int code) const;
  /// Runs a call returning text through char **out (Failure as check() says).
  template <typename F>
  std::string text(F &&f) const {
    char *out = nullptr;
    const int code = f(&out);
    std::string result = out ? out : "";
    complaints_free(out);
    check(code);
    return result;
  }
  /// Runs a call returning a document through char **out and parses it.
  template <typename F>
  json call(F &&f) const {
    const std::string result = text(std::forward<F>(f));
    return result.empty() ? json() : json::parse(result);
  }

  /// Prints a document: with --json as one line of JSON, else as `table` prints it.
  bool json_output() const { return global_.json; }
  void print_json(const json &doc) const;

 private:
  const Global &global_;
  const Command &command_;
  Args args_;
  complaints_desk *desk_ = nullptr;
  complaints_actor *actor_ = nullptr;
};

/// A table: a header row and rows of cells, printed with aligned columns.
/// Cells are made printable (control characters escaped) and cut at `max_width`.
void print_table(std::FILE *out, const std::vector<std::string> &header,
                 const std::vector<std::vector<std::string>> &rows, std::size_t max_width = 60);

/// A JSON value as a table cell: a string as it is, null as "", the rest as JSON.
std::string cell(const json &value);

/// A progress bar on stderr when it is a terminal (and --no-progress was not
/// given); silent otherwise. Redraws at most ten times a second.
class Progress {
 public:
  Progress(const Global &global, std::string label, long long total);
  ~Progress();
  void set(long long done);
  void finish();

 private:
  void draw(bool final);
  bool enabled_;
  std::string label_;
  long long total_;
  long long done_ = 0;
  long long started_ms_;
  long long drawn_ms_ = -1;
  bool finished_ = false;
};

}  // namespace complaints::cli
