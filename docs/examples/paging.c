/*
** Paging through what grows without bound, as docs/c-api.md ("Paging",
** "Limits and defaults") describes it, in C: the issue list by
** "after_number", and the outbox by after_id, delivering and acknowledging
** each page as a host's mailer would. Also what a limit past its bound gives.
**
** Usage: docs_paging   (an in-memory desk; exits non-zero if anything is off)
**
** A host reads the JSON with its own parser; this example finds the few
** values it needs by their keys, which the library writes in the order
** docs/c-api.md shows.
*/
#include <complaints.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static complaints_desk *desk;

/* Stops on failure, printing the library's message and where. */
static void ok(int rc, const char *what) {
  if (rc == COMPLAINTS_OK) return;
  fprintf(stderr, "%s: %s: %s (at %s)\n", what, complaints_strerror(rc), complaints_desk_errmsg(desk),
          complaints_desk_errwhere(desk));
  exit(1);
}

/* How many times `item` starts an element of the array `json`. */
static int count(const char *json, const char *item) {
  int n = 0;
  const char *p = json;
  while ((p = strstr(p, item)) != NULL) {
    ++n;
    p += strlen(item);
  }
  return n;
}

/* The integer after the last `key` in `json`, or -1. */
static long long last_integer(const char *json, const char *key) {
  const char *p = json, *last = NULL;
  while ((p = strstr(p, key)) != NULL) {
    last = p;
    p += strlen(key);
  }
  return last ? strtoll(last + strlen(key), NULL, 10) : -1;
}

/* The integers after each `key` in `json`, into ids (at most max); how many. */
static size_t integers(const char *json, const char *key, int64_t *ids, size_t max) {
  size_t n = 0;
  const char *p = json;
  while (n < max && (p = strstr(p, key)) != NULL) {
    p += strlen(key);
    ids[n++] = strtoll(p, NULL, 10);
  }
  return n;
}

int main(void) {
  complaints_actor *office, *mailer;
  char *out = NULL, *errmsg = NULL;
  char filter[128];
  long long after = 0;
  int page = 0, issues = 0, i, rc;
  int64_t after_id = 0, ids[100];
  size_t delivered = 0, acked = 0, n, done;

  if (complaints_desk_open_memory(&desk, "{\"clock\": \"2026-03-02T09:00:00Z\"}", &errmsg) != COMPLAINTS_OK) {
    fprintf(stderr, "cannot open: %s\n", errmsg);
    complaints_free(errmsg);
    return 1;
  }
  ok(complaints_actor_new(&office, "olivia", COMPLAINTS_ROLE_OFFICE, COMPLAINTS_PERM_EDIT_ISSUES, NULL), "actor");
  ok(complaints_actor_new(&mailer, "mailer", COMPLAINTS_ROLE_SYSTEM, 0u, NULL), "actor");
  ok(complaints_record_put(desk, office,
                           "{\"kind\": \"booking\", \"id\": \"BK-1\", \"customer_id\": \"casey\", "
                           "\"fieldworkers\": [\"tariq\"]}"),
     "record");
  for (i = 0; i < 250; ++i) {
    ok(complaints_issue_report(desk, &out, office,
                               "{\"record\": {\"kind\": \"booking\", \"id\": \"BK-1\"}, \"type\": \"Late Service\", "
                               "\"description\": \"Late again.\"}"),
       "report");
    complaints_free(out);
  }

  /* The issue list, 100 a page: each page starts after the last number of the one before. */
  for (;;) {
    int got;
    snprintf(filter, sizeof filter, "{\"limit\": 100, \"after_number\": %lld}", after);
    ok(complaints_issue_list(desk, &out, office, filter), "list");
    got = count(out, "{\"code\":\"CMP-");
    if (got > 0) after = last_integer(out, "\"number\":");
    complaints_free(out);
    printf("issues page %d: %d issues, the last CMP-%05lld\n", ++page, got, after);
    issues += got;
    if (got < 100) break; /* a short page is the last */
  }

  /* A limit past its bound changes nothing and says where. */
  rc = complaints_issue_list(desk, &out, office, "{\"limit\": 10001}");
  printf("a page of 10001: %s at \"%s\": %s\n", complaints_strerror(rc), complaints_desk_errwhere(desk),
         complaints_desk_errmsg(desk));
  if (rc != COMPLAINTS_EINVALID || strcmp(complaints_desk_errwhere(desk), "limit") != 0) return 1;

  /* The outbox, 100 a page: deliver, then acknowledge what was delivered. */
  for (;;) {
    ok(complaints_outbox_pending(desk, &out, mailer, 100, after_id), "outbox");
    n = integers(out, "{\"id\":", ids, 100);
    complaints_free(out);
    if (n == 0) break;
    /* ...hand each item to the gateway here, dropping duplicates by idempotency_key... */
    delivered += n;
    ok(complaints_outbox_ack(desk, &done, mailer, ids, n), "ack");
    acked += done;
    after_id = ids[n - 1];
  }
  ok(complaints_outbox_pending(desk, &out, mailer, 100, 0), "outbox");
  printf("outbox: %zu items delivered and acknowledged; pending now: %s\n", delivered, out);
  rc = strcmp(out, "[]") == 0 && issues == 250 && delivered > 0 && acked == delivered ? 0 : 1;
  complaints_free(out);

  complaints_actor_free(office);
  complaints_actor_free(mailer);
  complaints_desk_close(desk);
  return rc;
}
