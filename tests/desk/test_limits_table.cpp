// docs/c-api.md's "Limits and defaults" table is what a host writes its
// client from. This reads it and holds it to the library:
//  - each value in the "limit or default" column is the C++ value the last
//    column names (a constant of complaints::limits, a struct's default...),
//    every constant of complaints::limits has a row, and every name the table
//    uses is one this test knows;
//  - each limit is enforced as the row says, through the C API: at the limit
//    the call is accepted, past it refused with the code the row gives and a
//    complaints_desk_errwhere the row shows.
#include "support/markdown.hpp"
#include "support/support.hpp"

#include <complaints.h>

#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <variant>

#include <nlohmann/json.hpp>

using namespace complaints;
using ojson = nlohmann::ordered_json;

namespace {

struct Row {
  std::string what;    // first cell, without backticks: "an id", "complaints_issue_list"
  std::string value;   // "at most 128 bytes, ..."
  std::string beyond;  // "`COMPLAINTS_EINVALID` at the id: `id`, ..."
  std::vector<std::string> names;  // the C++ names: "limits::id_bytes"
};

std::vector<Row> read_table() {
  std::string markdown = test::source_file("docs/c-api.md");
  std::vector<Row> rows;
  std::stringstream in(markdown);
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (!line.starts_with("|")) {
      in_table = false;
      continue;
    }
    auto cells = test::cells_of(line);
    if (!in_table) {
      if (cells.size() == 4 && cells[0] == "what" && cells[1] == "limit or default") {
        REQUIRE_MESSAGE(rows.empty(), "docs/c-api.md has two tables of limits");
        in_table = true;
      }
      continue;
    }
    if (cells[0].starts_with("---")) continue;
    REQUIRE_MESSAGE(cells.size() == 4, "docs/c-api.md: a limits row of the wrong width: ", line);
    Row r{cells[0], cells[1], cells[2], test::ticked(cells[3])};
    std::erase(r.what, '`');
    REQUIRE_MESSAGE(!r.names.empty(), "docs/c-api.md: a limits row names no C++ value: ", line);
    rows.push_back(std::move(r));
  }
  REQUIRE_MESSAGE(!rows.empty(), "docs/c-api.md has no table of limits and defaults");
  return rows;
}

// The numbers a cell states: "10,000" is 10000, "64 KiB" 65536, "2^40" and
// "10^18" powers.
std::set<std::int64_t> numbers_in(const std::string &cell) {
  std::set<std::int64_t> out;
  static const std::regex number(R"((\d[\d,]*)(?:\^(\d+))?(?:\s*(KiB|MiB|TiB))?)");
  for (auto it = std::sregex_iterator(cell.begin(), cell.end(), number); it != std::sregex_iterator(); ++it) {
    std::string digits = (*it)[1];
    std::erase(digits, ',');
    if (digits.size() > 18) continue;
    std::int64_t n = std::stoll(digits);
    if ((*it)[2].matched) {
      std::int64_t base = n;
      n = 1;
      for (int k = std::stoi((*it)[2]); k > 0; --k) n *= base;
    }
    std::string unit = (*it)[3];
    if (unit == "KiB") n <<= 10;
    if (unit == "MiB") n <<= 20;
    if (unit == "TiB") n <<= 40;
    out.insert(n);
  }
  return out;
}

using Value = std::variant<std::int64_t, std::string>;

std::int64_t n(std::size_t v) { return static_cast<std::int64_t>(v); }

// What each C++ name of the table's last column stands for: the values its
// row must state (a number among the cell's numbers, a word in backticks).
std::map<std::string, std::vector<Value>> facts() {
  MessageSettings settings;
  Branding branding;
  BusinessCalendar calendar;
  SqliteOptions sqlite;
  return {
      {"limits::id_bytes", {n(limits::id_bytes)}},
      {"limits::name_bytes", {n(limits::name_bytes)}},
      {"limits::description_bytes", {n(limits::description_bytes)}},
      {"limits::note_bytes", {n(limits::note_bytes)}},
      {"limits::comment_bytes", {n(limits::comment_bytes)}},
      {"limits::fieldworkers_per_record", {n(limits::fieldworkers_per_record)}},
      {"limits::attachment_bytes", {n(limits::attachment_bytes)}},
      {"limits::host_file_bytes", {limits::host_file_bytes}},
      {"limits::attachment_name_bytes", {n(limits::attachment_name_bytes)}},
      {"limits::media_type_bytes", {n(limits::media_type_bytes)}},
      {"limits::storage_key_bytes", {n(limits::storage_key_bytes)}},
      {"limits::attachments_per_comment", {n(limits::attachments_per_comment)}},
      {"limits::search_bytes", {n(limits::search_bytes)}},
      {"limits::search_phrases", {n(limits::search_phrases)}},
      {"limits::snippet_words", {n(limits::snippet_words)}},
      {"SearchOptions::snippet_words", {n(SearchOptions{}.snippet_words)}},
      {"limits::snippet_mark_bytes", {n(limits::snippet_mark_bytes), std::string(SearchOptions{}.mark_open),
                                      std::string(SearchOptions{}.mark_close)}},
      {"SearchOptions::limit", {n(SearchOptions{}.limit)}},
      {"limits::repeat_days", {std::int64_t{limits::repeat_days}}},
      {"DashboardOptions::repeat_days", {std::int64_t{DashboardOptions{}.repeat_days}}},
      {"limits::dashboard_top", {n(limits::dashboard_top)}},
      {"DashboardOptions::top", {n(DashboardOptions{}.top)}},
      {"DashboardOptions::stalled_after", {std::int64_t{DashboardOptions{}.stalled_after.count()}, std::int64_t{14}}},
      {"Money::max_minor", {Money::max_minor}},
      {"Date::from_ymd", {std::int64_t{1900}, std::int64_t{9999}}},
      {"parse_issue_code", {std::int64_t{5}, std::int64_t{18}}},
      {"limits::json_depth", {n(limits::json_depth)}},
      {"limits::workflow_json_bytes", {n(limits::workflow_json_bytes)}},
      {"limits::workflow_statuses", {n(limits::workflow_statuses)}},
      {"limits::workflow_actions", {n(limits::workflow_actions)}},
      {"limits::workflow_stages", {n(limits::workflow_stages)}},
      {"limits::action_inputs", {n(limits::action_inputs)}},
      {"limits::effects_per_list", {n(limits::effects_per_list)}},
      {"limits::workflow_task_kinds", {n(limits::workflow_task_kinds)}},
      {"limits::task_assignees", {n(limits::task_assignees)}},
      {"limits::workflow_rules", {n(limits::workflow_rules)}},
      {"limits::workflow_fields", {n(limits::workflow_fields)}},
      {"limits::field_choices", {n(limits::field_choices)}},
      {"limits::duration_days", {limits::duration_days}},
      {"limits::template_name_bytes", {n(limits::template_name_bytes)}},
      {"limits::template_part_bytes", {n(limits::template_part_bytes)}},
      {"TemplateOptions::max_depth", {std::int64_t{TemplateOptions{}.max_depth}}},
      {"TemplateOptions::max_render_steps", {static_cast<std::int64_t>(TemplateOptions{}.max_render_steps)}},
      {"limits::url_bytes", {n(limits::url_bytes)}},
      {"limits::sla_promise_bytes", {n(limits::sla_promise_bytes)}},
      {"limits::holidays", {n(limits::holidays)}},
      {"limits::periods_per_day", {n(limits::periods_per_day)}},
      {"limits::page_items", {n(limits::page_items)}},
      {"limits::hold_page_items", {n(limits::hold_page_items)}},
      {"IssueFilter::limit", {n(IssueFilter{}.limit)}},
      {"ExportOptions::page_issues", {n(ExportOptions{}.page_issues)}},
      {"HoldFilter::limit", {n(HoldFilter{}.limit)}},
      {"SqliteOptions::busy_timeout_ms", {std::int64_t{sqlite.busy_timeout_ms}, std::int64_t{INT32_MAX}}},
      {"SqliteOptions::cache_kib", {std::int64_t{sqlite.cache_kib}, std::int64_t{INT32_MAX}}},
      {"SqliteOptions::sync", {std::string(sqlite.sync == SqliteOptions::Sync::full ? "full" : "normal")}},
      {"MessageSettings::acknowledgement", {std::string(to_string(settings.acknowledgement))}},
      {"Branding", {branding.company_name, branding.colour, branding.signature}},
      {"MessageSettings::sla_promise", {settings.sla_promise}},
      {"MessageSettings::reminder_schedule",
       {std::string(settings.reminder_schedule ? "set" : "null")}},
      {"BusinessCalendar",
       {calendar.time_zone, format_minute(calendar.hours[1][0].start) + "-" + format_minute(calendar.hours[1][0].end)}},
      {"CommentRequest::internal", {std::string(CommentRequest{}.internal ? "true" : "false")}},
      {"AttachmentRequest::internal", {std::string("true"), std::string("false")}},
      {"ReportRequest::workflow", {ReportRequest{}.workflow}},
      {"ReportRequest::channel", {std::string(to_string(Channel::customer_portal)),
                                  std::string(to_string(Channel::import)), std::string(to_string(Channel::office))}},
      {"Record::visibility", {std::string(to_string(Record{}.visibility))}},
      {"StatusDef::colour", {StatusDef{}.colour}},
      {"HoldRequest::scope", {std::string(to_string(HoldRequest{}.scope))}},
      {"NotificationSettings::defaults_for",
       {std::string(to_string(NotificationSettings::defaults_for(Role::office).scope)), std::string("push"),
        std::string("email")}},
      {"Audience", {std::string("customer"), std::string("fieldworkers")}},
  };
}

