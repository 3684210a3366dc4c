#!/usr/bin/env python3
"""Quickstart: one booking complaint through the whole field-service lifecycle
on an embedded SQLite file, printing each step (with the fieldworker's payout,
withheld while the complaint is open) and then the timeline.

  New -> In Progress (follow-up scheduled) -> Awaiting Approval (fieldworker
  resolves) -> sent back -> Awaiting Approval -> Closed (admin approves)
  -> Reopened -> Closed

Usage: quickstart.py [database-file]   (default: quickstart.db, recreated)

The library is found through COMPLAINTS_LIBRARY (the full path of
libcomplaints.so), the dynamic loader (LD_LIBRARY_PATH, the system's library
directories), ctypes.util.find_library or pkg-config. The same story as
examples/quickstart/main.cpp.
"""

import datetime as dt
import os
import sys

try:
    import complaints
except ImportError:  # run from a source tree: use the bindings next door
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bindings", "python"))
    import complaints

from complaints import Actor, ComplaintsError, Desk


def main(argv):
    path = argv[1] if len(argv) > 1 else "quickstart.db"
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass

    # The host decides what time it is; here a clock we move forward by hand, so
    # the story spans a week in a blink.
    now = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.timezone.utc)

    # The host's users, as actors: it vouches for who they are.
    office = Actor("olivia", "office", ["edit_issues"])
    admin = Actor("adam", "admin", complaints.PERMISSIONS)
    tech = Actor("tariq", "fieldworker")
    payroll = Actor("payroll", "system")
    host = Actor("mailer", "system")

    try:
        with Desk.open_sqlite(path, clock=now) as desk:

            def advance(hours):
                nonlocal now
                now += dt.timedelta(hours=hours)
                desk.set_clock(now)

            def step(what, issue):
                # The host asks before paying its fieldworker for the booking.
                record = issue["record"]
                pay = desk.may_pay(payroll, record["kind"], record["id"], "tariq")
                print(f"  {issue['updated_at']}  {what}")
                print(f"      {issue['code']} is {issue['status']} (version {issue['version']}); "
                      f"Tariq's payout: {'payable' if pay['may_pay'] else 'withheld'}")

            # The booking the complaint is about: customer Casey, fieldworker Tariq.
            desk.put_record(office, kind="booking", id="BK-2041", customer_id="casey", fieldworkers=["tariq"],
                            visibility="restricted", paid_out=False)

            # Any step can be watched in-process; events fire after each commit.
            def on_event(e):
                extra = "".join(" " + e[k] for k in ("action", "detail") if e.get(k))
                print(f"      [event] {e['kind']}{extra}")

            desk.on("any", on_event)

            print(f"Complaint lifecycle on {path}")
            issue = desk.report(office, record=("booking", "BK-2041"), type="Unsatisfactory Job",
                                description="Hot water system still leaks after Tuesday's repair.")
            step("Olivia (office) logs the customer's phone complaint", issue)

            advance(2)
            issue = desk.act(office, issue["code"], "schedule_follow_up", {"date": "2026-11-25"},
                             expected_version=issue["version"])
            step("Olivia schedules a follow-up visit for 2026-11-25", issue)

            advance(50)
            issue = desk.act(tech, issue["code"], "resolve", {"note": "Replaced the pressure valve."},
                             expected_version=issue["version"])
            step("Tariq (fieldworker) marks it resolved on site", issue)

            advance(3)
            issue = desk.act(admin, issue["code"], "send_back", {"note": "Please upload a photo of the new valve."},
                             expected_version=issue["version"])
            step("Adam (admin) sends it back: evidence missing", issue)

            advance(20)
            issue = desk.act(tech, issue["code"], "resolve", {"note": "Photo uploaded."},
                             expected_version=issue["version"])
            step("Tariq resolves it again", issue)

            advance(1)
            issue = desk.act(admin, issue["code"], "approve", expected_version=issue["version"])
            step("Adam approves the fix", issue)

            advance(48)
            issue = desk.act(admin, issue["code"], "reopen", {"note": "Customer reports a drip again."},
                             expected_version=issue["version"])
            step("Adam reopens it after the customer calls back", issue)

            advance(4)
            issue = desk.act(admin, issue["code"], "close", {"note": "Drip was condensation; explained to customer."},
                             expected_version=issue["version"])
            step("Adam closes it", issue)

            print(f"\nTimeline of {issue['code']}:")
            for e in desk.timeline(admin, issue["code"]):
                print(f"  #{e['seq']}  {e['at']}  {e['actor_id']} ({e['actor_role']})  {e['action'] or e['kind']}")
                for c in e["changes"]:
                    if c["field"] != "description":
                        print(f"        {c['field']}: {c['before'] or '-'} -> {c['after']}")
                if e["note"]:
                    print(f"        note: {e['note']}")

            print("\nPayout ledger:")
            report = desk.hold_report(admin, "2026-11-01T00:00:00Z", now + dt.timedelta(hours=1))
            for line in report["entries"]:
                record = line["record"]
                override = " [admin override]" if line.get("override_release") else ""
                why = ", ".join(line.get("issues", []) + [line["reason"]])
                print(f"  {line['at']}  {line['action']} {line['fieldworker']} on {record['kind']}:{record['id']}"
                      f" by {line['actor_id']} ({why}){override}")

            check = desk.verify(admin, issue["code"])
            print(f"\nTimeline hash chain: {'intact' if check['ok'] else 'BROKEN'} ({check['entries']} entries)")

            # What the host must deliver: notifications queued with each change.
            outbox = desk.outbox_pending(host, 1000)
            print(f"Outbox: {len(outbox)} notifications waiting for delivery")
            return 0 if check["ok"] else 1
    except ComplaintsError as e:
        print(f"error ({type(e).__name__}, {e.code}): {e.message}", file=sys.stderr)
        return 1
    finally:
        for actor in (office, admin, tech, payroll, host):
            actor.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
