/*
** The whole field-service scenario through the C API, compiled as C99 with
** -pedantic -Werror: it is also the test that complaints.h is plain C.
** "capi_scenario" runs it on an in-memory desk; "capi_scenario postgres" on
** a PostgreSQL desk, in a schema of its own on the server
** COMPLAINTS_TEST_POSTGRES names (CTest's throw-away server).
*/
#include <complaints.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int failures = 0;

#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                        \
    }                                                                    \
  } while (0)

/* Stops the test when a call fails, printing the desk's message. */
#define OK(desk, call)                                                                                   \
  do {                                                                                                   \
    int rc_ = (call);                                                                                    \
    if (rc_ != COMPLAINTS_OK) {                                                                          \
      fprintf(stderr, "%s:%d: %s failed: %s: %s\n", __FILE__, __LINE__, #call, complaints_strerror(rc_), \
              complaints_desk_errmsg(desk));                                                             \
      exit(1);                                                                                           \
    }                                                                                                    \
  } while (0)

static int contains(const char *json, const char *text) { return json && strstr(json, text) != NULL; }

struct seen {
  int events;
  int withheld;
  char last_kind_json[64];
};

static void on_event(void *user, int kind, const char *event_json) {
  struct seen *s = (struct seen *)user;
  s->events++;
  if (kind == COMPLAINTS_EVENT_PAYMENT_WITHHELD) s->withheld++;
  strncpy(s->last_kind_json, event_json, sizeof s->last_kind_json - 1);
}

/* Takes an action and checks the status it lands in. */
static void act(complaints_desk *desk, const complaints_actor *who, const char *code, const char *request,
                const char *status) {
  char *issue = NULL;
  char expected[64];
  OK(desk, complaints_issue_act(desk, &issue, who, code, request));
  snprintf(expected, sizeof expected, "\"status\":\"%s\"", status);
  CHECK(contains(issue, expected));
  complaints_free(issue);
}