// The names of the constants a header declares in its `namespace limits`.
std::vector<std::string> constants_in(const std::string &relative) {
  std::string text = test::source_file(relative);
  auto begin = text.find("namespace limits {");
  auto end = text.find("}  // namespace limits");
  REQUIRE_MESSAGE((begin != std::string::npos && end != std::string::npos), relative, " has no namespace limits");
  std::string block = text.substr(begin, end - begin);
  std::vector<std::string> out;
  static const std::regex decl(R"(inline constexpr [a-z:_0-9]+ ([a-z_0-9]+) =)");
  for (auto it = std::sregex_iterator(block.begin(), block.end(), decl); it != std::sregex_iterator(); ++it)
    out.push_back("limits::" + std::string((*it)[1]));
  return out;
}

}  // namespace

TEST_CASE("every value in the limits table of docs/c-api.md is the value the library uses") {
  auto rows = read_table();
  auto known = facts();
  std::set<std::string> used;
  for (const auto &row : rows) {
    CAPTURE(row.what);
    auto numbers = numbers_in(row.value);
    auto words = test::ticked(row.value);
    for (const auto &name : row.names) {
      CAPTURE(name);
      auto fact = known.find(name);
      REQUIRE_MESSAGE(fact != known.end(), "docs/c-api.md names ", name, ", which this test does not know");
      used.insert(name);
      for (const auto &v : fact->second) {
        if (const auto *number = std::get_if<std::int64_t>(&v))
          CHECK_MESSAGE(numbers.count(*number), "the row should state ", *number, ": ", row.value);
        else
          CHECK_MESSAGE(std::find(words.begin(), words.end(), std::get<std::string>(v)) != words.end(),
                        "the row should state `", std::get<std::string>(v), "`: ", row.value);
      }
    }
  }
  for (const auto &[name, values] : known) CHECK_MESSAGE(used.count(name), name, " has no row in docs/c-api.md");
  for (const char *header : {"include/complaints/limits.hpp", "include/complaints/workflow.hpp"})
    for (const auto &constant : constants_in(header)) {
      CAPTURE(header);
      CHECK_MESSAGE(known.count(constant), constant, " is missing from this test and from docs/c-api.md");
    }
}

// --- the limits, enforced -------------------------------------------------------------

namespace {

// A memory desk as every probe starts from: booking B-1 (customer c-1,
// fieldworker fw-1) and issue CMP-00001 on it, reported by an admin.
struct Desk {
  complaints_desk *desk = nullptr;
  complaints_actor *admin = nullptr, *system = nullptr, *customer = nullptr;
  Desk() {
    REQUIRE(complaints_desk_open_memory(&desk, R"({"clock": "2026-01-05T09:00:00Z"})", nullptr) == COMPLAINTS_OK);
    REQUIRE(complaints_actor_new(&admin, "admin-1", COMPLAINTS_ROLE_ADMIN, 15u, nullptr) == COMPLAINTS_OK);
    REQUIRE(complaints_actor_new(&system, "host", COMPLAINTS_ROLE_SYSTEM, 0u, nullptr) == COMPLAINTS_OK);
    REQUIRE(complaints_actor_new(&customer, "c-1", COMPLAINTS_ROLE_CUSTOMER, 0u, nullptr) == COMPLAINTS_OK);
    ok(complaints_record_put(desk, admin, R"({"kind":"booking","id":"B-1","customer_id":"c-1","fieldworkers":["fw-1"]})"));
    report(R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"Late."})");
  }
  ~Desk() {
    complaints_actor_free(admin);
    complaints_actor_free(system);
    complaints_actor_free(customer);
    complaints_desk_close(desk);
  }
  Desk(const Desk &) = delete;
  Desk &operator=(const Desk &) = delete;

  void ok(int rc) const { REQUIRE_MESSAGE(rc == COMPLAINTS_OK, complaints_desk_errmsg(desk)); }

  // Calls `f(&out)` and returns its code, keeping the output (parsed) in `got`.
  int call(const std::function<int(char **)> &f) {
    char *out = nullptr;
    int rc = f(&out);
    got = out ? ojson::parse(out) : ojson();
    complaints_free(out);
    return rc;
  }
  int report(const std::string &request) {
    return call([&](char **out) { return complaints_issue_report(desk, out, admin, request.c_str()); });
  }
  ojson got;
};

