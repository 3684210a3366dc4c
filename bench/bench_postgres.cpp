// The PostgreSQL backend (issue 15, item 7), each figure beside a baseline
// measured in the same run on the same server:
//   pg_report_issue   Desk::report against libpqxx sending the statements the
//                     backend sends for that report, by hand
//   pg_take_action    Desk::act (resolve, send back, resolve, ...) likewise
//   pg_get_by_code    Desk::get likewise
//                     (each at 1,000 and 10,000 issues present: how the cost
//                     grows with history; the RESULT line is the larger)
//   pg_report_scaling reports/s of 4 OS processes, each with a desk of its
//                     own on one database, against 1 process (2 printed too)
//   pg_read_scaling   reads/s of 2 threads on one desk (its reader pool,
//                     DeskOptions::read_connections) against 1 thread: the
//                     reads of bench_read_scaling
// Each ends with: RESULT <name> library=<ops/s> baseline=<ops/s> ratio=<library/baseline>
//
// The baseline's statements are the backend's own, in its order (as the
// server's statement log shows them: log_statement = all), prepared, with
// the same isolation and one commit per operation, writing the same rows: the
// issue, its readers, the chained timeline entry with its hash (computed),
// search texts and words, status period, SLA due items, holds with their
// links, ledger lines and notices, the notifications and the customer's
// acknowledgement. Like bench_core, it does not render: the texts it writes
// are the library's first report's, with the code and booking put in. So a
// ratio measures what the library adds on top of the SQL it sends; after the
// report phase the bench checks that both schemas hold the same number of
// rows in every table.
//
// Server: whatever CONNINFO names; bench/run_postgres.sh starts a throw-away
// one with tests/postgres/server.sh, which runs with fsync, synchronous_commit
// and full_page_writes off (a commit does not wait for the disk), over a Unix
// socket. The library and the baseline use the same server, in two schemas.
//
// Usage: bench_postgres [--quick] [--only report|act|get|scaling|reads] CONNINFO
//        (or CONNINFO in $COMPLAINTS_PG_CONNINFO)
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "complaints/complaints.hpp"
#include "complaints/postgres.hpp"
#include "harness.hpp"
#include "raw_postgres.hpp"
#include "read_scaling.hpp"
#include "storage/codec.hpp"
#include "timeline/chain.hpp"

using namespace complaints;
using bench::pg_null;
using bench::pg_read;
using bench::pg_write;
using bench::RawPg;
using bench::RawTxn;
using bench::rate;
using bench::result;
using Stopwatch = std::chrono::steady_clock;

