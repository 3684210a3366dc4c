// Core throughput on SQLite (WAL, synchronous=NORMAL, one transaction per
// operation), each figure beside a baseline measured in the same run:
//   report_issue  Desk::report vs the same rows written by hand with prepared statements
//   take_action   Desk::act    vs the same rows written by hand
//   get_by_code   Desk::get    vs one prepared SELECT of the issue row, among 100,000 issues
//   list_open_fw  Desk::list (a fieldworker's open issues, first 50) vs the same SELECT by hand
//   may_pay       Desk::may_pay over 100,000 holds, one pair per call and 1,000 per call (a payroll run)
//   process_due   Desk::process_due over 100,000 due auto-close timers vs the same reads and writes by hand
//   next_due      Desk::next_due among 10,000 and 1,000,000 pending items vs the same SELECT by hand
// Each ends with: RESULT <name> library=<ops/s> baseline=<ops/s> ratio=<library/baseline>
// Usage: bench_core [--quick] [--only report_issue|take_action|reads|process_due|next_due]
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "complaints/complaints.hpp"
#include "harness.hpp"
#include "raw_sqlite.hpp"
#include "storage/codec.hpp"
#include "timeline/chain.hpp"

using namespace complaints;
using bench::put;
using bench::rate;
using bench::Raw;
using bench::result;
using bench::scratch;
using Stopwatch = std::chrono::steady_clock;

namespace {

const Actor office{"office-1", Role::office, {Permission::edit_issues}};
const Actor admin{"admin-1", Role::admin, Permissions::all()};

// The baseline's hand-written report: the rows Desk::report writes for an
// office report on a booking with two fieldworkers (the counter, the issue
// with its acknowledgement SLA clock, the clock's two due items, its
// fieldworker index rows, for each fieldworker a payout hold with its link to
// the issue, a ledger line and a notification, the hash-chained timeline
// entry, three notifications of the report, and the customer's
// acknowledgement email), in one BEGIN IMMEDIATE transaction.
class RawReport {
 public:
  explicit RawReport(Raw &raw)
      : raw_(raw),
        begin_(raw.prepare("BEGIN IMMEDIATE")),
        commit_(raw.prepare("COMMIT")),
        counter_(raw.prepare("INSERT INTO counters (name, value) VALUES ('issue_number', 1) ON CONFLICT (name) DO "
                             "UPDATE SET value = value + 1 RETURNING value")),
        issue_(raw.prepare("INSERT INTO issues (number, record_kind, record_id, customer_id, type, description, "
                           "to_follow, deferred_date, follow_up_date, workflow, status, category, stage, reporter_id, "
                           "reporter_role, channel, created_at, updated_at, version, timeline_seq, timeline_hash, "
                           "fieldworkers, assignee, slas) VALUES (?, 'booking', ?, 'cust-1', 'Damage Caused', ?, 0, NULL, "
                           "NULL, 'field-service', 'New', 'open', '', 'office-1', 'office', 'office', ?, ?, 1, 1, ?, ?, '', "
                           "?)")),
        due_(raw.prepare("INSERT INTO due (number, kind, name, due_at) VALUES (?, ?, 'acknowledgement', ?)")),
        index_(raw.prepare("INSERT OR IGNORE INTO issue_fieldworkers (fieldworker_id, number) VALUES (?, ?)")),
        timeline_(raw.prepare("INSERT INTO timeline (number, seq, at, actor_id, actor_role, kind, action, changes, "
                              "note, internal, prev_hash, hash) VALUES (?, 1, ?, 'office-1', 'office', 'reported', '', "
                              "?, '', 0, '', ?)")),
        outbox_(raw.prepare("INSERT INTO outbox (idempotency_key, kind, event, issue_code, recipient, channel, "
                            "subject, body_text, body_html, created_at) VALUES (?, 'notification', ?, ?, "
                            "?, ?, ?, ?, '', ?)")),
        hold_exists_(raw.prepare("SELECT state FROM holds WHERE record_kind = 'booking' AND record_id = ? AND "
                                 "fieldworker_id = ?")),
        hold_(raw.prepare("INSERT INTO holds (record_kind, record_id, fieldworker_id, state, scope, since) VALUES "
                          "('booking', ?, ?, 'withheld', 'portion', ?)")),
        link_(raw.prepare("INSERT INTO hold_issues (record_kind, record_id, fieldworker_id, number, open) VALUES "
                          "('booking', ?, ?, ?, 1)")),
        ledger_(raw.prepare("INSERT INTO hold_ledger (record_kind, record_id, fieldworker_id, action, at, actor_id, "
                            "actor_role, reason, issues, override) VALUES ('booking', ?, ?, 'withheld', ?, 'office-1', "
                            "'office', ?, ?, 0)")),
        message_(raw.prepare("INSERT INTO outbox (idempotency_key, kind, event, issue_code, recipient, channel, "
                             "subject, body_text, body_html, created_at) VALUES (?, 'message', "
                             "'message:acknowledgement', ?, 'cust-1', 'email', ?, ?, ?, ?)")),
        // The issue's search texts (a customer's and everyone's: the description) and first status period.
        search_customer_(raw.prepare("INSERT INTO search_customer (rowid, text) VALUES (?, ?)")),
        search_staff_(raw.prepare("INSERT INTO search_staff (rowid, text) VALUES (?, ?)")),
        period_(raw.prepare("INSERT INTO status_periods (number, seq, status, category, stage, since) VALUES "
                            "(?, 1, 'New', 'open', '', ?)")) {}