const char *code_name(int rc) {
  switch (rc) {
    case COMPLAINTS_OK: return "COMPLAINTS_OK";
    case COMPLAINTS_ENOTFOUND: return "COMPLAINTS_ENOTFOUND";
    case COMPLAINTS_EFORBIDDEN: return "COMPLAINTS_EFORBIDDEN";
    case COMPLAINTS_EINVALID: return "COMPLAINTS_EINVALID";
    case COMPLAINTS_ECONFLICT: return "COMPLAINTS_ECONFLICT";
    case COMPLAINTS_EWORKFLOW: return "COMPLAINTS_EWORKFLOW";
    case COMPLAINTS_ESTORAGE: return "COMPLAINTS_ESTORAGE";
    case COMPLAINTS_ESTATE: return "COMPLAINTS_ESTATE";
  }
  return "another code";
}

// A call past a limit came back as the row says: its code is one the row
// names, and its place one the row shows (or begins as one shown with "...").
void refused(const Row &row, int rc, const std::string &where) {
  CAPTURE(row.what);
  CHECK_MESSAGE(rc != COMPLAINTS_OK, "accepted past the limit: ", row.what);
  CHECK_MESSAGE(row.beyond.find(code_name(rc)) != std::string::npos, "the row does not give ", code_name(rc), ": ",
                row.beyond);
  bool shown = false;
  for (const auto &place : test::ticked(row.beyond)) {
    if (place == where) shown = true;
    if (place.ends_with("...") && where.starts_with(place.substr(0, place.size() - 3))) shown = true;
  }
  CHECK_MESSAGE(shown, "the row does not show the place `", where, "`: ", row.beyond);
}

void refused(const Row &row, Desk &d, int rc) { refused(row, rc, complaints_desk_errwhere(d.desk)); }

// The same for the calls that take no desk.
void refused_handleless(const Row &row, int rc) { refused(row, rc, complaints_desk_errwhere(nullptr)); }

std::string text(std::size_t bytes, char c = 'a') { return std::string(bytes, c); }

