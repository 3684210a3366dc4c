// cli/main.cpp - `complaints`: an operator's tool over a complaints database.
//
//   complaints [--db FILE | --postgres CONNINFO] [--as ID --role ROLE] [--json] COMMAND ...
//
// Reads the command line, opens the store the way the command needs, runs
// it and turns what failed into an exit code (cli.hpp) and a message on
// stderr. docs/cli.md is the manual.
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "commands.hpp"

namespace complaints::cli {

namespace {

const std::vector<OptionSpec> &global_options() {
  static const std::vector<OptionSpec> options = {
      {"db", true, "SQLite database file (default $COMPLAINTS_DB, else ./complaints.db)"},
      {"postgres", true, "PostgreSQL connection string instead of a file (default $COMPLAINTS_POSTGRES)"},
      {"schema", true, "PostgreSQL schema (default complaints)"},
      {"as", true, "the actor's user id (default complaints-cli)"},
      {"role", true, "admin, supervisor, office, fieldworker, customer or system (default system)"},
      {"perm", true, "a permission: delete_issues, release_payment, edit_issues, manage_settings (repeatable)"},
      {"clock", true, "the desk's time stands still at this RFC 3339 UTC instant (tests, simulations)"},
      {"json", false, "print the library's JSON documents instead of tables"},
      {"no-progress", false, "no progress bar, even on a terminal"},
      {"help", false, "this help, or a command's"},
  };
  return options;
}

const OptionSpec *find_option(const std::vector<OptionSpec> &options, std::string_view name) {
  for (const auto &o : options) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

std::string usage_line(const Command &c) {
  std::string line = "usage: complaints [global options] " + std::string(c.name);
  if (!c.operands.empty()) line += " " + std::string(c.operands);
  if (!c.options.empty()) line += " [options]";
  return line;
}

void print_options(std::FILE *out, const std::vector<OptionSpec> &options) {
  for (const auto &o : options) {
    std::string left = "  --" + std::string(o.name) + (o.takes_value ? " VALUE" : "");
    if (left.size() < 26) left.append(26 - left.size(), ' ');
    std::fprintf(out, "%s %.*s\n", left.c_str(), static_cast<int>(o.help.size()), o.help.data());
  }
}

void print_help(std::FILE *out) {
  std::fputs("usage: complaints [global options] COMMAND [operands] [options]\n\ncommands:\n", out);
  for (const auto &c : commands()) {
    std::string left = "  " + std::string(c.name) + (c.operands.empty() ? "" : " " + std::string(c.operands));
    if (left.size() < 34) left.append(34 - left.size(), ' ');
    std::fprintf(out, "%s %.*s\n", left.c_str(), static_cast<int>(c.summary.size()), c.summary.data());
  }
  std::fputs("\nglobal options:\n", out);
  print_options(out, global_options());
  std::fputs("\nexit codes: 0 done; 1 a problem found (a broken chain); 2 bad arguments; 3 not found;\n"
             "4 forbidden; 5 invalid input; 6 conflict; 7 invalid workflow; 8 storage; 9 not possible\n"
             "in this state; 10 internal; 11 out of memory; 12 misuse; 13 an operating-system failure.\n"
             "docs/cli.md has the whole manual.\n",
             out);
}

void print_command_help(std::FILE *out, const Command &c) {
  std::fprintf(out, "%s\n%.*s\n", usage_line(c).c_str(), static_cast<int>(c.summary.size()), c.summary.data());
  if (!c.options.empty()) {
    std::fputs("options:\n", out);
    print_options(out, c.options);
  }
}

int role_named(std::string_view name) {
  static const std::pair<std::string_view, int> roles[] = {
      {"admin", COMPLAINTS_ROLE_ADMIN},     {"supervisor", COMPLAINTS_ROLE_SUPERVISOR},
      {"office", COMPLAINTS_ROLE_OFFICE},   {"fieldworker", COMPLAINTS_ROLE_FIELDWORKER},
      {"customer", COMPLAINTS_ROLE_CUSTOMER}, {"system", COMPLAINTS_ROLE_SYSTEM}};
  for (const auto &[n, r] : roles) {
    if (n == name) return r;
  }
  throw UsageError{"--role: '" + std::string(name) +
                   "' is not a role (admin, supervisor, office, fieldworker, customer, system)"};
}

unsigned permission_named(std::string_view name) {
  static const std::pair<std::string_view, unsigned> perms[] = {
      {"delete_issues", COMPLAINTS_PERM_DELETE_ISSUES},
      {"release_payment", COMPLAINTS_PERM_RELEASE_PAYMENT},
      {"edit_issues", COMPLAINTS_PERM_EDIT_ISSUES},
      {"manage_settings", COMPLAINTS_PERM_MANAGE_SETTINGS}};
  for (const auto &[n, p] : perms) {
    if (n == name) return p;
  }
  throw UsageError{"--perm: '" + std::string(name) +
                   "' is not a permission (delete_issues, release_payment, edit_issues, manage_settings)"};
}

struct Parsed {
  Global global;
  const Command *command = nullptr;
  Args args;
  bool help = false;
};

// The longest run of leading words naming a command ("outbox ack" before "outbox").
const Command *match_command(const std::vector<std::string> &words, std::size_t &used) {
  const Command *best = nullptr;
  for (const auto &c : commands()) {
    std::size_t n = 0;
    std::string name;
    for (; n < words.size(); ++n) {
      name += (n ? " " : "") + words[n];
      if (name == c.name) break;
      if (c.name.substr(0, name.size() + 1) != name + " ") {
        n = words.size();
        break;
      }
    }
    if (n < words.size() && (!best || n + 1 > used)) {
      best = &c;
      used = n + 1;
    }
  }
  return best;
}

Parsed parse(int argc, char **argv) {
  Parsed p;
  if (const char *db = std::getenv("COMPLAINTS_DB"); db && *db) p.global.db = db;
  if (const char *pg = std::getenv("COMPLAINTS_POSTGRES"); pg && *pg) p.global.postgres = pg;
  std::vector<std::string> words;
  std::vector<std::pair<std::string, std::string>> options;  // command options, checked once it is known
  bool only_operands = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (only_operands || arg.size() < 2 || arg.compare(0, 2, "--") != 0) {
      words.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_operands = true;
      continue;
    }
    std::string name = arg.substr(2), value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      inline_value = true;
    }
    const OptionSpec *global = find_option(global_options(), name);
    // A command's option may take a value though a global of the name does not: checked below.
    // The command may not be known yet: an option of a command takes a value when it does in every
    // command that has it (the table keeps each name's meaning the same across commands).
    bool takes_value = global && global->takes_value;
    if (!global) {
      for (const auto &c : commands()) {
        if (const OptionSpec *o = find_option(c.options, name); o && o->takes_value) takes_value = true;
      }
    }
    if (takes_value && !inline_value) {
      if (i + 1 >= argc) throw UsageError{"--" + name + " needs a value"};
      value = argv[++i];
    } else if (!takes_value && inline_value) {
      throw UsageError{"--" + name + " takes no value"};
    }
    if (!global) {
      options.emplace_back(name, value);
      continue;
    }
    if (name == "db") p.global.db = value;
    else if (name == "postgres") p.global.postgres = value;
    else if (name == "schema") p.global.schema = value;
    else if (name == "as") p.global.actor_id = value, p.global.actor_given = true;
    else if (name == "role") p.global.role = role_named(value);
    else if (name == "perm") {
      for (std::size_t start = 0; start <= value.size();) {
        const std::size_t comma = std::min(value.find(',', start), value.size());
        p.global.permissions |= permission_named(value.substr(start, comma - start));
        start = comma + 1;
      }
    } else if (name == "clock") p.global.clock = value;
    else if (name == "json") p.global.json = true;
    else if (name == "no-progress") p.global.progress = false;
    else if (name == "help") p.help = true;
  }
  if (p.global.db.empty()) p.global.db = "complaints.db";
  if (!p.global.schema.empty() && p.global.postgres.empty()) {
    throw UsageError{"--schema is for a PostgreSQL store (--postgres)"};
  }
  if (words.empty()) {
    if (p.help) return p;
    throw UsageError{"no command given"};
  }
  if (words[0] == "help") {
    p.help = true;
    words.erase(words.begin());
    if (words.empty()) return p;
  }
  std::size_t used = 0;
  p.command = match_command(words, used);
  if (!p.command) throw UsageError{"'" + words[0] + "' is not a command"};
  if (p.help) return p;
  p.args.positional.assign(words.begin() + static_cast<std::ptrdiff_t>(used), words.end());
  for (auto &[name, value] : options) {
    const OptionSpec *spec = find_option(p.command->options, name);
    if (!spec) throw UsageError{"--" + name + " is not an option of " + std::string(p.command->name)};
    p.args.values[name].push_back(value);
  }
  const auto n = p.args.positional.size();
  if (n < p.command->min_positional) {
    throw UsageError{std::string(p.command->name) + ": missing " + std::string(p.command->operands)};
  }
  if (n > p.command->max_positional) {
    throw UsageError{std::string(p.command->name) + ": unexpected operand '" +
                     p.args.positional[p.command->max_positional] + "'"};
  }
  return p;
}

}  // namespace