  // The acknowledgement email the library renders for the customer, and the
  // issue's SLA clock: the baseline writes the same bytes (it does not render
  // or compute them).
  void set_acknowledgement(const OutboxItem &item) { ack_ = item; }
  void set_clock(std::string slas, std::string change) {
    slas_ = std::move(slas);
    sla_change_ = std::move(change);
  }

  void run(const std::string &booking, const std::string &description, std::int64_t now) {
    raw_.step_done(begin_);
    if (sqlite3_step(counter_) != SQLITE_ROW) raw_.fail("counter");
    std::int64_t number = sqlite3_column_int64(counter_, 0);
    sqlite3_reset(counter_);
    std::string code = format_issue_code(number);
    TimelineEntry e;
    e.issue_code = code;
    e.seq = 1;
    e.at = from_millis(now);
    e.actor_id = "office-1";
    e.actor_role = Role::office;
    e.kind = "reported";
    e.changes = {{"status", "", "New"},
                 {"type", "", "Damage Caused"},
                 {"description", "", description},
                 {"sla:acknowledgement", "", sla_change_}};
    e.hash = chain::hash_entry(e);
    std::string changes = "[[\"status\",\"\",\"New\"],[\"type\",\"\",\"Damage Caused\"],[\"description\",\"\",\"" +
                          description + "\"],[\"sla:acknowledgement\",\"\",\"" + sla_change_ + "\"]]";
    put(issue_, 1, number);
    put(issue_, 2, booking);
    put(issue_, 3, description);
    put(issue_, 4, now);
    put(issue_, 5, now);
    put(issue_, 6, e.hash);
    put(issue_, 7, std::string("fw-1\nfw-2"));
    put(issue_, 8, slas_);
    raw_.step_done(issue_);
    for (auto [kind, at] : {std::pair{"sla_warning", now + 43'200'000}, {"sla_breach", now + 57'600'000}}) {
      put(due_, 1, number);
      put(due_, 2, std::string(kind));
      put(due_, 3, std::int64_t(at));
      raw_.step_done(due_);
    }
    for (const char *fw : {"fw-1", "fw-2"}) {
      put(index_, 1, std::string(fw));
      put(index_, 2, number);
      raw_.step_done(index_);
    }
    for (const std::string fw : {"fw-1", "fw-2"}) {
      put(hold_exists_, 1, booking);
      put(hold_exists_, 2, fw);
      if (sqlite3_step(hold_exists_) == SQLITE_ROW) raw_.fail("hold exists");
      sqlite3_reset(hold_exists_);
      put(hold_, 1, booking);
      put(hold_, 2, fw);
      put(hold_, 3, now);
      raw_.step_done(hold_);
      put(link_, 1, booking);
      put(link_, 2, fw);
      put(link_, 3, number);
      raw_.step_done(link_);
      put(ledger_, 1, booking);
      put(ledger_, 2, fw);
      put(ledger_, 3, now);
      put(ledger_, 4, code + " reported");
      put(ledger_, 5, code);
      sqlite3_int64 line = 0;
      raw_.step_done(ledger_);
      line = sqlite3_last_insert_rowid(sqlite3_db_handle(ledger_));
      notify(code, "payment_withheld", now, {{fw.c_str(), "push"}}, 0, "Your payment for booking:" + booking + " is on hold",
             "Your payment for booking:" + booking + " is withheld while " + code + " is resolved. Reason: " + code +
                 " reported",
             "hold/" + std::to_string(line) + "/" + fw + "/push");
    }
    put(timeline_, 1, number);
    put(timeline_, 2, now);
    put(timeline_, 3, changes);
    put(timeline_, 4, e.hash);
    raw_.step_done(timeline_);
    for (sqlite3_stmt *search : {search_customer_, search_staff_}) {
      put(search, 1, number);
      put(search, 2, description);
      raw_.step_done(search);
    }
    put(period_, 1, number);
    put(period_, 2, now);
    raw_.step_done(period_);
    for (auto [who, channel] : {std::pair{"fw-1", "push"}, {"fw-2", "push"}, {"cust-1", "email"}})
      notify(code, "issue_reported", now, {{who, channel}}, 1, code + " logged: Damage Caused",
             code + " on booking:" + booking + " (Damage Caused): New",
             code + "/1/" + who + "/" + channel);
    put(message_, 1, "msg/" + code + "/1/cust-1/acknowledgement");
    put(message_, 2, code);
    put(message_, 3, ack_.subject);
    put(message_, 4, ack_.body_text);
    put(message_, 5, ack_.body_html);
    put(message_, 6, now);
    raw_.step_done(message_);
    raw_.step_done(commit_);
  }