namespace {

const Actor office{"office-1", Role::office, {Permission::edit_issues}};
const Actor admin{"admin-1", Role::admin, Permissions::all()};
const Actor fieldworker{"fw-1", Role::fieldworker, {}};
const std::string description = "The fieldworker scratched the kitchen bench while moving the oven.";
const char *const template_booking = "B-template";
using Text = std::optional<std::string>;

std::string conninfo;

std::unique_ptr<Desk> open_desk(const std::string &schema) {
  PostgresOptions o;
  o.schema = schema;
  return std::make_unique<Desk>(open_postgres(conninfo, o));
}

// A fresh schema: dropped with everything in it, then created by a desk.
std::unique_ptr<Desk> fresh_desk(const std::string &schema) {
  {
    pqxx::connection c(conninfo);
    pqxx::nontransaction t(c);
    t.exec("SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + c.quote_name(schema) + " CASCADE");
  }
  return open_desk(schema);
}

ReportRequest report_on(const std::string &booking) {
  ReportRequest r;
  r.record = {RecordKind::booking, booking};
  r.type = "Damage Caused";
  r.description = description;
  return r;
}

// `count` bookings named prefix0, prefix1, ... with the customer and the two
// fieldworkers of `like` (put by the library), written in one statement.
void add_bookings(RawPg &pg, const std::string &like, const std::string &prefix, int count) {
  pqxx::nontransaction t(pg.conn());
  t.exec("INSERT INTO records (kind, host_id, customer_id, visibility, paid_out, invoice_id, fieldworkers) SELECT "
         "r.kind, " + t.quote(prefix) + " || g, r.customer_id, r.visibility, r.paid_out, r.invoice_id, r.fieldworkers "
         "FROM records r, generate_series(0, " + std::to_string(count - 1) + ") g WHERE r.kind = 'booking' AND "
         "r.host_id = " + t.quote(like));
}

std::string replace_all(std::string s, const std::string &from, const std::string &to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
    s.replace(at, from.size(), to);
  return s;
}

Text column(const pqxx::field &f) { return f.is_null() ? Text() : Text(f.c_str()); }

// The rows the library's first report wrote (issue 1, on the template
// booking), which the baseline writes again for each of its reports with the
// issue's code, number, booking and time put in.
struct ReportRows {
  std::vector<Text> issue;  // the 27 columns of issues
  std::string changes;      // the timeline entry's
  std::vector<FieldChange> decoded;
  std::string readers;  // newline-separated
  struct Outbox {
    std::string key, kind, event, recipient, channel, subject, body_text, body_html;
  };
  std::vector<Outbox> hold_notices, messages, notifications;
  std::string ledger_reason;
  struct Search {
    std::int64_t audience, words;
    std::string text, word_list;
  };
  std::vector<Search> search;
  std::vector<std::pair<std::string, std::int64_t>> due;  // kind, due_at - created_at
  std::string sla_running;  // the acknowledgement SLA's state in the report's entry
};

ReportRows read_template(RawPg &pg) {
  ReportRows t;
  pqxx::nontransaction tx(pg.conn());
  auto issue = tx.exec(
      "SELECT number, record_kind, record_id, customer_id, type, description, to_follow, deferred_date, "
      "follow_up_date, workflow, status, category, stage, reporter_id, reporter_role, channel, created_at, updated_at, "
      "version, timeline_seq, timeline_hash, fieldworkers, assignee, timers, slas, reminder_at, fields FROM issues "
      "WHERE number = 1");
  for (const auto &f : issue.at(0)) t.issue.push_back(column(f));
  std::int64_t created = std::stoll(*t.issue[16]);
  t.changes = tx.exec("SELECT changes FROM timeline WHERE number = 1 AND seq = 1").at(0)[0].c_str();
  t.decoded = codec::decode_changes(t.changes);
  for (const auto &c : t.decoded)
    if (c.field == "sla:acknowledgement") t.sla_running = c.after;
  t.readers = tx.exec("SELECT coalesce(string_agg(reader, E'\\n' ORDER BY reader), '') FROM issue_readers WHERE "
                      "number = 1")
                  .at(0)[0]
                  .c_str();
  for (const auto &r : tx.exec("SELECT idempotency_key, kind, event, recipient, channel, subject, body_text, body_html "
                               "FROM outbox WHERE issue_code = 'CMP-00001' ORDER BY id")) {
    ReportRows::Outbox o{r[0].c_str(), r[1].c_str(), r[2].c_str(), r[3].c_str(),
                         r[4].c_str(), r[5].c_str(), r[6].c_str(), r[7].c_str()};
    (o.key.rfind("hold/", 0) == 0 ? t.hold_notices : o.kind == "message" ? t.messages : t.notifications).push_back(o);
  }
  t.ledger_reason = tx.exec("SELECT reason FROM hold_ledger ORDER BY id LIMIT 1").at(0)[0].c_str();
  for (const auto &r : tx.exec("SELECT s.audience, s.words, s.text, (SELECT string_agg(w.word, E'\\n' ORDER BY w.word) "
                               "FROM search_words w WHERE w.audience = s.audience AND w.number = 1) FROM search_texts "
                               "s WHERE s.number = 1 ORDER BY s.audience"))
    t.search.push_back({r[0].as<std::int64_t>(), r[1].as<std::int64_t>(), r[2].c_str(), r[3].c_str()});
  for (const auto &r : tx.exec("SELECT kind, name, due_at FROM due WHERE number = 1 ORDER BY kind DESC"))
    t.due.emplace_back(r[0].c_str(), r[2].as<std::int64_t>() - created);
  if (t.hold_notices.size() != 2 || t.messages.size() != 1 || t.due.size() != 2 || t.sla_running.empty()) {
    std::fprintf(stderr, "the template report did not write the rows the baseline expects\n");
    std::exit(1);
  }
  return t;
}

// The backend's statements, as it prepares them (src/storage/postgres).
const char *const issue_columns =
    "i.number, i.record_kind, i.record_id, i.customer_id, i.type, i.description, i.to_follow, i.deferred_date, "
    "i.follow_up_date, i.workflow, i.status, i.category, i.stage, i.reporter_id, i.reporter_role, i.channel, "
    "i.created_at, i.updated_at, i.version, i.timeline_seq, i.timeline_hash, i.fieldworkers, i.assignee, i.timers, "
    "i.slas, i.reminder_at, i.fields";
const char *const issue_names =
    "number, record_kind, record_id, customer_id, type, description, to_follow, deferred_date, follow_up_date, "
    "workflow, status, category, stage, reporter_id, reporter_role, channel, created_at, updated_at, version, "
    "timeline_seq, timeline_hash, fieldworkers, assignee, timers, slas, reminder_at, fields";
const char *const values27 =
    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, "
    "$25, $26, $27)";

// The statements every operation of the baseline shares.
struct Statements {
  explicit Statements(RawPg &pg)
      : setting(pg.prepare("SELECT value FROM settings WHERE key = $1")),
        record(pg.prepare("SELECT customer_id, visibility, paid_out, invoice_id, fieldworkers FROM records WHERE "
                          "kind = $1 AND host_id = $2")),
        number(pg.prepare("SELECT nextval('issue_numbers')")),
        hold(pg.prepare(
            "SELECT h.record_kind, h.record_id, h.fieldworker_id, h.state, h.amount_minor, h.currency, h.scope, "
            "h.since, h.released_at, (SELECT coalesce(string_agg(x.number::text, E'\\n' ORDER BY x.number), '') FROM "
            "hold_issues x JOIN issues i ON i.number = x.number WHERE (x.record_kind, x.record_id, x.fieldworker_id) "
            "= (h.record_kind, h.record_id, h.fieldworker_id)), (SELECT coalesce(string_agg(x.number::text, E'\\n' "
            "ORDER BY x.number), '') FROM hold_issues x JOIN issues i ON i.number = x.number WHERE (x.record_kind, "
            "x.record_id, x.fieldworker_id) = (h.record_kind, h.record_id, h.fieldworker_id) AND x.blocking = 1) FROM "
            "holds h WHERE h.record_kind = $1 AND h.record_id = $2 AND h.fieldworker_id = $3")),
        put_hold(pg.prepare(
            "INSERT INTO holds (record_kind, record_id, fieldworker_id, state, amount_minor, currency, scope, since, "
            "released_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (record_kind, record_id, "
            "fieldworker_id) DO UPDATE SET state = excluded.state, amount_minor = excluded.amount_minor, currency = "
            "excluded.currency, scope = excluded.scope, since = excluded.since, released_at = excluded.released_at")),
        link(pg.prepare("INSERT INTO hold_issues (record_kind, record_id, fieldworker_id, number, blocking) SELECT $1, "
                        "$2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM holds WHERE record_kind = $1 AND record_id = $2 "
                        "AND fieldworker_id = $3) ON CONFLICT DO NOTHING RETURNING 1")),
        ledger(pg.prepare("INSERT INTO hold_ledger (record_kind, record_id, fieldworker_id, action, at, actor_id, "
                          "actor_role, reason, issues, amount_minor, currency, override) VALUES ($1, $2, $3, $4, $5, "
                          "$6, $7, $8, $9, $10, $11, $12) RETURNING id")),
        outbox(pg.prepare("INSERT INTO outbox (idempotency_key, kind, event, issue_code, recipient, channel, subject, "
                          "body_text, body_html, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON "
                          "CONFLICT (idempotency_key) DO NOTHING RETURNING id")),
        comments(pg.prepare("SELECT id, author_id, author_role, internal, reply_to, mentions, created_at, body FROM "
                            "comments WHERE number = $1 ORDER BY id")),
        attachments(pg.prepare("SELECT id, number, comment_id, name, media_type, size, sha256, storage_key, internal, "
                               "uploaded_by, created_at FROM attachments WHERE number = $1 ORDER BY id")),
        insert_issue(pg.prepare(std::string("INSERT INTO issues (") + issue_names + ") VALUES " + values27 +
                                " ON CONFLICT DO NOTHING")),
        readers(pg.prepare("INSERT INTO issue_readers (reader, number) SELECT DISTINCT f, $1::bigint FROM "
                           "unnest(string_to_array($2, E'\\n')) f ON CONFLICT DO NOTHING")),
        timeline(pg.prepare("INSERT INTO timeline (number, seq, at, actor_id, actor_role, kind, action, changes, note, "
                            "internal, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")),
        search_text(pg.prepare("INSERT INTO search_texts (number, audience, text, words) VALUES ($1, $2, $3, $4) ON "
                               "CONFLICT (number, audience) DO UPDATE SET text = excluded.text, words = "
                               "excluded.words")),
        search_words(pg.prepare("INSERT INTO search_words (audience, word, number) SELECT $1, w, $2 FROM "
                                "unnest(string_to_array($3, E'\\n')) w")),
        end_period(pg.prepare("UPDATE status_periods SET until = $2 WHERE number = $1 AND until IS NULL")),
        period(pg.prepare("INSERT INTO status_periods (number, since, status, category, stage) VALUES ($1, $2, $3, $4, "
                          "$5)")),
        due(pg.prepare("INSERT INTO due (number, kind, name, due_at) VALUES ($1, $2, $3, $4) ON CONFLICT (number, "
                       "kind, name) DO UPDATE SET due_at = excluded.due_at")),
        undue(pg.prepare("DELETE FROM due WHERE number = $1 AND kind = $2 AND name = $3")),
        watchers(pg.prepare("SELECT user_id FROM watchers WHERE number = $1 ORDER BY user_id")),
        issue(pg.prepare(std::string("SELECT ") + issue_columns + " FROM issues i WHERE i.number = $1")),
        issue_with_record(pg.prepare(std::string("SELECT ") + issue_columns +
                                     ", r.customer_id, r.visibility, r.paid_out, r.invoice_id, r.fieldworkers, r.kind "
                                     "FROM issues i LEFT JOIN records r ON r.kind = i.record_kind AND r.host_id = "
                                     "i.record_id WHERE i.number = $1")),
        update_issue(pg.prepare(std::string("UPDATE issues SET (") + issue_names + ") = " + values27 +
                                " WHERE number = $1 AND version = $28")) {}

  std::string setting, record, number, hold, put_hold, link, ledger, outbox, comments, attachments, insert_issue,
      readers, timeline, search_text, search_words, end_period, period, due, undue, watchers, issue, issue_with_record,
      update_issue;
};

// The desk checks its cached settings at the start of every operation.
void check_settings(RawTxn &t, const Statements &s) { t.run(s.setting, "settings.revision"); }

void enqueue(RawTxn &t, const Statements &s, const std::string &key, const std::string &kind, const std::string &event,
             const std::string &code, const std::string &recipient, const std::string &channel,
             const std::string &subject, const std::string &body_text, const std::string &body_html,
             std::int64_t now) {
  if (t.run(s.outbox, key, kind, event, code, recipient, channel, subject, body_text, body_html, now).empty())
    throw std::runtime_error("outbox key taken: " + key);
}

// By hand: the statements of Desk::report for an office report on a booking
// with two fieldworkers, in one SERIALIZABLE transaction.
class RawReport {
 public:
  RawReport(RawPg &pg, const Statements &s, ReportRows rows) : pg_(pg), s_(s), t_(std::move(rows)) {}

  std::int64_t run(const std::string &booking, std::int64_t now) {
    RawTxn t(pg_, pg_write);
    check_settings(t, s_);
    auto record = t.run(s_.record, "booking", booking);
    if (record.empty()) throw std::runtime_error("no booking " + booking);
    std::string customer = record[0][0].c_str();
    std::string fieldworkers = record[0][4].c_str();
    std::int64_t number = t.run(s_.number).at(0)[0].as<std::int64_t>();
    std::string code = format_issue_code(number);
    auto sub = [&](const std::string &text) {
      return replace_all(replace_all(text, "CMP-00001", code), template_booking, booking);
    };
    std::size_t k = 0;
    for (std::size_t start = 0; start <= fieldworkers.size(); ++k) {
      std::size_t end = std::min(fieldworkers.find('\n', start), fieldworkers.size());
      std::string fw = fieldworkers.substr(start, end - start);
      start = end + 1;
      if (!t.run(s_.hold, "booking", booking, fw).empty()) throw std::runtime_error("a hold exists");
      t.run(s_.put_hold, "booking", booking, fw, "withheld", pg_null, pg_null, "portion", now, pg_null);
      t.run(s_.link, "booking", booking, fw, number, 1);
      std::int64_t line = t.run(s_.ledger, "booking", booking, fw, "withheld", now, "office-1", "office",
                                t_.ledger_reason, code, pg_null, pg_null, 0)
                              .at(0)[0]
                              .as<std::int64_t>();
      const auto &n = t_.hold_notices.at(k);
      enqueue(t, s_, "hold/" + std::to_string(line) + "/" + fw + "/push", n.kind, n.event, code, fw, n.channel,
              sub(n.subject), sub(n.body_text), n.body_html, now);
    }
    t.run(s_.comments, number);
    t.run(s_.attachments, number);
    for (const auto &m : t_.messages)
      enqueue(t, s_, sub(m.key), m.kind, m.event, code, customer, m.channel, sub(m.subject), sub(m.body_text),
              sub(m.body_html), now);
    TimelineEntry e;
    e.issue_code = code;
    e.seq = 1;
    e.at = from_millis(now);
    e.actor_id = "office-1";
    e.actor_role = Role::office;
    e.kind = "reported";
    e.changes = t_.decoded;
    e.hash = chain::hash_entry(e);
    std::vector<Text> issue = t_.issue;
    issue[0] = std::to_string(number);
    issue[2] = booking;
    issue[3] = customer;
    issue[16] = issue[17] = std::to_string(now);
    issue[20] = e.hash;
    issue[21] = fieldworkers;
    auto values = bench::pg_params(issue);
    t.run(s_.insert_issue, pqxx::prepare::make_dynamic_params(values));
    t.run(s_.readers, number, t_.readers);
    t.run(s_.timeline, number, 1, now, "office-1", "office", "reported", "", t_.changes, "", 0, "", e.hash);
    for (const auto &w : t_.search) {
      t.run(s_.search_text, number, w.audience, sub(w.text), w.words);
      t.run(s_.search_words, w.audience, number, w.word_list);
    }
    t.run(s_.period, number, now, "New", "open", "");
    for (const auto &[kind, after] : t_.due) t.run(s_.due, number, kind, "acknowledgement", now + after);
    t.run(s_.watchers, number);
    for (const auto &n : t_.notifications)
      enqueue(t, s_, sub(n.key), n.kind, n.event, code, n.recipient, n.channel, sub(n.subject), sub(n.body_text),
              sub(n.body_html), now);
    t.commit();
    return number;
  }

 private:
  RawPg &pg_;
  const Statements &s_;
  ReportRows t_;
};

// By hand: the statements of Desk::act for the bench's cycle (a fieldworker
// resolves, an admin sends back, ...): read the issue with its record, on a
// send back read the payout holds it reapplies, update the issue (compare
// and set on its version), chain the entry, move the status period, stop the
// acknowledgement SLA on the first resolve, notify everyone but the actor.
class RawAct {
 public:
  RawAct(RawPg &pg, const Statements &s, std::string sla_running, std::string sla_stopped)
      : pg_(pg), s_(s), running_(std::move(sla_running)), stopped_(std::move(sla_stopped)) {}

  void run(std::int64_t number, std::int64_t now) {
    RawTxn t(pg_, pg_write);
    check_settings(t, s_);
    auto r = t.run(s_.issue_with_record, number);
    if (r.empty()) throw std::runtime_error("no issue");
    std::vector<Text> issue;
    for (int c = 0; c < 27; ++c) issue.push_back(column(r[0][c]));
    std::string status = *issue[10], booking = *issue[2], prev = *issue[20], customer = r[0][27].c_str();
    std::string fieldworkers = r[0][31].c_str();
    std::int64_t version = std::stoll(*issue[18]), seq = std::stoll(*issue[19]) + 1;
    bool resolve = status != "Awaiting Approval", first = status == "New";
    std::string to = resolve ? "Awaiting Approval" : "In Progress";
    const Actor &actor = resolve ? fieldworker : admin;
    std::vector<std::string> fws;
    for (std::size_t start = 0; start <= fieldworkers.size();) {
      std::size_t end = std::min(fieldworkers.find('\n', start), fieldworkers.size());
      fws.push_back(fieldworkers.substr(start, end - start));
      start = end + 1;
    }
    if (!resolve)
      for (const auto &fw : fws)
        if (t.run(s_.hold, "booking", booking, fw).empty()) throw std::runtime_error("no hold");
    std::string code = format_issue_code(number);
    TimelineEntry e;
    e.issue_code = code;
    e.seq = seq;
    e.at = from_millis(now);
    e.actor_id = actor.id;
    e.actor_role = actor.role;
    e.kind = "action";
    e.action = resolve ? "resolve" : "send_back";
    e.changes = {{"status", status, to}};
    if (first) e.changes.push_back({"sla:acknowledgement", running_, "stopped"});
    e.prev_hash = prev;
    e.hash = chain::hash_entry(e);
    issue[10] = to;
    issue[11] = resolve ? "pending" : "active";
    issue[17] = std::to_string(now);
    issue[18] = std::to_string(version + 1);
    issue[19] = std::to_string(seq);
    issue[20] = e.hash;
    if (first) issue[24] = stopped_;
    issue.push_back(std::to_string(version));
    auto values = bench::pg_params(issue);
    if (t.run(s_.update_issue, pqxx::prepare::make_dynamic_params(values)).affected_rows() != 1)
      throw std::runtime_error("version moved");
    t.run(s_.timeline, number, seq, now, actor.id, std::string(to_string(actor.role)), "action", e.action,
          codec::encode_changes(e.changes), "", 0, prev, e.hash);
    t.run(s_.end_period, number, now);
    t.run(s_.period, number, now, to, *issue[11], "");
    if (first)
      for (const char *kind : {"sla_warning", "sla_breach"}) t.run(s_.undue, number, kind, "acknowledgement");
    t.run(s_.watchers, number);
    std::string subject = code + " is now " + to;
    std::string body =
        code + " on booking:" + booking + " (Damage Caused): " + to + "\nstatus: " + status + " -> " + to;
    std::vector<std::pair<std::string, std::string>> recipients;
    for (const auto &fw : fws)
      if (fw != actor.id) recipients.emplace_back(fw, "push");
    recipients.emplace_back(customer, "email");
    for (const auto &[who, channel] : recipients)
      enqueue(t, s_, code + "/" + std::to_string(seq) + "/" + who + "/" + channel, "notification", "status_changed",
              code, who, channel, subject, body, "", now);
    t.commit();
  }

 private:
  RawPg &pg_;
  const Statements &s_;
  std::string running_, stopped_;
};

// By hand: Desk::get by a staff member: the settings check and the issue's row.
std::size_t raw_get(RawPg &pg, const Statements &s, std::int64_t number) {
  RawTxn t(pg, pg_read);
  check_settings(t, s);
  auto r = t.run(s.issue, number);
  std::size_t bytes = 0;
  for (const auto &f : r.at(0)) bytes += f.size();
  t.commit();
  return bytes;
}

// Rows per table: the library's and the baseline's schemas must agree.
bool same_rows(const std::string &a, const std::string &b) {
  pqxx::connection c(conninfo);
  pqxx::nontransaction t(c);
  bool same = true;
  for (const char *table : {"issues", "issue_readers", "timeline", "due", "status_periods", "outbox", "holds",
                            "hold_issues", "hold_ledger", "search_texts", "search_words"}) {
    auto count = [&](const std::string &schema) {
      return t.exec("SELECT count(*) FROM " + c.quote_name(schema) + "." + table).at(0)[0].as<std::int64_t>();
    };
    std::int64_t x = count(a), y = count(b);
    if (x != y) {
      std::fprintf(stderr, "%s: the library wrote %lld rows, the baseline %lld\n", table, static_cast<long long>(x),
                   static_cast<long long>(y));
      same = false;
    }
  }
  return same;
}

// --- report, act and get at two sizes of history ---------------------------------------------
int core(bool quick, const std::string &only) {
  auto runs = [&](const char *part) { return only.empty() || only == part; };
  const int sizes[] = {quick ? 200 : 1000, quick ? 1000 : 10000};
  const int writes = quick ? 200 : 2000, gets = quick ? 2000 : 20000;
  auto desk = fresh_desk("bench_lib");
  { fresh_desk("bench_raw"); }
  RawPg lib_pg(conninfo, "bench_lib"), pg(conninfo, "bench_raw");
  Statements s(pg);
  // Bookings: one complaint per booking, as in life (every report withholds two fresh payouts).
  Record like{{RecordKind::booking, template_booking}, "cust-1", {"fw-1", "fw-2"}, RecordVisibility::restricted, false};
  desk->put_record(office, like);
  { open_desk("bench_raw")->put_record(office, like); }
  const int bookings = sizes[1] + 2 * writes + 10;
  add_bookings(lib_pg, template_booking, "B-", bookings);
  add_bookings(pg, template_booking, "B-", bookings);
  // The library's first report gives the rows the baseline writes.
  desk->report(office, report_on(template_booking));
  ReportRows rows = read_template(lib_pg);
  RawReport report(pg, s, rows);
  auto now = [&] { return to_millis(desk->clock().now()); };
  report.run(template_booking, now());
  // Its first resolve gives the stopped SLA clock.
  Issue first = desk->act(fieldworker, "CMP-00001", ActionRequest{"resolve", {}, 1});
  std::vector<std::int64_t> version{first.version};
  std::vector<std::string> status{first.status};
  std::string stopped =
      pqxx::nontransaction(lib_pg.conn()).exec("SELECT slas FROM issues WHERE number = 1").at(0)[0].c_str();
  RawAct act(pg, s, rows.sla_running, stopped);
  act.run(1, now());
  int next = 0, present = 1;  // bookings used, issues on each side
  auto grow = [&](int to) {
    auto t = Stopwatch::now();
    for (; present < to; ++present, ++next) {
      std::string booking = "B-" + std::to_string(next);
      Issue is = desk->report(office, report_on(booking));
      report.run(booking, now());
      version.push_back(is.version);
      status.push_back(is.status);
    }
    std::printf("(%d issues on each side, grown in %.1f s)\n", present,
                std::chrono::duration<double>(Stopwatch::now() - t).count());
  };
  for (int size : sizes) {
    grow(size);
    bool last = size == sizes[1];
    if (runs("report")) {
      // Alternate rounds so both see the same machine conditions; the issues reported join the history.
      double lib = 0, base = 0;
      const int per_round = writes / 4;
      for (int round = 0; round < 4; ++round) {
        int from = next;
        lib += rate(per_round, [&](int i) {
          Issue is = desk->report(office, report_on("B-" + std::to_string(from + i)));
          version.push_back(is.version);
          status.push_back(is.status);
        });
        base += rate(per_round, [&](int i) { report.run("B-" + std::to_string(from + i), now()); });
        next += per_round;
        present += per_round;
      }
      if (!same_rows("bench_lib", "bench_raw")) return 1;
      std::printf("report at %d issues: library %.0f/s, baseline %.0f/s\n", size, lib / 4, base / 4);
      if (last) result("pg_report_issue", lib / 4, base / 4);
    }
    if (runs("act")) {
      // 1,000 issues spread over the history, each resolved, sent back, resolved, ...
      const int acted = 1000;
      auto pick = [&](int i) { return static_cast<int>((static_cast<std::int64_t>(i % acted) * 7919) % present); };
      double lib = 0, base = 0;
      for (int round = 0; round < 4; ++round) {
        int from = round * writes / 4;
        lib += rate(writes / 4, [&](int i) {
          int k = pick(from + i);
          bool resolve = status[k] != "Awaiting Approval";
          Issue after = desk->act(resolve ? fieldworker : admin, format_issue_code(k + 1),
                                  ActionRequest{resolve ? "resolve" : "send_back", {}, version[k]});
          status[k] = after.status;
          version[k] = after.version;
        });
        base += rate(writes / 4, [&](int i) { act.run(pick(from + i) + 1, now()); });
      }
      std::printf("act at %d issues: library %.0f/s, baseline %.0f/s\n", size, lib / 4, base / 4);
      if (last) result("pg_take_action", lib / 4, base / 4);
    }
    if (runs("get")) {
      std::size_t sink = 0;
      auto number = [&](int i) { return 1 + (static_cast<std::int64_t>(i) * 7919) % present; };
      double lib = 0, base = 0;
      for (int round = 0; round < 4; ++round) {
        lib += rate(gets / 4,
                    [&](int i) { sink += desk->get(admin, format_issue_code(number(i))).description.size(); });
        base += rate(gets / 4, [&](int i) { sink += raw_get(pg, s, number(i)); });
      }
      std::printf("get at %d issues: library %.0f/s, baseline %.0f/s%s\n", size, lib / 4, base / 4,
                  sink == 42 ? " " : "");
      if (last) result("pg_get_by_code", lib / 4, base / 4);
    }
  }
  return 0;
}

// --- reports from several OS processes ---------------------------------------------------------

// Reports per second of `processes` processes, each with a desk of its own,
// reporting on bookings of its own for `seconds` after all have connected.
// A report the desk gave up on (TransientStorageError after its attempts)
// is counted in `gave_up`, not in the rate.
double reports_per_second(int processes, double seconds, const std::string &run, long long &gave_up) {
  int ready[2], go[2], counts[2];
  if (pipe(ready) != 0 || pipe(go) != 0 || pipe(counts) != 0) std::exit(1);
  std::vector<pid_t> children;
  for (int p = 0; p < processes; ++p) {
    pid_t pid = fork();
    if (pid < 0) std::exit(1);
    if (pid == 0) {
      long long done = -1, lost = 0;
      bool announced = false;  // the parent waits for every process to say it is ready, or failed
      try {
        auto desk = open_desk("bench_scale");
        char c = 1;
        announced = true;
        if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1) _exit(1);
        auto end = Stopwatch::now() + std::chrono::duration<double>(seconds);
        std::string prefix = run + "-" + std::to_string(p) + "-";
        for (done = 0; Stopwatch::now() < end;) try {
            desk->report(office, report_on(prefix + std::to_string(done + lost)));
            ++done;
          } catch (const TransientStorageError &) {
            ++lost;
          }
      } catch (const std::exception &e) {
        std::fprintf(stderr, "process %d: %s\n", p, e.what());
        done = -1;
        char c = 0;
        if (!announced && write(ready[1], &c, 1) != 1) _exit(1);
      }
      long long both[2] = {done, lost};
      if (write(counts[1], both, sizeof both) != sizeof both) _exit(1);
      _exit(0);  // not exit(): the parent's connections were inherited and stay the parent's
    }
    children.push_back(pid);
  }
  for (int p = 0; p < processes; ++p) {
    char c = 0;
    if (read(ready[0], &c, 1) != 1) std::exit(1);
  }
  std::string start(static_cast<std::size_t>(processes), '\1');
  if (write(go[1], start.data(), start.size()) != static_cast<ssize_t>(start.size())) std::exit(1);
  long long total = 0;
  bool failed = false;
  gave_up = 0;
  for (int p = 0; p < processes; ++p) {
    long long both[2] = {0, 0};
    if (read(counts[0], both, sizeof both) != sizeof both || both[0] < 0) failed = true;
    total += both[0];
    gave_up += both[1];
  }
  for (pid_t pid : children) waitpid(pid, nullptr, 0);
  for (int fd : {ready[0], ready[1], go[0], go[1], counts[0], counts[1]}) close(fd);
  if (failed) {
    std::fprintf(stderr, "a reporting process failed\n");
    std::exit(1);
  }
  return static_cast<double>(total) / seconds;
}

int scaling(bool quick) {
  const double seconds = quick ? 1.0 : 4.0;
  const int history = quick ? 200 : 1000;
  auto desk = fresh_desk("bench_scale");
  desk->put_record(office, Record{{RecordKind::booking, template_booking}, "cust-1", {"fw-1", "fw-2"},
                                  RecordVisibility::restricted, false});
  RawPg pg(conninfo, "bench_scale");
  add_bookings(pg, template_booking, "H-", history);
  for (int i = 0; i < history; ++i) desk->report(office, report_on("H-" + std::to_string(i)));
  desk.reset();
  auto rollbacks = [&] {
    pqxx::nontransaction t(pg.conn());
    return t.exec("SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()")
        .at(0)[0]
        .as<std::int64_t>();
  };
  double best[5] = {0, 0, 0, 0, 0};
  int run = 0;
  for (int repeat = 0; repeat < 2; ++repeat)
    for (int processes : {1, 2, 4}) {
      std::string name = "S" + std::to_string(run++);
      // More bookings than a process could report on in the time.
      for (int p = 0; p < processes; ++p)
        add_bookings(pg, template_booking, name + "-" + std::to_string(p) + "-", 20000);
      std::int64_t before = rollbacks();
      long long gave_up = 0;
      double r = reports_per_second(processes, seconds, name, gave_up);
      std::printf("%d process%s: %.0f reports/s (%lld transactions rolled back, %lld reports given up)\n",
                  processes, processes == 1 ? "" : "es", r, static_cast<long long>(rollbacks() - before), gave_up);
      best[processes] = std::max(best[processes], r);
    }
  std::printf("reports/s: 1 process %.0f, 2 processes %.0f, 4 processes %.0f (best of 2)\n", best[1], best[2],
              best[4]);
  result("pg_report_scaling", best[4], best[1]);
  return 0;
}

// --- reads from two threads of one desk ----------------------------------------------------------
int read_scaling(bool quick) {
  const double seconds = quick ? 0.5 : 2.0;
  for (int issues : {quick ? 200 : 1000, quick ? 1000 : 10000}) {
    auto desk = fresh_desk("bench_reads");
    bench::reads::seed(*desk, issues);
    double one = bench::reads::best_of_three(*desk, issues, 1, seconds, false);
    double two = bench::reads::best_of_three(*desk, issues, 2, seconds, false);
    double beside = bench::reads::best_of_three(*desk, issues, 2, seconds, true);
    std::printf("%d issues: 1 thread %.0f reads/s, 2 threads %.0f reads/s, 2 threads beside a writer %.0f reads/s\n",
                issues, one, two, beside);
    if (issues == (quick ? 1000 : 10000)) result("pg_read_scaling", two, one);
  }
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  bool quick = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0)
      quick = true;
    else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
    else
      conninfo = argv[i];
  }
  if (conninfo.empty() && std::getenv("COMPLAINTS_PG_CONNINFO")) conninfo = std::getenv("COMPLAINTS_PG_CONNINFO");
  if (conninfo.empty()) {
    std::fprintf(stderr, "usage: bench_postgres [--quick] [--only report|act|get|scaling|reads] CONNINFO\n");
    return 2;
  }
  try {
    {
      pqxx::connection c(conninfo);
      pqxx::nontransaction t(c);
      std::printf("complaints %s, PostgreSQL %s (fsync %s, synchronous_commit %s), one transaction per operation\n",
                  version_string(), t.exec("SHOW server_version").at(0)[0].c_str(),
                  t.exec("SHOW fsync").at(0)[0].c_str(), t.exec("SHOW synchronous_commit").at(0)[0].c_str());
      std::fflush(stdout);
    }
    if (only.empty() || only == "report" || only == "act" || only == "get")
      if (int rc = core(quick, only)) return rc;
    if (only.empty() || only == "scaling")
      if (int rc = scaling(quick)) return rc;
    if (only.empty() || only == "reads")
      if (int rc = read_scaling(quick)) return rc;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "bench_postgres: %s\n", e.what());
    return 1;
  }
  return 0;
}
