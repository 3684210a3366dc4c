/*
** The quickstart through the C API: one booking complaint through the whole
** field-service lifecycle on an embedded SQLite file, printing each step and
** the fieldworker's payout, then the whole timeline.
**
** Usage: quickstart_c [database-file]   (default: quickstart-c.db, recreated)
*/
#include <complaints.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static complaints_desk *desk;

/* Stops on failure, printing the library's message. */
static void ok(int rc, const char *what) {
  if (rc == COMPLAINTS_OK) return;
  fprintf(stderr, "%s: %s: %s\n", what, complaints_strerror(rc), complaints_desk_errmsg(desk));
  exit(1);
}

/* Copies the string value of "key" that follows `from` in a JSON document. */
static const char *field(const char *json, const char *key, char *buf, size_t size) {
  char pattern[64];
  const char *start, *end;
  size_t n;
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  start = strstr(json, pattern);
  buf[0] = '\0';
  if (!start) return buf;
  start += strlen(pattern);
  end = strchr(start, '"');
  n = (size_t)(end - start) < size - 1 ? (size_t)(end - start) : size - 1;
  memcpy(buf, start, n);
  buf[n] = '\0';
  return buf;
}

static void step(const complaints_actor *payroll, const char *what, const char *issue_json) {
  char *pay = NULL;
  char status[64], updated[64];
  ok(complaints_hold_may_pay(desk, &pay, payroll, "booking", "BK-2041", "tariq"), "may_pay");
  printf("  %s  %s\n      CMP-00001 is %s; Tariq's payout: %s\n", field(issue_json, "updated_at", updated, sizeof updated),
         what, field(issue_json, "status", status, sizeof status),
         strstr(pay, "\"may_pay\":true") ? "payable" : "withheld");
  complaints_free(pay);
}

static void act(const complaints_actor *who, const complaints_actor *payroll, const char *at, const char *request,
                const char *what) {
  char *issue = NULL;
  ok(complaints_desk_set_clock(desk, at), "set_clock");
  ok(complaints_issue_act(desk, &issue, who, "CMP-00001", request), request);
  step(payroll, what, issue);
  complaints_free(issue);
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "quickstart-c.db";
  char wal[512], shm[512];
  char *errmsg = NULL, *issue = NULL, *timeline = NULL;
  complaints_actor *office, *admin, *tech, *payroll;
  const char *p;

  snprintf(wal, sizeof wal, "%s-wal", path);
  snprintf(shm, sizeof shm, "%s-shm", path);
  unlink(path);
  unlink(wal);
  unlink(shm);
  if (complaints_desk_open_sqlite(&desk, path, "{\"clock\": \"2026-11-23T08:30:00Z\"}", &errmsg) != COMPLAINTS_OK) {
    fprintf(stderr, "cannot open %s: %s\n", path, errmsg);
    complaints_free(errmsg);
    return 1;
  }
  ok(complaints_actor_new(&office, "olivia", COMPLAINTS_ROLE_OFFICE, COMPLAINTS_PERM_EDIT_ISSUES, NULL), "actor");
  ok(complaints_actor_new(&admin, "adam", COMPLAINTS_ROLE_ADMIN, 15u, NULL), "actor");
  ok(complaints_actor_new(&tech, "tariq", COMPLAINTS_ROLE_FIELDWORKER, 0u, NULL), "actor");
  ok(complaints_actor_new(&payroll, "payroll", COMPLAINTS_ROLE_SYSTEM, 0u, NULL), "actor");

  ok(complaints_record_put(desk, office,
                           "{\"kind\": \"booking\", \"id\": \"BK-2041\", \"customer_id\": \"casey\", "
                           "\"fieldworkers\": [\"tariq\"]}"),
     "record");
  printf("Complaint lifecycle on %s (C API)\n", path);
  ok(complaints_issue_report(desk, &issue, office,
                             "{\"record\": {\"kind\": \"booking\", \"id\": \"BK-2041\"}, \"type\": \"Unsatisfactory "
                             "Job\", \"description\": \"Hot water system still leaks after Tuesday's repair.\"}"),
     "report");
  step(payroll, "Olivia (office) logs the customer's phone complaint", issue);
  complaints_free(issue);

  act(office, payroll, "2026-11-23T10:30:00Z",
      "{\"action\": \"schedule_follow_up\", \"inputs\": {\"date\": \"2026-11-25\"}}",
      "Olivia schedules a follow-up visit for 2026-11-25");
  act(tech, payroll, "2026-11-25T12:30:00Z", "{\"action\": \"resolve\", \"inputs\": {\"note\": \"Replaced the valve.\"}}",
      "Tariq (fieldworker) marks it resolved on site");
  act(admin, payroll, "2026-11-25T15:30:00Z",
      "{\"action\": \"send_back\", \"inputs\": {\"note\": \"Please upload a photo of the new valve.\"}}",
      "Adam (admin) sends it back: evidence missing");
  act(tech, payroll, "2026-11-26T11:30:00Z", "{\"action\": \"resolve\", \"inputs\": {\"note\": \"Photo uploaded.\"}}",
      "Tariq resolves it again");
  act(admin, payroll, "2026-11-26T12:30:00Z", "{\"action\": \"approve\"}", "Adam approves the fix");
  act(admin, payroll, "2026-11-28T12:30:00Z",
      "{\"action\": \"reopen\", \"inputs\": {\"note\": \"Customer reports a drip again.\"}}",
      "Adam reopens it after the customer calls back");
  act(admin, payroll, "2026-11-28T16:30:00Z", "{\"action\": \"close\"}", "Adam closes it");

  printf("\nTimeline of CMP-00001:\n");
  ok(complaints_issue_timeline(desk, &timeline, admin, "CMP-00001"), "timeline");
  for (p = strstr(timeline, "{\"issue_code\""); p; p = strstr(p + 1, "{\"issue_code\"")) {
    char at[64], who[64], role[32], kind[32], action[64];
    printf("  %s  %s (%s)  %s\n", field(p, "at", at, sizeof at), field(p, "actor_id", who, sizeof who),
           field(p, "actor_role", role, sizeof role),
           field(p, "action", action, sizeof action)[0] ? action : field(p, "kind", kind, sizeof kind));
  }
  complaints_free(timeline);

  complaints_actor_free(office);
  complaints_actor_free(admin);
  complaints_actor_free(tech);
  complaints_actor_free(payroll);
  complaints_desk_close(desk);
  return 0;
}