  void notify(const std::string &code, const char *event, std::int64_t now,
              std::initializer_list<std::pair<const char *, const char *>> to, std::int64_t,
              const std::string &subject, const std::string &body, const std::string &key) {
    for (auto [who, channel] : to) {
      put(outbox_, 1, key);
      put(outbox_, 2, std::string(event));
      put(outbox_, 3, code);
      put(outbox_, 4, std::string(who));
      put(outbox_, 5, std::string(channel));
      put(outbox_, 6, subject);
      put(outbox_, 7, body);
      put(outbox_, 8, now);
      raw_.step_done(outbox_);
    }
  }

 private:
  Raw &raw_;
  sqlite3_stmt *begin_, *commit_, *counter_, *issue_, *due_, *index_, *timeline_, *outbox_, *hold_exists_, *hold_,
      *link_, *ledger_, *message_, *search_customer_, *search_staff_, *period_;
  OutboxItem ack_;
  std::string slas_, sla_change_;
};

// The baseline's hand-written action: read what the update needs (version and
// the chain head), update the issue, append the chained entry, queue the
// notifications (the other fieldworker and the customer). Sending back also
// reapplies the payout holds: read each fieldworker's hold, keep it linked.
class RawAct {
 public:
  explicit RawAct(Raw &raw)
      : raw_(raw),
        begin_(raw.prepare("BEGIN IMMEDIATE")),
        commit_(raw.prepare("COMMIT")),
        head_(raw.prepare("SELECT version, timeline_seq, timeline_hash, status, record_id FROM issues WHERE number = ?")),
        hold_(raw.prepare("SELECT state, issues FROM holds WHERE record_kind = 'booking' AND record_id = ? AND "
                          "fieldworker_id = ?")),
        // (An OR IGNORE without the NOT NULL "open" would skip the row silently.)
        link_(raw.prepare("INSERT INTO hold_issues (record_kind, record_id, fieldworker_id, number, open) VALUES "
                          "('booking', ?, ?, ?, 1) ON CONFLICT DO NOTHING")),
        update_(raw.prepare("UPDATE issues SET status = ?, category = ?, updated_at = ?, version = version + 1, "
                            "timeline_seq = ?, timeline_hash = ? WHERE number = ? AND version = ?")),
        timeline_(raw.prepare("INSERT INTO timeline (number, seq, at, actor_id, actor_role, kind, action, changes, "
                              "note, internal, prev_hash, hash) VALUES (?, ?, ?, ?, ?, 'action', ?, ?, '', 0, ?, ?)")),
        outbox_(raw.prepare("INSERT INTO outbox (idempotency_key, kind, event, issue_code, recipient, channel, "
                            "subject, body_text, body_html, created_at) VALUES (?, 'notification', 'status_changed', "
                            "?, ?, ?, ?, ?, '', ?)")),
        stop_clock_(raw.prepare("UPDATE issues SET slas = ? WHERE number = ?")),
        undue_(raw.prepare("DELETE FROM due WHERE number = ? AND kind = ? AND name = 'acknowledgement'")),
        // The status period the change ends, and the one it opens.
        end_period_(raw.prepare("UPDATE status_periods SET until = ?2 WHERE number = ?1 AND until IS NULL")),
        period_(raw.prepare("INSERT INTO status_periods (number, seq, status, category, stage, since) SELECT ?1, "
                            "max(seq) + 1, ?2, ?3, '', ?4 FROM status_periods WHERE number = ?1")) {}

  // The acknowledgement SLA the first resolve of an issue stops: its clock and due items.
  void set_stopped_clock(std::string slas) { stopped_ = std::move(slas); }

