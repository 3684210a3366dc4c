/*
** A task's life through the C API, compiled as C99 with -pedantic -Werror: a
** group, a task in its queue, two handles claiming it (one wins, the other
** gets COMPLAINTS_ECONFLICT on its own handle), the close refused while the
** mandatory task is open, the task completed with notes on the timeline, the
** lists a case desk shows.
*/
#include <complaints.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                             \
  do {                                                                          \
    if (!(cond)) {                                                              \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                               \
    }                                                                           \
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

static const char *council =
    "{\"name\": \"council\", \"initial\": \"Open\","
    " \"statuses\": [{\"name\": \"Open\", \"category\": \"open\"}, {\"name\": \"Closed\", \"category\": \"closed\"}],"
    " \"actions\": [{\"name\": \"close\", \"from\": [\"Open\"], \"to\": \"Closed\", \"allow\": [\"admin\", \"office\"],"
    "   \"guards\": [\"no_open_tasks\", \"mandatory_tasks_done\"]}],"
    " \"tasks\": [{\"name\": \"investigate\", \"assign_to\": {\"groups\": [\"roads\"]}, \"mandatory\": true,"
    "   \"instructions\": \"Inspect the site.\"}]}";

int main(void) {
  complaints_desk *desk = NULL, *other = NULL;
  complaints_actor *admin = NULL, *manager = NULL, *alice = NULL, *bob = NULL;
  char *json = NULL, *issue = NULL;
  int rc;

  OK(desk, complaints_desk_open_memory(&desk, "{\"clock\": \"2026-03-02T09:00:00Z\"}", NULL));
  OK(desk, complaints_actor_new(&admin, "admin-1", COMPLAINTS_ROLE_ADMIN, 15u, NULL));
  OK(desk, complaints_actor_new(&manager, "manager", COMPLAINTS_ROLE_OFFICE, 0u, NULL));
  OK(desk, complaints_actor_new(&alice, "alice", COMPLAINTS_ROLE_OFFICE, 0u, NULL));
  OK(desk, complaints_actor_new(&bob, "bob", COMPLAINTS_ROLE_FIELDWORKER, 0u, NULL));
  OK(desk, complaints_user_put(desk, admin, "{\"id\": \"manager\", \"role\": \"office\"}"));
  OK(desk, complaints_user_put(desk, admin, "{\"id\": \"alice\", \"role\": \"office\", \"name\": \"Alice\"}"));
  OK(desk, complaints_user_put(desk, admin, "{\"id\": \"bob\", \"role\": \"fieldworker\", \"name\": \"Bob\"}"));

  /* The group, and a workflow whose investigations go to it. */
  OK(desk, complaints_group_put(desk, admin, "{\"id\": \"roads\", \"name\": \"Roads\", \"members\": [\"alice\", \"bob\"]}"));
  OK(desk, complaints_group_list(desk, &json, manager));
  CHECK(contains(json, "[{\"id\":\"roads\",\"name\":\"Roads\",\"members\":[\"alice\",\"bob\"]}]"));
  complaints_free(json);
  OK(desk, complaints_workflow_install(desk, admin, council));
  OK(desk, complaints_record_put(desk, admin, "{\"kind\": \"booking\", \"id\": \"SR-1\", \"customer_id\": \"res-1\"}"));
  OK(desk, complaints_issue_report(desk, &issue, manager,
                                   "{\"record\": {\"kind\": \"booking\", \"id\": \"SR-1\"}, \"type\": \"Other\","
                                   " \"description\": \"Pothole outside number 12.\", \"workflow\": \"council\"}"));
  complaints_free(issue);

  /* A task in the roads queue: both members see it. */
  OK(desk, complaints_task_create(desk, &json, manager, "CMP-00001", "{\"kind\": \"investigate\", \"group\": \"roads\"}"));
  CHECK(contains(json, "\"id\":1,"));
  CHECK(contains(json, "\"state\":\"open\""));
  CHECK(contains(json, "\"claimable\":true"));
  CHECK(contains(json, "\"mandatory\":true"));
  CHECK(contains(json, "\"instructions\":\"Inspect the site.\""));
  complaints_free(json);
  OK(desk, complaints_task_claimable(desk, &json, bob, 10, 0));
  CHECK(contains(json, "\"id\":1,"));
  complaints_free(json);
  rc = complaints_task_create(desk, &json, manager, "CMP-00001", "{\"kind\": \"investigate\", \"mandatory\": false}");
  CHECK(rc == COMPLAINTS_EINVALID && json == NULL);

  /* Two handles claim it: one wins, the other is told who has it, on its own handle. */
  OK(desk, complaints_desk_share(&other, desk));
  OK(desk, complaints_task_claim(desk, &json, alice, 1));
  CHECK(contains(json, "\"assignee\":\"alice\""));
  CHECK(contains(json, "\"claimable\":false"));
  complaints_free(json);
  rc = complaints_task_claim(other, &json, bob, 1);
  CHECK(rc == COMPLAINTS_ECONFLICT && json == NULL);
  CHECK(strcmp(complaints_desk_errwhere(other), "id") == 0);
  CHECK(contains(complaints_desk_errmsg(other), "alice"));
  CHECK(strcmp(complaints_desk_errmsg(desk), "") == 0);
  CHECK(complaints_task_claim(desk, &json, alice, 1) == COMPLAINTS_ESTATE);

  /* The claimed task left the queue; it is alice's. */
  OK(other, complaints_task_claimable(other, &json, bob, 10, 0));
  CHECK(strcmp(json, "[]") == 0);
  complaints_free(json);
  OK(desk, complaints_task_mine(desk, &json, alice, 10, 0));
  CHECK(contains(json, "\"id\":1,"));
  complaints_free(json);
  CHECK(complaints_task_claimable(desk, &json, bob, 0, 0) == COMPLAINTS_EINVALID);
  CHECK(strcmp(complaints_desk_errwhere(desk), "limit") == 0);

  /* The close waits for the mandatory investigation; bob cannot complete alice's task. */
  rc = complaints_issue_act(desk, &json, manager, "CMP-00001", "{\"action\": \"close\"}");
  CHECK(rc == COMPLAINTS_ESTATE);
  CHECK(contains(complaints_desk_errmsg(desk), "investigate"));
  CHECK(complaints_task_complete(desk, &json, bob, 1, "Done.") == COMPLAINTS_EFORBIDDEN);
  OK(desk, complaints_task_complete(desk, &json, alice, 1, "30cm pothole; repair booked for Tuesday."));
  CHECK(contains(json, "\"state\":\"completed\""));
  CHECK(contains(json, "\"done_by\":\"alice\""));
  CHECK(contains(json, "\"notes\":\"30cm pothole; repair booked for Tuesday.\""));
  complaints_free(json);
  CHECK(complaints_task_cancel(desk, &json, manager, 1, "Not needed.") == COMPLAINTS_ESTATE);

  /* The notes are on the case's timeline; the case closes. */
  OK(desk, complaints_issue_timeline(desk, &json, manager, "CMP-00001"));
  CHECK(contains(json, "30cm pothole"));
  complaints_free(json);
  OK(desk, complaints_issue_act(desk, &json, manager, "CMP-00001", "{\"action\": \"close\"}"));
  CHECK(contains(json, "\"status\":\"Closed\""));
  complaints_free(json);

  /* The lists: the issue's tasks, one task, nothing left for anyone. */
  OK(desk, complaints_task_list(desk, &json, manager, "CMP-00001"));
  CHECK(contains(json, "\"state\":\"completed\""));
  complaints_free(json);
  OK(desk, complaints_task_get(desk, &json, bob, 1));
  CHECK(contains(json, "\"issue_code\":\"CMP-00001\""));
  complaints_free(json);
  OK(desk, complaints_task_mine(desk, &json, alice, 10, 0));
  CHECK(strcmp(json, "[]") == 0);
  complaints_free(json);
  CHECK(complaints_task_get(desk, &json, alice, 99) == COMPLAINTS_ENOTFOUND);
  CHECK(complaints_task_get(desk, &json, alice, 0) == COMPLAINTS_EINVALID);

  complaints_desk_close(other);
  complaints_desk_close(desk);
  complaints_actor_free(admin);
  complaints_actor_free(manager);
  complaints_actor_free(alice);
  complaints_actor_free(bob);
  if (failures) fprintf(stderr, "%d checks failed\n", failures);
  return failures ? 1 : 0;
}