int main_(int argc, char **argv) {
  Parsed parsed;
  try {
    parsed = parse(argc, argv);
  } catch (const UsageError &e) {
    std::fprintf(stderr, "complaints: %s\n", e.message.c_str());
    std::size_t used = 0;
    std::vector<std::string> words(argv + 1, argv + argc);
    std::erase_if(words, [](const std::string &w) { return w.rfind("--", 0) == 0; });
    const Command *c = match_command(words, used);
    std::fprintf(stderr, "%s\n(complaints help%s%s for more)\n",
                 c ? usage_line(*c).c_str() : "usage: complaints [global options] COMMAND [operands] [options]",
                 c ? " " : "", c ? std::string(c->name).c_str() : "");
    return exit_code::usage;
  }
  if (parsed.help) {
    if (parsed.command) print_command_help(stdout, *parsed.command);
    else print_help(stdout);
    return exit_code::ok;
  }
  try {
    Context context(parsed.global, *parsed.command, std::move(parsed.args));
    const int code = parsed.command->run(context);
    if (std::fflush(stdout) != 0) throw Failure{exit_code::system, std::string("stdout: ") + std::strerror(errno)};
    return code;
  } catch (const UsageError &e) {
    std::fprintf(stderr, "complaints: %s\n%s\n", e.message.c_str(), usage_line(*parsed.command).c_str());
    return exit_code::usage;
  } catch (const Failure &f) {
    std::fflush(stdout);
    std::fprintf(stderr, "complaints %s: %s\n", std::string(parsed.command->name).c_str(), f.message.c_str());
    return f.exit;
  } catch (const std::exception &e) {
    // A document the library returned that this tool failed to read: a bug here.
    std::fprintf(stderr, "complaints %s: internal error: %s\n", std::string(parsed.command->name).c_str(), e.what());
    return exit_code::of_library(COMPLAINTS_EINTERNAL);
  }
}

}  // namespace complaints::cli

int main(int argc, char **argv) { return complaints::cli::main_(argc, argv); }