  void run(std::int64_t number, std::int64_t now) {
    raw_.step_done(begin_);
    put(head_, 1, number);
    if (sqlite3_step(head_) != SQLITE_ROW) raw_.fail("head");
    std::int64_t version = sqlite3_column_int64(head_, 0);
    std::int64_t seq = sqlite3_column_int64(head_, 1);
    std::string prev(reinterpret_cast<const char *>(sqlite3_column_text(head_, 2)));
    std::string status(reinterpret_cast<const char *>(sqlite3_column_text(head_, 3)));
    std::string booking(reinterpret_cast<const char *>(sqlite3_column_text(head_, 4)));
    sqlite3_reset(head_);
    bool resolve = status != "Awaiting Approval";
    std::string to = resolve ? "Awaiting Approval" : "In Progress";
    const char *actor = resolve ? "fw-1" : "admin-1";
    const char *role = resolve ? "fieldworker" : "admin";
    const char *action = resolve ? "resolve" : "send_back";
    std::string code = format_issue_code(number);
    TimelineEntry e;
    e.issue_code = code;
    e.seq = seq + 1;
    e.at = from_millis(now);
    e.actor_id = actor;
    e.actor_role = resolve ? Role::fieldworker : Role::admin;
    e.kind = "action";
    e.action = action;
    e.changes = {{"status", status, to}};
    bool first = status == "New";
    if (first) e.changes.push_back({"sla:acknowledgement", "running", "stopped"});
    e.prev_hash = prev;
    e.hash = chain::hash_entry(e);
    if (first) {
      put(stop_clock_, 1, stopped_);
      put(stop_clock_, 2, number);
      raw_.step_done(stop_clock_);
      for (const char *kind : {"sla_warning", "sla_breach"}) {
        put(undue_, 1, number);
        put(undue_, 2, std::string(kind));
        raw_.step_done(undue_);
      }
    }
    if (!resolve)
      for (const std::string fw : {"fw-1", "fw-2"}) {
        put(hold_, 1, booking);
        put(hold_, 2, fw);
        if (sqlite3_step(hold_) != SQLITE_ROW) raw_.fail("hold");
        // The hold lists its issues: link this one unless it is there already.
        std::string linked = "\n" + std::string(reinterpret_cast<const char *>(sqlite3_column_text(hold_, 1))) + "\n";
        sqlite3_reset(hold_);
        if (linked.find("\n" + std::to_string(number) + "\n") != std::string::npos) continue;
        put(link_, 1, booking);
        put(link_, 2, fw);
        put(link_, 3, number);
        raw_.step_done(link_);
      }
    put(update_, 1, to);
    put(update_, 2, std::string(resolve ? "pending" : "active"));
    put(update_, 3, now);
    put(update_, 4, e.seq);
    put(update_, 5, e.hash);
    put(update_, 6, number);
    put(update_, 7, version);
    raw_.step_done(update_);
    put(timeline_, 1, number);
    put(timeline_, 2, e.seq);
    put(timeline_, 3, now);
    put(timeline_, 4, std::string(actor));
    put(timeline_, 5, std::string(role));
    put(timeline_, 6, std::string(action));
    put(timeline_, 7, "[[\"status\",\"" + status + "\",\"" + to + "\"]" +
                          (first ? ",[\"sla:acknowledgement\",\"running\",\"stopped\"]]" : "]"));
    put(timeline_, 8, prev);
    put(timeline_, 9, e.hash);
    raw_.step_done(timeline_);
    put(end_period_, 1, number);
    put(end_period_, 2, now);
    raw_.step_done(end_period_);
    put(period_, 1, number);
    put(period_, 2, to);
    put(period_, 3, std::string(resolve ? "pending" : "active"));
    put(period_, 4, now);
    raw_.step_done(period_);
    std::string subject = code + " is now " + to;
    std::string body = code + " on booking:" + booking + " (Damage Caused): " + to + "\nstatus: " + status + " -> " + to;
    std::vector<std::pair<std::string, std::string>> recipients;
    if (!resolve) recipients.emplace_back("fw-1", "push");
    recipients.emplace_back("fw-2", "push");
    recipients.emplace_back("cust-1", "email");
    for (const auto &[who, channel] : recipients) {
      put(outbox_, 1, code + "/" + std::to_string(e.seq) + "/" + who + "/" + channel);
      put(outbox_, 2, code);
      put(outbox_, 3, who);
      put(outbox_, 4, channel);
      put(outbox_, 5, subject);
      put(outbox_, 6, body);
      put(outbox_, 7, now);
      raw_.step_done(outbox_);
    }
    raw_.step_done(commit_);
  }

 private:
  Raw &raw_;
  sqlite3_stmt *begin_, *commit_, *head_, *hold_, *link_, *update_, *timeline_, *outbox_, *stop_clock_, *undue_,
      *end_period_, *period_;
  std::string stopped_;
};

Record booking(std::string id, std::string customer, std::vector<std::string> fieldworkers) {
  Record r;
  r.ref.kind = RecordKind::booking;
  r.ref.id = std::move(id);
  r.customer_id = std::move(customer);
  r.fieldworkers = std::move(fieldworkers);
  return r;
}

std::unique_ptr<Desk> open_desk(const std::string &path) {
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  return std::make_unique<Desk>(open_sqlite(path, o));
}

ReportRequest report_on(const std::string &booking, const std::string &description) {
  ReportRequest r;
  r.record = {RecordKind::booking, booking};
  r.type = "Damage Caused";
  r.description = description;
  return r;
}

const std::string description = "The fieldworker scratched the kitchen bench while moving the oven.";

}  // namespace