std::string sha256_of_nothing() { return "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; }

// The problems complaints_workflow_validate reports for `doc`, as paths.
std::set<std::string> problems(const ojson &doc) {
  char *out = nullptr;
  REQUIRE(complaints_workflow_validate(&out, doc.dump().c_str(), nullptr) == COMPLAINTS_OK);
  std::set<std::string> paths;
  for (const auto &p : ojson::parse(out)) paths.insert(p["path"].get<std::string>());
  complaints_free(out);
  return paths;
}

// A valid workflow of two statuses and one action, to spoil.
ojson mini_workflow() {
  return {{"name", "mini"},
          {"initial", "Open"},
          {"statuses", {{{"name", "Open"}, {"category", "open"}}, {{"name", "Done"}, {"category", "closed"}}}},
          {"actions", {{{"name", "finish"}, {"from", {"Open"}}, {"to", "Done"}, {"allow", {"admin"}}}}}};
}

// Installs `doc`; its code and the place of its first problem.
void install_refused(const Row &row, Desk &d, const ojson &doc) {
  refused(row, d, complaints_workflow_install(d.desk, d.admin, doc.dump().c_str()));
}

std::string attachment(const std::string &name, const std::string &media_type, const std::string &key,
                       std::int64_t size) {
  return ojson{{"name", name}, {"media_type", media_type}, {"storage_key", key}, {"size", size},
               {"sha256", sha256_of_nothing()}}
      .dump();
}

std::string nested(std::size_t depth) { return text(depth, '[') + "\"x\"" + text(depth, ']'); }

using Probe = std::function<void(const Row &)>;

// How each row's limit is tried, by the row's first cell.
std::map<std::string, Probe> probes() {
  std::map<std::string, Probe> p;

  p["an id"] = [](const Row &row) {
    complaints_actor *a = nullptr;
    REQUIRE(complaints_actor_new(&a, text(limits::id_bytes).c_str(), 0, 0, nullptr) == COMPLAINTS_OK);
    complaints_actor_free(a);
    a = nullptr;
    refused_handleless(row, complaints_actor_new(&a, text(limits::id_bytes + 1).c_str(), 0, 0, nullptr));
    Desk d;
    auto report_on = [&](const std::string &id) {
      return d.report(ojson{{"record", {{"kind", "booking"}, {"id", id}}}, {"type", "Other"}, {"description", "x"}}
                          .dump());
    };
    CHECK(report_on(text(limits::id_bytes)) == COMPLAINTS_ENOTFOUND);  // well-formed, but not registered
    refused(row, d, report_on(text(limits::id_bytes + 1)));
    d.ok(complaints_user_put(d.desk, d.admin, ojson{{"id", text(limits::id_bytes)}, {"role", "office"}}.dump().c_str()));
    refused(row, d,
            complaints_user_put(d.desk, d.admin, ojson{{"id", text(limits::id_bytes + 1)}, {"role", "office"}}.dump().c_str()));
    refused(row, d,
            d.report(ojson{{"record", {{"kind", "booking"}, {"id", "B-1"}}},
                           {"type", "Other"},
                           {"description", "x"},
                           {"fieldworkers", {"fw-1", "fw-2", text(limits::id_bytes + 1)}}}
                         .dump()));
    auto invoice = [&](std::size_t bytes) {
      return complaints_record_put(
          d.desk, d.admin,
          ojson{{"kind", "booking"}, {"id", "B-2"}, {"customer_id", "c-1"}, {"invoice_id", text(bytes)}}.dump().c_str());
    };
    d.ok(invoice(limits::id_bytes));
    refused(row, d, invoice(limits::id_bytes + 1));
  };
  p["a name"] = [](const Row &row) {
    Desk d;
    auto type = [&](std::size_t bytes) {
      return complaints_type_add(d.desk, d.admin, ojson{{"name", text(bytes)}}.dump().c_str());
    };
    d.ok(type(limits::name_bytes));
    refused(row, d, type(limits::name_bytes + 1));
    refused(row, d, d.call([&](char **out) {
      return complaints_issue_act(d.desk, out, d.admin, "CMP-00001",
                                  ojson{{"action", text(limits::name_bytes + 1)}}.dump().c_str());
    }));
    auto user = [&](std::size_t bytes) {
      return complaints_user_put(d.desk, d.admin,
                                 ojson{{"id", "u-" + std::to_string(bytes)}, {"role", "office"}, {"name", text(bytes)}}
                                     .dump()
                                     .c_str());
    };
    d.ok(user(limits::name_bytes));
    refused(row, d, user(limits::name_bytes + 1));
    auto phone = [&](std::size_t bytes) {
      return complaints_message_settings_set(d.desk, d.admin,
                                             ojson{{"branding", {{"phone", text(bytes, '1')}}}}.dump().c_str());
    };
    d.ok(phone(limits::name_bytes));
    refused(row, d, phone(limits::name_bytes + 1));
    ojson wf = mini_workflow();
    wf["statuses"][1]["name"] = text(limits::name_bytes + 1);
    wf["actions"][0]["to"] = text(limits::name_bytes + 1);
    install_refused(row, d, wf);
  };
  p["a description"] = [](const Row &row) {
    Desk d;
    auto report = [&](std::size_t bytes) {
      return d.report(
          ojson{{"record", {{"kind", "booking"}, {"id", "B-1"}}}, {"type", "Other"}, {"description", text(bytes)}}
              .dump());
    };
    d.ok(report(limits::description_bytes));
    refused(row, d, report(limits::description_bytes + 1));
  };
  p["a note"] = [](const Row &row) {
    Desk d;
    auto act = [&](std::size_t bytes) {
      return d.call([&](char **out) {
        return complaints_issue_act(
            d.desk, out, d.admin, "CMP-00001",
            ojson{{"action", "convert_to_in_progress"}, {"inputs", {{"note", text(bytes)}}}}.dump().c_str());
      });
    };
    refused(row, d, act(limits::note_bytes + 1));
    d.ok(act(limits::note_bytes));
    refused(row, d, d.call([&](char **out) {
      return complaints_hold_withhold(d.desk, out, d.admin,
                                      ojson{{"record", {{"kind", "booking"}, {"id", "B-1"}}},
                                            {"fieldworker", "fw-1"},
                                            {"reason", text(limits::note_bytes + 1)}}
                                          .dump()
                                          .c_str());
    }));
  };
  p["a comment"] = [](const Row &row) {
    Desk d;
    auto comment = [&](std::size_t bytes) {
      return d.call([&](char **out) {
        return complaints_comment_add(d.desk, out, d.admin, "CMP-00001", ojson{{"body", text(bytes)}}.dump().c_str());
      });
    };
    d.ok(comment(limits::comment_bytes));
    refused(row, d, comment(limits::comment_bytes + 1));
  };
  p["fieldworkers"] = [](const Row &row) {
    Desk d;
    auto record = [&](std::size_t count) {
      ojson fws = ojson::array();
      for (std::size_t i = 0; i < count; ++i) fws.push_back("fw-" + std::to_string(i));
      return complaints_record_put(
          d.desk, d.admin,
          ojson{{"kind", "booking"}, {"id", "B-2"}, {"customer_id", "c-1"}, {"fieldworkers", fws}}.dump().c_str());
    };
    d.ok(record(limits::fieldworkers_per_record));
    refused(row, d, record(limits::fieldworkers_per_record + 1));
    ojson many = ojson::array();
    for (std::size_t i = 0; i <= limits::fieldworkers_per_record; ++i) many.push_back("fw-" + std::to_string(i));
    refused(row, d,
            d.report(ojson{{"record", {{"kind", "booking"}, {"id", "B-2"}}},
                           {"type", "Other"},
                           {"description", "x"},
                           {"fieldworkers", many}}
                         .dump()));
  };
  p["a file the library keeps"] = [](const Row &row) {
    Desk d;
    auto attach = [&](std::size_t bytes) {  // `bytes` zero bytes, base64
      std::string b64((bytes / 3) * 4, 'A');
      if (bytes % 3 == 1) b64 += "AA==";
      if (bytes % 3 == 2) b64 += "AAA=";
      std::string request =
          ojson{{"name", "f.bin"}, {"media_type", "application/octet-stream"}, {"bytes_base64", b64}}.dump();
      return d.call([&](char **out) {
        return complaints_attachment_add(d.desk, out, d.admin, "CMP-00001", request.c_str());
      });
    };
    d.ok(attach(limits::attachment_bytes));
    refused(row, d, attach(limits::attachment_bytes + 1));
  };
  auto attach = [](Desk &d, const std::string &request) {
    return d.call([&](char **out) {
      return complaints_attachment_add(d.desk, out, d.admin, "CMP-00001", request.c_str());
    });
  };
  p["a file the host keeps"] = [attach](const Row &row) {
    Desk d;
    d.ok(attach(d, attachment("f.bin", "application/pdf", "k", limits::host_file_bytes)));
    refused(row, d, attach(d, attachment("f.bin", "application/pdf", "k", limits::host_file_bytes + 1)));
  };
  p["a file's name"] = [attach](const Row &row) {
    Desk d;
    d.ok(attach(d, attachment(text(limits::attachment_name_bytes), "application/pdf", "k", 0)));
    refused(row, d, attach(d, attachment(text(limits::attachment_name_bytes + 1), "application/pdf", "k", 0)));
  };
  p["a media type"] = [attach](const Row &row) {
    Desk d;
    auto type = [](std::size_t bytes) { return "a/" + text(bytes - 2, 'b'); };
    d.ok(attach(d, attachment("f", type(limits::media_type_bytes), "k", 0)));
    refused(row, d, attach(d, attachment("f", type(limits::media_type_bytes + 1), "k", 0)));
  };
  p["a storage key"] = [attach](const Row &row) {
    Desk d;
    d.ok(attach(d, attachment("f", "application/pdf", text(limits::storage_key_bytes), 0)));
    refused(row, d, attach(d, attachment("f", "application/pdf", text(limits::storage_key_bytes + 1), 0)));
  };
  p["files on a comment"] = [](const Row &row) {
    Desk d;
    auto comment = [&](std::size_t files) {
      ojson list = ojson::array();
      for (std::size_t i = 0; i < files; ++i)
        list.push_back(ojson::parse(attachment("f" + std::to_string(i), "image/jpeg", "k" + std::to_string(i), 1)));
      std::string request = ojson{{"body", "photos"}, {"attachments", list}}.dump();
      return d.call([&](char **out) { return complaints_comment_add(d.desk, out, d.admin, "CMP-00001", request.c_str()); });
    };
    d.ok(comment(limits::attachments_per_comment));
    refused(row, d, comment(limits::attachments_per_comment + 1));
  };
  // complaints_search with these options; the hits are in d.got.
  auto search = [](Desk &d, const ojson &options) {
    std::string text = options.dump();
    return d.call([&](char **out) { return complaints_search(d.desk, out, d.admin, text.c_str()); });
  };
  p["a search query"] = [search](const Row &row) {
    Desk d;
    d.ok(search(d, {{"query", text(limits::search_bytes)}}));
    refused(row, d, search(d, {{"query", text(limits::search_bytes + 1)}}));
    refused(row, d, search(d, {{"query", " "}}));
  };
  p["words in a search query"] = [search](const Row &row) {
    Desk d;
    std::string q;
    for (std::size_t k = 0; k < limits::search_phrases; ++k) q += (k ? " OR w" : "w") + std::to_string(k);
    d.ok(search(d, {{"query", q}}));
    refused(row, d, search(d, {{"query", q + " OR \"one more\""}}));
  };
  p["a snippet's words"] = [search](const Row &row) {
    Desk d;
    d.ok(d.report(R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":)"
                  R"("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen )"
                  R"(sixteen seventeen eighteen nineteen twenty"})"));
    d.ok(search(d, {{"query", "one"}}));
    REQUIRE(d.got.size() == 1);  // the default: 16 words, then "..."
    CHECK(d.got[0]["snippet"] == "[one] two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                                 "fifteen sixteen ...");
    d.ok(search(d, {{"query", "one"}, {"snippet_words", limits::snippet_words}}));
    refused(row, d, search(d, {{"query", "one"}, {"snippet_words", limits::snippet_words + 1}}));
    refused(row, d, search(d, {{"query", "one"}, {"snippet_words", 0}}));
  };
  p["a snippet's marks"] = [search](const Row &row) {
    Desk d;
    d.ok(search(d, {{"query", "one"}, {"mark_open", text(limits::snippet_mark_bytes)},
                    {"mark_close", text(limits::snippet_mark_bytes)}}));
    refused(row, d, search(d, {{"query", "one"}, {"mark_open", text(limits::snippet_mark_bytes + 1)}}));
    refused(row, d, search(d, {{"query", "one"}, {"mark_close", text(limits::snippet_mark_bytes + 1)}}));
  };
  // complaints_dashboard over January 2026 with these options besides.
  auto dashboard = [](Desk &d, ojson options) {
    options["from"] = "2026-01-01T00:00:00Z";
    options["to"] = "2026-02-01T00:00:00Z";
    std::string text = options.dump();
    return d.call([&](char **out) { return complaints_dashboard(d.desk, out, d.admin, text.c_str()); });
  };
  p["a dashboard's repeat window"] = [dashboard](const Row &row) {
    Desk d;
    d.ok(dashboard(d, {{"repeat_days", limits::repeat_days}}));
    d.ok(dashboard(d, {{"repeat_days", 1}}));
    refused(row, d, dashboard(d, {{"repeat_days", limits::repeat_days + 1}}));
    refused(row, d, dashboard(d, {{"repeat_days", 0}}));
  };
  p["a dashboard's lists"] = [dashboard](const Row &row) {
    Desk d;
    d.ok(dashboard(d, {{"top", limits::dashboard_top}}));
    refused(row, d, dashboard(d, {{"top", limits::dashboard_top + 1}}));
    refused(row, d, dashboard(d, {{"top", 0}}));
  };
  p["a dashboard's stalled holds"] = [dashboard](const Row &row) {
    Desk d;
    d.ok(dashboard(d, {{"stalled_after_hours", 0}}));
    d.ok(dashboard(d, {{"stalled_after_hours", 24 * limits::duration_days}}));
    refused(row, d, dashboard(d, {{"stalled_after_hours", 24 * limits::duration_days + 1}}));
    refused(row, d, dashboard(d, {{"stalled_after_hours", -1}}));
  };
  p["complaints_search"] = [search](const Row &row) {
    Desk d;
    std::size_t page = SearchOptions{}.limit;
    for (std::size_t i = 0; i <= page; ++i)
      d.ok(d.report(R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"Again."})"));
    d.ok(search(d, {{"query", "again"}}));
    CHECK(d.got.size() == page);  // of page + 1 hits: the default page
    d.ok(search(d, {{"query", "again"}, {"offset", page}}));
    CHECK(d.got.size() == 1);
    d.ok(search(d, {{"query", "again"}, {"limit", limits::page_items}, {"offset", limits::page_items}}));
    CHECK(d.got.empty());
    refused(row, d, search(d, {{"query", "again"}, {"limit", limits::page_items + 1}}));
    refused(row, d, search(d, {{"query", "again"}, {"limit", 0}}));
    refused(row, d, search(d, {{"query", "again"}, {"offset", limits::page_items + 1}}));
    refused(row, d, search(d, {{"query", "again"}, {"offset", -1}}));
  };
  p["an amount"] = [](const Row &row) {
    Desk d;
    auto withhold = [&](std::int64_t minor) {
      return d.call([&](char **out) {
        return complaints_hold_withhold(d.desk, out, d.admin,
                                        ojson{{"record", {{"kind", "booking"}, {"id", "B-1"}}},
                                              {"fieldworker", "fw-1"},
                                              {"amount", {{"minor", minor}, {"currency", "AUD"}}},
                                              {"reason", "dispute"}}
                                            .dump()
                                            .c_str());
      });
    };
    d.ok(withhold(Money::max_minor));
    refused(row, d, withhold(Money::max_minor + 1));
  };
  p["a date"] = [](const Row &row) {
    Desk d;
    auto report = [&](const char *date) {
      return d.report(ojson{{"record", {{"kind", "booking"}, {"id", "B-1"}}},
                            {"type", "Other"},
                            {"description", "x"},
                            {"follow_up_date", date}}
                          .dump());
    };
    d.ok(report("1900-01-01"));
    d.ok(report("9999-12-31"));
    refused(row, d, report("1899-12-31"));
    refused(row, d, report("10000-01-01"));
  };
  p["an issue code"] = [](const Row &row) {
    Desk d;
    auto get = [&](const std::string &code) {
      return d.call([&](char **out) { return complaints_issue_get(d.desk, out, d.admin, code.c_str()); });
    };
    d.ok(get("CMP-00001"));
    CHECK(get("CMP-1" + text(17, '0')) == COMPLAINTS_ENOTFOUND);  // 18 digits: a code, of no issue
    refused(row, d, get("CMP-1" + text(18, '0')));
    refused(row, d, get("CMP-0001"));
    refused(row, d, get("CMP-000001"));
  };
  p["JSON nesting"] = [](const Row &row) {
    Desk d;
    // {"action", "inputs": {"note": [[...]]}}: the request and its inputs are two levels.
    auto act = [&](std::size_t depth) {
      std::string request = R"({"action":"close","inputs":{"note":)" + nested(depth - 2) + "}}";
      return d.call(
          [&](char **out) { return complaints_issue_act(d.desk, out, d.admin, "CMP-00001", request.c_str()); });
    };
    CHECK(act(limits::json_depth) == COMPLAINTS_EINVALID);
    CHECK(std::string(complaints_desk_errwhere(d.desk)) == "inputs.note");  // not a string: read, not refused
    refused(row, d, act(limits::json_depth + 1));
    CHECK(std::string(complaints_desk_errmsg(d.desk)).find(std::to_string(limits::json_depth)) != std::string::npos);
  };
  p["a workflow document"] = [](const Row &row) {
    Desk d;
    std::string doc = mini_workflow().dump();
    CHECK(problems(ojson::parse(doc + text(limits::workflow_json_bytes - doc.size(), ' '))).empty());
    std::string big = doc + text(limits::workflow_json_bytes + 1 - doc.size(), ' ');
    refused(row, d, complaints_workflow_install(d.desk, d.admin, big.c_str()));
  };
  auto many = [](const char *list, std::size_t count, const std::function<ojson(std::size_t)> &item) {
    ojson wf = mini_workflow();
    wf[list] = ojson::array();
    for (std::size_t i = 0; i < count; ++i) wf[list].push_back(item(i));
    return wf;
  };
  p["a workflow's statuses"] = [many](const Row &row) {
    auto status = [](std::size_t i) {
      return ojson{{"name", i == 0 ? "Open" : "s" + std::to_string(i)}, {"category", i == 1 ? "closed" : "open"}};
    };
    CHECK(problems(many("statuses", limits::workflow_statuses, status)).count("$.statuses") == 0);
    Desk d;
    install_refused(row, d, many("statuses", limits::workflow_statuses + 1, status));
  };
  p["a workflow's actions"] = [many](const Row &row) {
    auto action = [](std::size_t i) {
      return ojson{{"name", "a" + std::to_string(i)}, {"from", {"Open"}}, {"to", "Done"}, {"allow", {"admin"}}};
    };
    CHECK(problems(many("actions", limits::workflow_actions, action)).empty());
    Desk d;
    install_refused(row, d, many("actions", limits::workflow_actions + 1, action));
  };
  p["a workflow's stages"] = [many](const Row &row) {
    auto stage = [](std::size_t i) { return ojson{{"name", "st" + std::to_string(i)}, {"statuses", ojson::array()}}; };
    CHECK(problems(many("stages", limits::workflow_stages, stage)).count("$.stages") == 0);
    Desk d;
    install_refused(row, d, many("stages", limits::workflow_stages + 1, stage));
  };
  p["a workflow's task kinds"] = [many](const Row &row) {
    auto kind = [](std::size_t i) { return ojson{{"name", "k" + std::to_string(i)}}; };
    CHECK(problems(many("tasks", limits::workflow_task_kinds, kind)).count("$.tasks") == 0);
    Desk d;
    install_refused(row, d, many("tasks", limits::workflow_task_kinds + 1, kind));
  };
  p["a workflow's rules"] = [many](const Row &row) {
    auto rule = [](std::size_t) { return ojson{{"on", "stage_changed"}, {"effects", ojson::array()}}; };
    CHECK(problems(many("rules", limits::workflow_rules, rule)).count("$.rules") == 0);
    Desk d;
    install_refused(row, d, many("rules", limits::workflow_rules + 1, rule));
  };
  p["a workflow's case fields"] = [many](const Row &row) {
    auto field = [](std::size_t i) { return ojson{{"name", "f" + std::to_string(i)}, {"type", "text"}}; };
    CHECK(problems(many("fields", limits::workflow_fields, field)).count("$.fields") == 0);
    Desk d;
    install_refused(row, d, many("fields", limits::workflow_fields + 1, field));
  };
  p["a case field's choices"] = [](const Row &row) {
    auto with_choices = [](std::size_t count) {
      ojson wf = mini_workflow();
      ojson choices = ojson::array();
      for (std::size_t i = 0; i < count; ++i) choices.push_back("c" + std::to_string(i));
      wf["fields"] = {{{"name", "pick"}, {"type", "choice"}, {"choices", choices}}};
      return wf;
    };
    CHECK(problems(with_choices(limits::field_choices)).empty());
    Desk d;
    install_refused(row, d, with_choices(limits::field_choices + 1));
  };
  p["a task kind's assignees"] = [](const Row &row) {
    auto with_assignees = [](const char *key, std::size_t count) {
      ojson wf = mini_workflow();
      ojson ids = ojson::array();
      for (std::size_t i = 0; i < count; ++i) ids.push_back("a" + std::to_string(i));
      wf["tasks"] = {{{"name", "investigate"}, {"assign_to", {{key, ids}}}}};
      return wf;
    };
    Desk d;
    for (const char *key : {"groups", "users"}) {
      CHECK(problems(with_assignees(key, limits::task_assignees)).empty());
      install_refused(row, d, with_assignees(key, limits::task_assignees + 1));
    }
  };
  p["an action's inputs"] = [](const Row &row) {
    auto with_inputs = [](std::size_t count) {
      ojson wf = mini_workflow();
      wf["actions"][0]["inputs"] = ojson::array();
      for (std::size_t i = 0; i < count; ++i) wf["actions"][0]["inputs"].push_back({{"name", "i" + std::to_string(i)}});
      return wf;
    };
    CHECK(problems(with_inputs(limits::action_inputs)).empty());
    Desk d;
    install_refused(row, d, with_inputs(limits::action_inputs + 1));
  };
  p["an effect list"] = [](const Row &row) {
    auto with_effects = [](const std::string &where, std::size_t count) {
      ojson wf = mini_workflow();
      ojson list = ojson::array();
      for (std::size_t i = 0; i < count; ++i) list.push_back({{"type", "cancel_timer"}, {"timer", "t"}});
      if (where == "on_report")
        wf["on_report"] = list;
      else
        wf["actions"][0]["effects"] = list;
      return wf;
    };
    Desk d;
    for (const char *where : {"actions", "on_report"}) {
      CHECK(problems(with_effects(where, limits::effects_per_list)).empty());
      install_refused(row, d, with_effects(where, limits::effects_per_list + 1));
    }
  };
  p["a duration"] = [](const Row &row) {
    auto with_sla = [](const std::string &within) {
      ojson wf = mini_workflow();
      wf["slas"] = {{{"name", "respond"}, {"within", within}}};
      return wf;
    };
    std::int64_t days = limits::duration_days;
    for (const std::string &fits : {std::to_string(days) + "d", std::to_string(days * 24) + "h",
                                    std::to_string(days * 1440) + "m", std::string("1m")}) {
      CAPTURE(fits);
      CHECK(problems(with_sla(fits)).empty());
    }
    Desk d;
    for (const std::string &past : {std::to_string(days + 1) + "d", std::to_string(days * 24 + 1) + "h",
                                    std::to_string(days * 1440 + 1) + "m", std::string("0m")}) {
      CAPTURE(past);
      install_refused(row, d, with_sla(past));
    }
  };
  auto save = [](Desk &d, const ojson &t) { return complaints_template_save(d.desk, d.admin, t.dump().c_str()); };
  p["a template's name"] = [save](const Row &row) {
    Desk d;
    d.ok(save(d, {{"name", text(limits::template_name_bytes, 'n')}, {"subject", "Hello"}}));
    refused(row, d, save(d, {{"name", text(limits::template_name_bytes + 1, 'n')}, {"subject", "Hello"}}));
  };
  p["a template part"] = [save](const Row &row) {
    Desk d;
    d.ok(save(d, {{"name", "notice"}, {"subject", text(limits::template_part_bytes)}}));
    refused(row, d, save(d, {{"name", "notice"}, {"subject", text(limits::template_part_bytes + 1)}}));
  };
  p["template nesting"] = [save](const Row &row) {
    Desk d;
    auto body = [](int depth) {
      std::string s;
      for (int i = 0; i < depth; ++i) s += "{{#agent_name}}";
      for (int i = 0; i < depth; ++i) s += "{{/agent_name}}";
      return s;
    };
    int depth = TemplateOptions{}.max_depth;
    d.ok(save(d, {{"name", "notice"}, {"subject", "Hello"}, {"body_text", body(depth)}}));
    refused(row, d, save(d, {{"name", "notice"}, {"subject", "Hello"}, {"body_text", body(depth + 1)}}));
  };
  p["a URL"] = [](const Row &row) {
    Desk d;
    auto url = [](std::size_t bytes) { return "https://" + text(bytes - 8, 'u'); };
    auto set = [&](const ojson &settings) {
      return complaints_message_settings_set(d.desk, d.admin, settings.dump().c_str());
    };
    d.ok(set({{"branding", {{"logo_url", url(limits::url_bytes)}, {"website", url(limits::url_bytes)}}},
              {"discussion_url", url(limits::url_bytes)}}));
    refused(row, d, set({{"branding", {{"logo_url", url(limits::url_bytes + 1)}}}}));
    refused(row, d, set({{"branding", {{"website", url(limits::url_bytes + 1)}}}}));
    refused(row, d, set({{"discussion_url", url(limits::url_bytes + 1)}}));
  };
  p["the SLA promise"] = [](const Row &row) {
    Desk d;
    auto set = [&](std::size_t bytes) {
      return complaints_message_settings_set(d.desk, d.admin, ojson{{"sla_promise", text(bytes)}}.dump().c_str());
    };
    d.ok(set(limits::sla_promise_bytes));
    refused(row, d, set(limits::sla_promise_bytes + 1));
  };
  auto calendar = [](Desk &d, const ojson &c) { return complaints_calendar_set(d.desk, d.admin, c.dump().c_str()); };
  p["holidays"] = [calendar](const Row &row) {
    auto days = [](std::size_t count) {
      ojson list = ojson::array();
      Date first = Date::parse("2026-01-01");
      for (std::size_t i = 0; i < count; ++i)
        list.push_back(Date::of(first.start() + std::chrono::days(static_cast<int>(i))).to_string());
      return ojson{{"holidays", list}};
    };
    Desk d;
    d.ok(calendar(d, days(limits::holidays)));
    refused(row, d, calendar(d, days(limits::holidays + 1)));
  };
  p["working periods"] = [calendar](const Row &row) {
    auto periods = [](std::size_t count) {  // 20 minutes every 50
      ojson list = ojson::array();
      for (std::size_t i = 0; i < count; ++i) {
        auto start = static_cast<std::uint16_t>(i * 50);
        list.push_back(format_minute(start) + "-" + format_minute(static_cast<std::uint16_t>(start + 20)));
      }
      return ojson{{"hours", {{"mon", list}}}};
    };
    Desk d;
    d.ok(calendar(d, periods(limits::periods_per_day)));
    refused(row, d, calendar(d, periods(limits::periods_per_day + 1)));
  };
  p["complaints_issue_list"] = [](const Row &row) {
    Desk d;
    auto list = [&](const char *filter) {
      return d.call([&](char **out) { return complaints_issue_list(d.desk, out, d.admin, filter); });
    };
    std::size_t page = IssueFilter{}.limit;
    for (std::size_t i = 1; i <= page; ++i)
      d.ok(d.report(R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"Again."})"));
    d.ok(list(nullptr));
    CHECK(d.got.size() == page);  // of page + 1 issues: the default page
    std::int64_t last = d.got.back()["number"];
    d.ok(list(ojson{{"after_number", last}}.dump().c_str()));
    REQUIRE(d.got.size() == 1);
    CHECK(d.got[0]["number"] == last + 1);
    d.ok(list(ojson{{"limit", limits::page_items}}.dump().c_str()));
    CHECK(d.got.size() == page + 1);
    refused(row, d, list(ojson{{"limit", limits::page_items + 1}}.dump().c_str()));
    refused(row, d, list(R"({"limit": 0})"));
    refused(row, d, list(R"({"after_number": -1})"));
  };
  // A C `limit` argument: accepted at the limit; 0, negative and past it refused alike.
  auto c_limit = [](const Row &row, Desk &d, const std::function<int(char **, int)> &f) {
    d.ok(d.call([&](char **out) { return f(out, static_cast<int>(limits::page_items)); }));
    refused(row, d, d.call([&](char **out) { return f(out, static_cast<int>(limits::page_items) + 1); }));
    std::string message = complaints_desk_errmsg(d.desk);
    for (int bad : {0, -1}) {
      refused(row, d, d.call([&](char **out) { return f(out, bad); }));
      CHECK(std::string(complaints_desk_errmsg(d.desk)) == message);
    }
  };
  p["complaints_issue_search"] = [c_limit](const Row &row) {
    Desk d;
    c_limit(row, d, [&](char **out, int n) { return complaints_issue_search(d.desk, out, d.admin, "Late", n); });
  };
  p["complaints_due_process"] = [c_limit](const Row &row) {
    Desk d;
    c_limit(row, d, [&](char **out, int n) { return complaints_due_process(d.desk, out, d.system, n); });
  };
  p["complaints_outbox_pending"] = [c_limit](const Row &row) {
    Desk d;
    c_limit(row, d, [&](char **out, int n) { return complaints_outbox_pending(d.desk, out, d.system, n, 0); });
  };
  p["complaints_task_claimable, complaints_task_mine"] = [c_limit](const Row &row) {
    Desk d;
    c_limit(row, d, [&](char **out, int n) { return complaints_task_claimable(d.desk, out, d.admin, n, 0); });
    c_limit(row, d, [&](char **out, int n) { return complaints_task_mine(d.desk, out, d.admin, n, 0); });
  };
  p["complaints_export_file, complaints_export_callback"] = [](const Row &row) {
    Desk d;
    auto sink = [](void *, const char *, size_t) { return 0; };
    auto with_page = [](std::size_t n) { return ojson{{"page_issues", n}}.dump(); };
    d.ok(complaints_export_callback(d.desk, nullptr, d.admin, with_page(limits::page_items).c_str(), sink, nullptr));
    for (std::size_t n : {std::size_t{0}, limits::page_items + 1}) {
      refused(row, d, complaints_export_callback(d.desk, nullptr, d.admin, with_page(n).c_str(), sink, nullptr));
      test::TempDir dir;
      refused(row, d, complaints_export_file(d.desk, nullptr, d.admin, dir.file("register.csv").c_str(),
                                             with_page(n).c_str()));
    }
  };
  p["complaints_outbox_ack"] = [](const Row &row) {
    Desk d;
    std::vector<std::int64_t> ids(limits::page_items + 1);
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int64_t>(i) + 1;
    d.ok(complaints_outbox_ack(d.desk, nullptr, d.system, ids.data(), limits::page_items));
    refused(row, d, complaints_outbox_ack(d.desk, nullptr, d.system, ids.data(), ids.size()));
  };
  p["complaints_hold_list"] = [](const Row &row) {
    Desk d;
    auto list = [&](std::int64_t limit) {
      return d.call([&](char **out) {
        return complaints_hold_list(d.desk, out, d.admin, ojson{{"limit", limit}}.dump().c_str());
      });
    };
    d.ok(list(n(limits::hold_page_items)));
    refused(row, d, list(n(limits::hold_page_items) + 1));
    refused(row, d, list(0));
  };
  p["complaints_hold_may_pay_many"] = [](const Row &row) {
    Desk d;
    auto ask = [&](std::size_t count) {
      ojson queries = ojson::array();
      for (std::size_t i = 0; i < count; ++i)
        queries.push_back({{"record", {{"kind", "booking"}, {"id", "B-1"}}}, {"fieldworker", "fw-1"}});
      std::string text = queries.dump();
      return d.call([&](char **out) { return complaints_hold_may_pay_many(d.desk, out, d.admin, text.c_str()); });
    };
    d.ok(ask(limits::hold_page_items));
    CHECK(d.got.size() == limits::hold_page_items);
    refused(row, d, ask(limits::hold_page_items + 1));
  };
  p["complaints_hold_stalled"] = [](const Row &row) {
    Desk d;
    auto stalled = [&](int days) {
      return d.call([&](char **out) { return complaints_hold_stalled(d.desk, out, d.admin, days); });
    };
    d.ok(stalled(0));
    CHECK(d.got.size() == 1);  // the hold the report made
    refused(row, d, stalled(-1));
  };
  auto open_option = [](const Row &row, const char *key, const std::string &fits, const std::string &past) {
    test::TempDir dir;
    std::string file = dir.file("limits.db");
    complaints_desk *desk = nullptr;
    std::string options = std::string("{\"") + key + "\":" + fits + "}";
    REQUIRE(complaints_desk_open_sqlite(&desk, file.c_str(), options.c_str(), nullptr) == COMPLAINTS_OK);
    complaints_desk_close(desk);
    desk = nullptr;
    options = std::string("{\"") + key + "\":" + past + "}";
    refused_handleless(row, complaints_desk_open_sqlite(&desk, file.c_str(), options.c_str(), nullptr));
  };
  p["busy_timeout_ms"] = [open_option](const Row &row) {
    open_option(row, "busy_timeout_ms", std::to_string(INT32_MAX), std::to_string(std::int64_t{INT32_MAX} + 1));
  };
  p["cache_kib"] = [open_option](const Row &row) {
    open_option(row, "cache_kib", std::to_string(INT32_MAX), std::to_string(std::int64_t{INT32_MAX} + 1));
  };
  p["sync"] = [open_option](const Row &row) { open_option(row, "sync", "\"normal\"", "\"fast\""); };
  auto settings = [](Desk &d) {
    d.ok(d.call([&](char **out) { return complaints_message_settings_get(d.desk, out, d.admin); }));
    return d.got;
  };
  p["the acknowledgement"] = [settings](const Row &row) {
    Desk d;
    CHECK(settings(d)["acknowledgement"] == to_string(MessageSettings{}.acknowledgement));
    refused(row, d, complaints_message_settings_set(d.desk, d.admin, R"({"acknowledgement": "sometimes"})"));
  };
  p["branding"] = [settings](const Row &row) {
    Desk d;
    ojson b = settings(d)["branding"];
    CHECK(b["company_name"] == Branding{}.company_name);
    CHECK(b["colour"] == Branding{}.colour);
    CHECK(b["signature"] == Branding{}.signature);
    refused(row, d, complaints_message_settings_set(d.desk, d.admin, R"({"branding": {"colour": "blue"}})"));
  };
  p["a file's internal"] = [](const Row &row) {
    Desk d;
    auto add = [&](const complaints_actor *who, const ojson &request) {
      return d.call([&](char **out) {
        return complaints_attachment_add(d.desk, out, who, "CMP-00001", request.dump().c_str());
      });
    };
    ojson file = ojson::parse(attachment("f", "image/jpeg", "k", 1));
    d.ok(add(d.admin, file));
    CHECK(d.got["internal"] == true);
    d.ok(add(d.customer, file));
    CHECK(d.got["internal"] == false);
    ojson theirs = file;
    theirs["internal"] = true;
    refused(row, d, add(d.customer, theirs));
    ojson comment = {{"body", "note"}, {"attachments", {file}}};
    comment["attachments"][0]["internal"] = false;  // a public file on an internal comment
    refused(row, d, d.call([&](char **out) {
      return complaints_comment_add(d.desk, out, d.admin, "CMP-00001", comment.dump().c_str());
    }));
  };
  p["a report's workflow"] = [](const Row &row) {
    Desk d;
    d.ok(d.report(R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"x"})"));
    CHECK(d.got["workflow"] == ReportRequest{}.workflow);
    refused(row, d,
            d.report(R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"x","workflow":"nope"})"));
  };
  p["a report's channel"] = [](const Row &row) {
    Desk d;
    CHECK(d.report(R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"x"})") == COMPLAINTS_OK);
    CHECK(d.got["channel"] == "office");
    auto by_customer = [&](const char *request) {
      return d.call([&](char **out) { return complaints_issue_report(d.desk, out, d.customer, request); });
    };
    d.ok(by_customer(R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"x"})"));
    CHECK(d.got["channel"] == "customer_portal");
    refused(row, d,
            by_customer(R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"x","channel":"office"})"));
  };
  p["a status's or issue type's colour"] = [](const Row &row) {
    Desk d;
    d.ok(complaints_type_add(d.desk, d.admin, R"({"name": "Noise"})"));
    d.ok(d.call([&](char **out) { return complaints_type_list(d.desk, out, d.admin); }));
    for (const auto &t : d.got)
      if (t["name"] == "Noise") CHECK(t["colour"] == StatusDef{}.colour);  // (the JSON reader's default for both)
    refused(row, d, complaints_type_add(d.desk, d.admin, R"({"name": "Noise", "colour": "red"})"));
    refused(row, d,
            complaints_status_add(d.desk, d.admin, "field-service",
                                  R"({"name": "Parked", "colour": "red", "category": "pending"})"));
  };
  p["a hold's scope"] = [](const Row &row) {
    Desk d;
    auto withhold = [&](const char *scope) {
      ojson request = {{"record", {{"kind", "booking"}, {"id", "B-1"}}},
                       {"fieldworker", "fw-1"},
                       {"amount", {{"minor", 100}, {"currency", "AUD"}}},
                       {"reason", "dispute"}};
      if (scope) request["scope"] = scope;
      return d.call([&](char **out) {
        return complaints_hold_withhold(d.desk, out, d.admin, request.dump().c_str());
      });
    };
    d.ok(withhold(nullptr));
    CHECK(d.got["scope"] == to_string(HoldRequest{}.scope));
    refused(row, d, withhold("half"));
  };
  p["a message's audience"] = [](const Row &row) {
    Desk d;
    auto preview = [&](const char *audience) {
      return d.call([&](char **out) {
        return complaints_message_render(d.desk, out, d.admin, "CMP-00001", "complaint_details", audience, 0);
      });
    };
    d.ok(preview(nullptr));
    REQUIRE(d.got.size() == 1);
    CHECK(d.got[0]["recipient"] == "c-1");
    refused(row, d, preview("everyone"));
  };
  return p;
}

// Rows that give a code but whose limit this test does not try, and why.
const std::map<std::string, std::string> untried = {
    {"template work", "50 million render steps take seconds; tests/render tries the step limit itself"},
};

}  // namespace

TEST_CASE("every limit in the table of docs/c-api.md is enforced with the code and place it gives") {
  auto rows = read_table();
  auto all = probes();
  std::set<std::string> tried;
  for (const auto &row : rows) {
    CAPTURE(row.what);
    auto probe = all.find(row.what);
    if (probe == all.end()) {
      bool gives_code = row.beyond.find("COMPLAINTS_E") != std::string::npos;
      CHECK_MESSAGE((!gives_code || untried.count(row.what)), "no probe tries the row '", row.what, "'");
      continue;
    }
    tried.insert(row.what);
    probe->second(row);
  }
  for (const auto &[what, probe] : all) CHECK_MESSAGE(tried.count(what), "the probe '", what, "' has no row");
}