int main(int argc, char **argv) {
  complaints_desk *desk = NULL;
  complaints_actor *office = NULL, *admin = NULL, *tech = NULL, *mailer = NULL, *casey = NULL;
  char *json = NULL, *errmsg = NULL, *issue = NULL;
  char code[16] = {0};
  struct seen seen;
  int64_t subscription = 0;
  int rc;

  memset(&seen, 0, sizeof seen);
  CHECK(complaints_version_number() == COMPLAINTS_C_VERSION_NUMBER);
  CHECK(strcmp(complaints_strerror(COMPLAINTS_ENOTFOUND), "not found") == 0);

  if (argc > 1 && strcmp(argv[1], "postgres") == 0) {
    const char *conninfo = getenv("COMPLAINTS_TEST_POSTGRES");
    char options[128];
    if (!conninfo || !*conninfo) {
      fprintf(stderr, "COMPLAINTS_TEST_POSTGRES is not set: run this test with ctest, which starts a server\n");
      return 1;
    }
    snprintf(options, sizeof options, "{\"clock\": \"2026-11-23T08:30:00Z\", \"schema\": \"capi_scenario_%ld\"}",
             (long)time(NULL));
    rc = complaints_desk_open_postgres(&desk, conninfo, options, &errmsg);
  } else {
    rc = complaints_desk_open_memory(&desk, "{\"clock\": \"2026-11-23T08:30:00Z\"}", &errmsg);
  }
  if (rc != COMPLAINTS_OK) fprintf(stderr, "opening the desk failed: %s\n", errmsg ? errmsg : "(no message)");
  CHECK(rc == COMPLAINTS_OK && errmsg == NULL);
  OK(desk, complaints_actor_new(&office, "olivia", COMPLAINTS_ROLE_OFFICE, COMPLAINTS_PERM_EDIT_ISSUES, NULL));
  OK(desk, complaints_actor_new(&admin, "adam", COMPLAINTS_ROLE_ADMIN, 15u, NULL));
  OK(desk, complaints_actor_new(&tech, "tariq", COMPLAINTS_ROLE_FIELDWORKER, 0u, NULL));
  OK(desk, complaints_actor_new(&mailer, "mailer", COMPLAINTS_ROLE_SYSTEM, 0u, NULL));
  OK(desk, complaints_actor_new(&casey, "casey", COMPLAINTS_ROLE_CUSTOMER, 0u, NULL));
  OK(desk, complaints_desk_on(desk, &subscription, COMPLAINTS_EVENT_ANY, on_event, &seen));

  OK(desk, complaints_user_put(desk, admin, "{\"id\": \"casey\", \"role\": \"customer\", \"name\": \"Casey Smith\"}"));
  OK(desk, complaints_record_put(desk, office,
                                 "{\"kind\": \"booking\", \"id\": \"BK-2041\", \"customer_id\": \"casey\", "
                                 "\"fieldworkers\": [\"tariq\"]}"));
  OK(desk, complaints_issue_report(desk, &issue, office,
                                   "{\"record\": {\"kind\": \"booking\", \"id\": \"BK-2041\"}, \"type\": "
                                   "\"Unsatisfactory Job\", \"description\": \"Hot water system still leaks.\", "
                                   "\"hold_amounts\": {\"tariq\": {\"minor\": 18000, \"currency\": \"AUD\"}}}"));
  CHECK(contains(issue, "\"code\":\"CMP-00001\""));
  CHECK(contains(issue, "\"status\":\"New\""));
  memcpy(code, "CMP-00001", 10);
  complaints_free(issue);
  CHECK(seen.withheld == 1);

  /* The payout is withheld while the complaint is open. */
  OK(desk, complaints_hold_may_pay(desk, &json, mailer, "booking", "BK-2041", "tariq"));
  CHECK(contains(json, "\"may_pay\":false"));
  CHECK(contains(json, "\"blocking\":[\"CMP-00001\"]"));
  CHECK(contains(json, "\"minor\":18000"));
  complaints_free(json);

  complaints_desk_set_clock(desk, "2026-11-23T10:30:00Z");
  act(desk, office, code, "{\"action\": \"schedule_follow_up\", \"inputs\": {\"date\": \"2026-11-25\"}}",
      "In Progress");
  act(desk, tech, code, "{\"action\": \"resolve\", \"inputs\": {\"note\": \"Replaced the valve.\"}}",
      "Awaiting Approval");
  act(desk, admin, code, "{\"action\": \"send_back\", \"inputs\": {\"note\": \"Photo please.\"}}", "In Progress");
  act(desk, tech, code, "{\"action\": \"resolve\"}", "Awaiting Approval");
  act(desk, admin, code, "{\"action\": \"approve\", \"expected_version\": 5}", "Closed");
  OK(desk, complaints_hold_may_pay(desk, &json, mailer, "booking", "BK-2041", "tariq"));
  CHECK(contains(json, "\"may_pay\":true"));
  complaints_free(json);
  act(desk, admin, code, "{\"action\": \"reopen\"}", "Reopened");
  act(desk, admin, code, "{\"action\": \"close\"}", "Closed");

  /* Errors come back as codes with a message saying what and where. */
  rc = complaints_issue_act(desk, &json, tech, code, "{\"action\": \"approve\"}");
  CHECK(rc == COMPLAINTS_EFORBIDDEN && json == NULL);
  rc = complaints_issue_act(desk, &json, admin, code, "{\"action\": \"reopen\", \"expected_version\": 1}");
  CHECK(rc == COMPLAINTS_ECONFLICT);
  CHECK(strcmp(complaints_desk_errwhere(desk), "expected_version") == 0);
  rc = complaints_issue_get(desk, &json, admin, "CMP-99999");
  CHECK(rc == COMPLAINTS_ENOTFOUND);
  CHECK(contains(complaints_desk_errmsg(desk), "CMP-99999"));

  /* The timeline, verified. */
  OK(desk, complaints_issue_timeline(desk, &json, admin, code));
  CHECK(contains(json, "\"action\":\"approve\""));
  CHECK(contains(json, "\"actor_id\":\"tariq\""));
  complaints_free(json);
  OK(desk, complaints_issue_verify(desk, &json, admin, code));
  CHECK(contains(json, "\"ok\":true"));
  complaints_free(json);

  /* A public comment the customer sees, an internal one they do not. */
  OK(desk, complaints_comment_add(desk, &json, office, code, "{\"body\": \"Back on Tuesday.\", \"internal\": false}"));
  complaints_free(json);
  OK(desk, complaints_comment_add(desk, &json, office, code, "{\"body\": \"Tech was late again.\"}"));
  complaints_free(json);
  OK(desk, complaints_comment_list(desk, &json, casey, code));
  CHECK(contains(json, "Back on Tuesday."));
  CHECK(!contains(json, "Tech was late"));
  complaints_free(json);

  /* A template preview. */
  OK(desk, complaints_message_render(desk, &json, office, code, "complaint_details", "customer", 0));
  CHECK(contains(json, "Dear Casey,"));
  CHECK(contains(json, "\"outbox_id\":0"));
  complaints_free(json);

  /* The outbox: fetch everything, acknowledge it, nothing left. */
  OK(desk, complaints_outbox_pending(desk, &json, mailer, 1000, 0));
  CHECK(contains(json, "\"event\":\"message:acknowledgement\""));
  CHECK(contains(json, "\"event\":\"message:final_resolution\""));
  CHECK(contains(json, "\"recipient\":\"tariq\""));
  {
    int64_t ids[200];
    size_t n = 0, acked = 0;
    const char *p = json;
    while ((p = strstr(p, "{\"id\":")) != NULL && n < 200) {
      ids[n++] = strtoll(p + 6, NULL, 10);
      p += 6;
    }
    CHECK(n > 5);
    OK(desk, complaints_outbox_ack(desk, &acked, mailer, ids, n));
    CHECK(acked == n);
  }
  complaints_free(json);
  OK(desk, complaints_outbox_pending(desk, &json, mailer, 10, 0));
  CHECK(strcmp(json, "[]") == 0);
  complaints_free(json);

  /* Time: the customer-confirmation workflow closes an unconfirmed complaint by itself. */
  OK(desk, complaints_workflow_install_builtin(desk, admin, "customer-confirmation"));
  OK(desk, complaints_calendar_set(desk, admin,
                                   "{\"time_zone\": \"Australia/Sydney\", \"hours\": {\"mon\": [\"08:30-17:00\"], "
                                   "\"tue\": [\"08:30-17:00\"], \"wed\": [\"08:30-17:00\"], \"thu\": [\"08:30-17:00\"], "
                                   "\"fri\": [\"08:30-12:00\"]}, \"holidays\": [\"2026-12-25\"]}"));
  OK(desk, complaints_calendar_get(desk, &json, office));
  CHECK(contains(json, "\"time_zone\":\"Australia/Sydney\""));
  CHECK(contains(json, "\"fri\":[\"08:30-12:00\"]"));
  complaints_free(json);
  rc = complaints_calendar_set(desk, admin, "{\"time_zone\": \"Atlantis/Lost\"}");
  CHECK(rc == COMPLAINTS_EINVALID);
  CHECK(strcmp(complaints_desk_errwhere(desk), "calendar.time_zone") == 0);
  OK(desk, complaints_issue_report(desk, &issue, office,
                                   "{\"record\": {\"kind\": \"booking\", \"id\": \"BK-2041\"}, \"type\": \"Other\", "
                                   "\"description\": \"Gate left open.\", \"workflow\": \"customer-confirmation\"}"));
  CHECK(contains(issue, "\"code\":\"CMP-00002\""));
  complaints_free(issue);
  act(desk, office, "CMP-00002", "{\"action\": \"assign\", \"inputs\": {\"assignee\": \"tariq\"}}",
      "Team Member Assigned");
  act(desk, tech, "CMP-00002", "{\"action\": \"accept\"}", "In Progress");
  act(desk, tech, "CMP-00002", "{\"action\": \"resolve\", \"inputs\": {\"feedback\": \"Latched.\"}}", "Confirmation");
  OK(desk, complaints_due_next(desk, &json, office));
  CHECK(strcmp(json, "{\"next_due\":\"2026-11-27T10:30:00.000Z\"}") == 0);
  complaints_free(json);
  OK(desk, complaints_due_process(desk, &json, mailer, 100));
  CHECK(strcmp(json, "[]") == 0);
  complaints_free(json);
  rc = complaints_due_process(desk, &json, office, 100);
  CHECK(rc == COMPLAINTS_EFORBIDDEN && json == NULL);
  complaints_desk_set_clock(desk, "2026-11-27T10:30:00Z");
  OK(desk, complaints_due_process(desk, &json, mailer, 100));
  CHECK(contains(json, "\"issue_code\":\"CMP-00002\",\"kind\":\"timer\",\"name\":\"auto_close\""));
  CHECK(contains(json, "\"outcome\":\"ran\""));
  complaints_free(json);
  OK(desk, complaints_issue_get(desk, &json, office, "CMP-00002"));
  CHECK(contains(json, "\"status\":\"Closed\""));
  CHECK(contains(json, "\"timers\":[]"));
  complaints_free(json);
  OK(desk, complaints_due_next(desk, &json, office));
  CHECK(strcmp(json, "{\"next_due\":null}") == 0);
  complaints_free(json);
  {
    int64_t count = -1;
    OK(desk, complaints_issue_to_follow_count(desk, &count, office, "olivia"));
    CHECK(count == 0);
  }

  /* The event callback saw every change, after each commit. */
  CHECK(seen.events >= 12);
  OK(desk, complaints_desk_off(desk, subscription));
  CHECK(complaints_desk_off(desk, subscription) == COMPLAINTS_EMISUSE);

  complaints_actor_free(office);
  complaints_actor_free(admin);
  complaints_actor_free(tech);
  complaints_actor_free(mailer);
  complaints_actor_free(casey);
  complaints_desk_close(desk);
  if (failures) fprintf(stderr, "%d checks failed\n", failures);
  return failures ? 1 : 0;
}