int main(int argc, char **argv) {
  // bench_core [--quick] [--only report_issue|take_action|reads|process_due|next_due]
  bool quick = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
  }
  auto runs = [&](const char *part) { return only.empty() || only == part; };
  const int writes = quick ? 2000 : 20000;
  const int population = quick ? 10000 : 100000;
  std::printf("complaints %s, SQLite %s; WAL, synchronous=NORMAL, one transaction per operation\n", version_string(),
              sqlite3_libversion());

  // --- report_issue -------------------------------------------------------------
  if (runs("report_issue")) {
    std::string lib_path = scratch("report-lib.db"), raw_path = scratch("report-raw.db");
    auto desk = open_desk(lib_path);
    { open_desk(raw_path); }  // same schema, created by the library
    Raw raw(raw_path);
    RawReport baseline(raw);
    // One complaint per booking, as in life: every report withholds two fresh payouts.
    {
      Desk raw_desk(open_sqlite(raw_path));
      for (int b = 0; b < writes; ++b) {
        Record r = booking("B-" + std::to_string(b), "cust-1", {"fw-1", "fw-2"});
        desk->put_record(office, r);
        raw_desk.put_record(office, r);
      }
    }
    // A first report on the library's side gives the acknowledgement's bytes.
    desk->put_record(office, booking("B-ack", "cust-1", {"fw-1", "fw-2"}));
    desk->report(office, report_on("B-ack", description));
    for (const OutboxItem &item : desk->outbox_pending(Actor{"mailer", Role::system, {}}, 10))
      if (item.kind == OutboxKind::message) baseline.set_acknowledgement(item);
    {
      Issue first = desk->list(office, IssueFilter{}).front();
      TimelineEntry reported = desk->timeline(office, first.code).front();
      const FieldChange *sla = reported.change("sla:acknowledgement");
      if (!sla || first.slas.empty()) {
        std::fprintf(stderr, "the report started no acknowledgement SLA\n");
        return 1;
      }
      baseline.set_clock(codec::encode_clocks(first.slas), sla->after);
    }
    double lib = 0, base = 0;
    // Alternate rounds so both see the same machine conditions.
    const int per_round = writes / 4;
    for (int round = 0; round < 4; ++round) {
      lib += rate(per_round, [&](int i) {
        desk->report(office, report_on("B-" + std::to_string(round * per_round + i), description));
      });
      base += rate(per_round, [&](int i) {
        baseline.run("B-" + std::to_string(round * per_round + i), description, to_millis(desk->clock().now()));
      });
    }
    result("report_issue", lib / 4, base / 4);
  }

  // --- take_action ---------------------------------------------------------------
  if (runs("take_action")) {
    std::string lib_path = scratch("act-lib.db"), raw_path = scratch("act-raw.db");
    auto desk = open_desk(lib_path);
    auto raw_desk = open_desk(raw_path);
    const int issues = 1000;
    std::vector<std::string> codes;
    for (auto *d : {desk.get(), raw_desk.get()}) {
      for (int i = 0; i < issues; ++i) {
        d->put_record(office, booking("B-" + std::to_string(i), "cust-1", {"fw-1", "fw-2"}));
        Issue is = d->report(office, report_on("B-" + std::to_string(i), description));
        if (d == desk.get()) codes.push_back(is.code);
      }
    }
    raw_desk.reset();
    Raw raw(raw_path);
    RawAct baseline(raw);
    {
      std::vector<SlaClock> clocks = desk->get(office, codes.front()).slas;
      for (auto &c : clocks) {
        c.state = SlaState::stopped;
        c.due_at.reset();
        c.warn_at.reset();
      }
      baseline.set_stopped_clock(codec::encode_clocks(clocks));
    }
    std::vector<std::string> status(issues, "New");
    std::vector<std::int64_t> version(issues, 1);
    Actor fw{"fw-1", Role::fieldworker, {}};
    double lib = 0, base = 0;
    for (int round = 0; round < 4; ++round) {
      lib += rate(writes / 4, [&](int i) {
        int k = i % issues;
        bool resolve = status[k] != "Awaiting Approval";
        Issue after = desk->act(resolve ? fw : admin, codes[k],
                                ActionRequest{resolve ? "resolve" : "send_back", {}, version[k]});
        status[k] = after.status;
        version[k] = after.version;
      });
      base += rate(writes / 4, [&](int i) { baseline.run(i % issues + 1, to_millis(desk->clock().now())); });
    }
    result("take_action", lib / 4, base / 4);
  }

  // --- reads among 100,000 issues and 100,000 holds --------------------------------------
  if (runs("reads")) {
    std::string path = scratch("reads.db");
    auto desk = open_desk(path);
    // Two fieldworkers per booking and two issues per booking: 100,000 holds.
    const int fieldworkers = 100, bookings = population / 2;
    for (int b = 0; b < bookings; ++b)
      desk->put_record(office, booking("B-" + std::to_string(b), "cust-" + std::to_string(b % 500),
                                       {"fw-" + std::to_string(b % fieldworkers),
                                        "fw-" + std::to_string((b + 1) % fieldworkers)}));
    auto start = Stopwatch::now();
    for (int i = 0; i < population; ++i) {
      Issue is = desk->report(office, report_on("B-" + std::to_string(i % bookings), description));
      if (i % 3 == 0) desk->act(admin, is.code, ActionRequest{"close", {}, {}});  // a third are closed
    }
    std::printf("populated %d issues and %zu holds in %.1f s\n", population,
                desk->holds(admin, HoldFilter{.limit = 100000}).size(),
                std::chrono::duration<double>(Stopwatch::now() - start).count());
    Raw raw(path);
    raw.exec("PRAGMA cache_size = -32768");  // the library's default cache, for a like-for-like read
    sqlite3_stmt *get = raw.prepare(
        "SELECT number, record_kind, record_id, customer_id, type, description, to_follow, deferred_date, "
        "follow_up_date, workflow, status, category, stage, reporter_id, reporter_role, channel, created_at, "
        "updated_at, version, timeline_seq, timeline_hash, fieldworkers, assignee, timers, slas, reminder_at FROM issues "
        "WHERE number = ?");
    const int gets = quick ? 20000 : 200000;
    std::uint64_t sink = 0;
    double lib = rate(gets, [&](int i) {
      sink += desk->get(admin, format_issue_code(1 + (std::int64_t(i) * 7919) % population)).version;
    });
    double base = rate(gets, [&](int i) {
      put(get, 1, std::int64_t(1 + (std::int64_t(i) * 7919) % population));
      if (sqlite3_step(get) != SQLITE_ROW) raw.fail("get");
      for (int c = 0; c < 26; ++c) sink += sqlite3_column_bytes(get, c);
      sqlite3_reset(get);
    });
    result("get_by_code", lib, base);

    sqlite3_stmt *list = raw.prepare(
        "SELECT i.number, i.record_kind, i.record_id, i.customer_id, i.type, i.description, i.to_follow, "
        "i.deferred_date, i.follow_up_date, i.workflow, i.status, i.category, i.stage, i.reporter_id, "
        "i.reporter_role, i.channel, i.created_at, i.updated_at, i.version, i.timeline_seq, i.timeline_hash, "
        "i.fieldworkers, i.assignee, i.timers, i.slas, i.reminder_at FROM record_fieldworkers rf JOIN records r ON "
        "r.kind = rf.kind AND r.host_id = "
        "rf.host_id JOIN issues i ON i.record_kind = rf.kind AND i.record_id = rf.host_id WHERE rf.fieldworker_id = ? "
        "AND (rf.kind = 'booking' OR r.visibility = 'all') AND i.category IN ('open', 'active', 'pending', "
        "'resolved') ORDER BY i.number LIMIT 50");
    IssueFilter open = IssueFilter::open_issues();
    open.limit = 50;
    const int lists = quick ? 200 : 2000;
    std::size_t rows = 0;
    lib = rate(lists, [&](int i) {
      rows += desk->list(Actor{"fw-" + std::to_string(i % fieldworkers), Role::fieldworker, {}}, open).size();
    });
    base = rate(lists, [&](int i) {
      put(list, 1, "fw-" + std::to_string(i % fieldworkers));
      while (sqlite3_step(list) == SQLITE_ROW)
        for (int c = 0; c < 26; ++c) sink += sqlite3_column_bytes(list, c);
      sqlite3_reset(list);
    });
    std::printf("(%zu issues listed, 50 per list)\n", rows);
    result("list_open_fieldworker", lib, base);

    // may_pay: one (booking, fieldworker) pair at a time, and a payroll run of
    // 1,000 pairs per call. The baseline runs the library's own hold query by
    // hand: one SELECT per pair, with BEGIN/COMMIT around each batch.
    sqlite3_stmt *hold = raw.prepare(
        "SELECT h.state, h.amount_minor, h.currency, h.scope, h.since, h.released_at, h.issues, h.blocking FROM holds "
        "h WHERE h.record_kind = 'booking' AND h.record_id = ? AND h.fieldworker_id = ?");
    sqlite3_stmt *begin = raw.prepare("BEGIN"), *commit = raw.prepare("COMMIT");
    auto pair_of = [&](std::int64_t k) {
      std::int64_t b = (k * 7919) % bookings;
      return PayQuery{{RecordKind::booking, "B-" + std::to_string(b)},
                      "fw-" + std::to_string((b + k % 2) % fieldworkers)};
    };
    auto raw_hold = [&](const PayQuery &q) {
      put(hold, 1, q.record.id);
      put(hold, 2, q.fieldworker);
      if (sqlite3_step(hold) == SQLITE_ROW) sink += sqlite3_column_bytes(hold, 6) + sqlite3_column_bytes(hold, 7);
      sqlite3_reset(hold);
    };
    Actor payroll{"payroll", Role::system, {}};
    const int singles = quick ? 20000 : 200000;
    std::size_t blocked = 0;
    lib = rate(singles, [&](int i) {
      PayQuery q = pair_of(i);
      blocked += desk->may_pay(payroll, q.record, q.fieldworker).may_pay ? 0 : 1;
    });
    base = rate(singles, [&](int i) { raw_hold(pair_of(i)); });
    result("may_pay_single", lib, base);
    const int batch = 1000, batches = quick ? 50 : 500;
    std::vector<PayQuery> run(batch);
    lib = batch * rate(batches, [&](int n) {
      for (int k = 0; k < batch; ++k) run[k] = pair_of(std::int64_t(n) * batch + k);
      for (const auto &d : desk->may_pay(payroll, run)) blocked += d.may_pay ? 0 : 1;
    });
    base = batch * rate(batches, [&](int n) {
      for (int k = 0; k < batch; ++k) run[k] = pair_of(std::int64_t(n) * batch + k);
      raw.step_done(begin);
      for (const auto &q : run) raw_hold(q);
      raw.step_done(commit);
    });
    std::printf("(%zu of the pairs asked were withheld)\n", blocked);
    result("may_pay", lib, base);
    if (sink == 42) std::printf(" ");
  }
  // --- process_due: due auto-close timers, each fired in its own transaction ------------------
  if (runs("process_due")) {
    const int timers = quick ? 10000 : 100000;
    std::string lib_path = scratch("due-lib.db"), raw_path = scratch("due-raw.db");
    auto clock = std::make_shared<ManualClock>(parse_timestamp("2026-01-05T09:00:00Z"));
    SqliteOptions o;
    o.sync = SqliteOptions::Sync::normal;
    auto start = Stopwatch::now();
    {
      Desk desk(open_sqlite(lib_path, o), DeskOptions{clock});
      desk.install_workflow(admin, std::string_view(R"({
        "name": "autoclose", "initial": "Open",
        "statuses": [{"name": "Open", "category": "open"}, {"name": "Closed", "category": "closed"}],
        "on_report": [{"type": "set_timer", "timer": "close", "after": "1d", "action": "expire"}],
        "actions": [{"name": "expire", "from": ["Open"], "to": "Closed", "allow": ["system"]}]})"));
      MessageSettings quiet;
      quiet.acknowledgement = AcknowledgementMode::off;
      desk.set_message_settings(admin, quiet);
      desk.put_record(office, booking("B-1", "cust-1", {"fw-1"}));
      ReportRequest r = report_on("B-1", description);
      r.workflow = "autoclose";
      for (int i = 0; i < timers; ++i) desk.report(office, r);
    }
    std::filesystem::copy_file(lib_path, raw_path);  // the same rows for the baseline (the desk closed: no WAL)
    std::printf("populated %d issues with due timers in %.1f s\n", timers,
                std::chrono::duration<double>(Stopwatch::now() - start).count());
    clock->set(parse_timestamp("2026-01-07T09:00:00Z"));
    Actor runner{"scheduler", Role::system, {}};
    std::size_t queued = 0;
    double lib = 0, base = 0;
    {
      Desk desk(open_sqlite(lib_path, o), DeskOptions{clock});
      int ran = 0;
      auto t = Stopwatch::now();
      for (std::vector<DueRun> batch; !(batch = desk.process_due(runner, 1000)).empty();) ran += int(batch.size());
      lib = ran / std::chrono::duration<double>(Stopwatch::now() - t).count();
      if (ran != timers) {
        std::fprintf(stderr, "process_due ran %d of %d timers\n", ran, timers);
        return 1;
      }
      for (std::int64_t after = 0;;) {
        auto page = desk.outbox_pending(runner, 10000, after);
        if (page.empty()) break;
        for (const auto &item : page) queued += item.event == "status_changed" ? 1 : 0;
        after = page.back().id;
      }
    }
    {
      // By hand: list a batch in a read transaction; per item, in its own
      // write transaction, check it is still due, read the issue's head,
      // close it, chain the entry, queue the same notifications, drop the item.
      Raw raw(raw_path);
      sqlite3_stmt *begin_read = raw.prepare("BEGIN"), *begin = raw.prepare("BEGIN IMMEDIATE"),
                   *commit = raw.prepare("COMMIT");
      sqlite3_stmt *list = raw.prepare(
          "SELECT number, kind, name, due_at FROM due WHERE due_at <= ? ORDER BY due_at, number, kind, name LIMIT 1000");
      sqlite3_stmt *still = raw.prepare("SELECT due_at FROM due WHERE number = ? AND kind = ? AND name = ?");
      sqlite3_stmt *head = raw.prepare("SELECT version, timeline_seq, timeline_hash, timers FROM issues WHERE number = ?");
      sqlite3_stmt *update = raw.prepare(
          "UPDATE issues SET status = 'Closed', category = 'closed', updated_at = ?, version = version + 1, "
          "timeline_seq = ?, timeline_hash = ?, timers = '' WHERE number = ? AND version = ?");
      sqlite3_stmt *entry = raw.prepare(
          "INSERT INTO timeline (number, seq, at, actor_id, actor_role, kind, action, changes, note, internal, "
          "prev_hash, hash) VALUES (?, ?, ?, 'scheduler', 'system', 'action', 'expire', ?, '', 0, ?, ?)");
      sqlite3_stmt *notice = raw.prepare(
          "INSERT INTO outbox (idempotency_key, kind, event, issue_code, recipient, channel, subject, body_text, "
          "body_html, created_at) VALUES (?, 'notification', 'status_changed', ?, ?, ?, ?, ?, '', ?)");
      sqlite3_stmt *undue = raw.prepare("DELETE FROM due WHERE number = ? AND kind = ? AND name = ?");
      std::int64_t now = to_millis(clock->now());
      const std::pair<const char *, const char *> recipients[] = {{"fw-1", "push"}, {"cust-1", "email"}};
      std::size_t per_item = queued / std::size_t(timers);  // the notifications the library queued for each
      int ran = 0;
      auto t = Stopwatch::now();
      for (;;) {
        struct Item { std::int64_t number; std::string kind, name; std::int64_t due_at; };
        std::vector<Item> items;
        raw.step_done(begin_read);
        put(list, 1, now);
        while (sqlite3_step(list) == SQLITE_ROW)
          items.push_back({sqlite3_column_int64(list, 0), reinterpret_cast<const char *>(sqlite3_column_text(list, 1)),
                           reinterpret_cast<const char *>(sqlite3_column_text(list, 2)), sqlite3_column_int64(list, 3)});
        sqlite3_reset(list);
        raw.step_done(commit);
        if (items.empty()) break;
        for (const Item &item : items) {
          raw.step_done(begin);
          put(still, 1, item.number);
          put(still, 2, item.kind);
          put(still, 3, item.name);
          if (sqlite3_step(still) != SQLITE_ROW || sqlite3_column_int64(still, 0) != item.due_at) raw.fail("still due");
          sqlite3_reset(still);
          put(head, 1, item.number);
          if (sqlite3_step(head) != SQLITE_ROW) raw.fail("head");
          std::int64_t version = sqlite3_column_int64(head, 0), seq = sqlite3_column_int64(head, 1);
          std::string prev(reinterpret_cast<const char *>(sqlite3_column_text(head, 2)));
          sqlite3_reset(head);
          std::string code = format_issue_code(item.number);
          std::string due = format_timestamp(from_millis(item.due_at));
          TimelineEntry e;
          e.issue_code = code;
          e.seq = seq + 1;
          e.at = from_millis(now);
          e.actor_id = "scheduler";
          e.actor_role = Role::system;
          e.kind = "action";
          e.action = "expire";
          e.changes = {{"timer:close", due, "fired"}, {"status", "Open", "Closed"}};
          e.prev_hash = prev;
          e.hash = chain::hash_entry(e);
          put(update, 1, now);
          put(update, 2, e.seq);
          put(update, 3, e.hash);
          put(update, 4, item.number);
          put(update, 5, version);
          raw.step_done(update);
          put(entry, 1, item.number);
          put(entry, 2, e.seq);
          put(entry, 3, now);
          put(entry, 4, "[[\"timer:close\",\"" + due + "\",\"fired\"],[\"status\",\"Open\",\"Closed\"]]");
          put(entry, 5, prev);
          put(entry, 6, e.hash);
          raw.step_done(entry);
          std::string subject = code + " is now Closed";
          std::string body = code + " on booking:B-1 (Damage Caused): Closed\nstatus: Open -> Closed";
          for (std::size_t k = 0; k < per_item && k < 2; ++k) {
            put(notice, 1, code + "/" + std::to_string(e.seq) + "/" + recipients[k].first + "/" + recipients[k].second);
            put(notice, 2, code);
            put(notice, 3, std::string(recipients[k].first));
            put(notice, 4, std::string(recipients[k].second));
            put(notice, 5, subject);
            put(notice, 6, body);
            put(notice, 7, now);
            raw.step_done(notice);
          }
          put(undue, 1, item.number);
          put(undue, 2, item.kind);
          put(undue, 3, item.name);
          raw.step_done(undue);
          raw.step_done(commit);
          ++ran;
        }
      }
      base = ran / std::chrono::duration<double>(Stopwatch::now() - t).count();
    }
    std::printf("(%zu notifications per fired timer)\n", queued / std::size_t(timers));
    result("process_due", lib, base);
  }

  // --- next_due: the earliest of many pending items is one index lookup ----------------------
  if (runs("next_due")) {
    double lib_small = 0, lib_large = 0, base_small = 0, base_large = 0;
    for (int items : {10000, quick ? 100000 : 1000000}) {
      std::string path = scratch("next-due-" + std::to_string(items) + ".db");
      { open_desk(path); }  // the schema
      {
        Raw raw(path);
        sqlite3_stmt *add = raw.prepare("INSERT INTO due (number, kind, name, due_at) VALUES (?, 'timer', 'close', ?)");
        raw.exec("BEGIN");
        for (int i = 1; i <= items; ++i) {
          put(add, 1, std::int64_t(i));
          put(add, 2, std::int64_t(1'767'600'000'000) + (std::int64_t(i) * 7919 % items) * 60'000);
          raw.step_done(add);
        }
        raw.exec("COMMIT");
      }
      auto desk = open_desk(path);
      Raw raw(path);
      sqlite3_stmt *min = raw.prepare("SELECT min(due_at) FROM due");
      const int reads = quick ? 20000 : 200000;
      std::int64_t sink = 0;
      double lib = rate(reads, [&](int) { sink += to_millis(*desk->next_due(office)); });
      double base = rate(reads, [&](int) {
        if (sqlite3_step(min) != SQLITE_ROW) raw.fail("min");
        sink += sqlite3_column_int64(min, 0);
        sqlite3_reset(min);
      });
      std::printf("next_due among %d items: library %.0f/s, baseline %.0f/s%s\n", items, lib, base, sink == 42 ? " " : "");
      (items == 10000 ? lib_small : lib_large) = lib;
      (items == 10000 ? base_small : base_large) = base;
    }
    std::printf("next_due from 10,000 to %s items: library x%.2f, baseline x%.2f\n", quick ? "100,000" : "1,000,000",
                lib_large / lib_small, base_large / base_small);
    result("next_due", lib_large, base_large);
  }
  return 0;
}
