#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets (fuzzers/README.md).

    fuzzers/seed.py OUT_DIR

makes OUT_DIR/<target>/ for template, workflow, capi and values, each file
one input in that target's format, and OUT_DIR/<target>.dict, the words
(JSON keys and values, Mustache tags, zones and currencies) libFuzzer splices
into inputs, all taken from the project's own documents:
the JSON blocks of docs/*.md, the built-in workflows (src/workflow/builtin),
the built-in templates (src/messages/builtin.cpp), the JSON documents the
tests, examples and docs' examples write as raw string literals, and a few
values and call sequences written here. They are not minimised: scripts/fuzz.sh
TARGET merge folds them into fuzzers/corpus/TARGET with libFuzzer's -merge=1.
Standard library only.
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def read(path):
    return (ROOT / path).read_text(encoding="utf-8")


def raw_literals(text):
    """C++ raw string literals R"(...)" and R"tag(...)tag", adjacent ones joined."""
    pieces = re.finditer(r'R"([A-Za-z_]*)\((.*?)\)\1"', text, re.S)
    out, last_end, current = [], None, None
    for m in pieces:
        if current is not None and text[last_end:m.start()].strip() == "":
            current += m.group(2)
        else:
            if current is not None:
                out.append(current)
            current = m.group(2)
        last_end = m.end()
    if current is not None:
        out.append(current)
    return out


def json_blocks(markdown):
    return re.findall(r"```json\n(.*?)```", markdown, re.S)


def as_json(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def documents():
    """Every JSON document the project writes down: (text, parsed)."""
    texts = []
    for md in sorted((ROOT / "docs").glob("*.md")):
        texts += json_blocks(md.read_text(encoding="utf-8"))
    for folder in ("tests", "examples", "docs/examples", "bindings/python/tests"):
        for source in sorted((ROOT / folder).rglob("*")):
            if source.suffix in (".cpp", ".hpp", ".c"):
                texts += raw_literals(source.read_text(encoding="utf-8"))
    for wf in sorted((ROOT / "src/workflow/builtin").glob("*.json")):
        texts.append(wf.read_text(encoding="utf-8"))
    seen, out = set(), []
    for t in texts:
        t = t.strip()
        doc = as_json(t)
        if doc is None or t in seen:
            continue
        seen.add(t)
        out.append((t, doc))
    return out


# --- the C API target's entries, in the order of capi_fuzzer.cpp's table ------------------------

def capi_entries():
    source = read("fuzzers/capi_fuzzer.cpp")
    table = source[source.index("const std::vector<Entry> &entries()"):]
    return re.findall(r'^\s*\{"([a-z_]+)",', table, re.M)


ENTRIES = capi_entries()
ADMIN, SUPER, OFFICE, OFFICE_PLAIN, FIELDWORKER, CUSTOMER, SYSTEM = 0, 2, 3, 4, 5, 6, 7


def call(entry, text="", actor=ADMIN, issue=0, flag=False):
    """One call: entry byte, who byte, text (see capi_fuzzer.cpp). Both bytes
    are taken one period up (the fuzzer reads them modulo), so that neither is
    the NUL that separates calls."""
    who = actor + 8 * issue + 24 * int(flag) + 48
    return bytes([ENTRIES.index(entry) + len(ENTRIES), who]) + text.encode("utf-8")


def calls(*parts):
    return b"\0".join(parts)


def capi_entries_for(doc):
    """Which JSON-taking entries a document fits, by its keys."""
    if isinstance(doc, list):
        return ["hold_may_pay_many"] if doc and isinstance(doc[0], dict) and "fieldworker" in doc[0] else []
    if not isinstance(doc, dict):
        return []
    keys = set(doc)
    if {"statuses", "actions"} <= keys:
        return ["workflow_install", "workflow_validate"]
    if "time_zone" in keys or "hours" in keys or "holidays" in keys:
        return ["calendar_set"]
    if keys & {"reminder_schedule", "acknowledgement", "branding", "sla_promise"}:
        return ["message_settings_set"]
    if keys & {"sync", "clock", "busy_timeout_ms", "read_only", "immutable"}:
        return ["desk_open_memory", "desk_open_sqlite"]
    if "action" in keys:
        return ["issue_act"]
    if "record" in keys and "description" in keys:
        return ["issue_report"]
    if "fieldworker" in keys and "amount" in keys:
        return ["hold_withhold"]
    if "fieldworker" in keys and "reason" in keys:
        return ["hold_release"]
    if keys & {"state", "withheld_before", "invoice"}:
        return ["hold_list"]
    if keys & {"subject", "body_html", "body_text"}:
        return ["template_save"]
    if "media_type" in keys:
        return ["attachment_add"]
    if "body" in keys:
        return ["comment_add"]
    if "kind" in keys and "customer_id" in keys:
        return ["record_put"]
    if "role" in keys and "id" in keys:
        return ["user_put"]
    if keys & {"scope", "push", "sms", "email"}:
        return ["user_set_settings"]
    if {"name", "colour", "category"} <= keys:
        return ["status_add"]
    if {"name", "colour"} <= keys:
        return ["type_add"]
    if keys & {"description", "to_follow", "deferred_date", "follow_up_date", "expected_version"}:
        return ["issue_edit"]
    if keys & {"open", "status", "categories", "record_kind", "owner", "after_number", "limit"}:
        return ["issue_list"]
    return []


def capi_seeds(docs):
    seeds = []
    for text, doc in docs:
        for entry in capi_entries_for(doc):
            seeds.append(call(entry, text))
    fs = lambda action, inputs=None: json.dumps({"action": action, "inputs": inputs or {}})
    booking = {"kind": "booking", "id": "B-1"}
    seeds += [
        # documents that reach what the setup holds
        call("comment_add", json.dumps({"body": "Photo attached, @fw-2", "internal": False, "reply_to": 1,
                                        "attachments": [{"name": "p.png", "media_type": "image/png",
                                                         "bytes_base64": "iVBORw0KGgo=", "internal": True}]})),
        call("comment_add", json.dumps({"body": "Thanks!"}), CUSTOMER),
        call("attachment_add", json.dumps({"name": "sig.svg", "media_type": "image/svg+xml",
                                           "bytes_base64": "PHN2Zz48L3N2Zz4=", "internal": False}), FIELDWORKER),
        call("user_set_settings", json.dumps({"scope": "replies", "push": False, "sms": True, "email": True}),
             FIELDWORKER),
        call("issue_edit", json.dumps({"type": "Other", "description": "Edited.", "to_follow": False,
                                       "deferred_date": None, "follow_up_date": "2026-02-01", "expected_version": 1})),
        call("issue_list", json.dumps({"record": booking, "categories": ["open", "pending"], "fieldworker": "fw-1",
                                       "created_from": "2026-01-01T00:00:00Z", "limit": 2}), FIELDWORKER),
        call("issue_list", json.dumps({"owner": "admin-1", "to_follow": True, "workflow": "field-service",
                                       "status": "New", "type": "Damage Caused", "after_number": 0})),
        call("hold_list", json.dumps({"record": booking, "fieldworker": "fw-1", "state": "withheld",
                                      "withheld_before": "2026-02-01T00:00:00Z", "limit": 10})),
        call("hold_list", json.dumps({"invoice": "I-1"}), FIELDWORKER),
        call("hold_may_pay_many", json.dumps([{"record": booking, "fieldworker": "fw-1"},
                                              {"record": {"kind": "invoice", "id": "I-1"}, "fieldworker": "fw-2"}]),
             SYSTEM),
        call("hold_withhold", json.dumps({"record": booking, "fieldworker": "fw-2",
                                          "amount": {"minor": 9900, "currency": "AUD"}, "scope": "whole",
                                          "reason": "Billing dispute."}), OFFICE),
        call("hold_release", json.dumps({"record": booking, "fieldworker": "fw-1", "reason": "Agreed.",
                                         "override": True})),
        call("status_add", json.dumps({"name": "Parked", "colour": "#101010", "category": "pending"}), issue=1),
        call("template_save", json.dumps({"name": "layout", "subject": "", "single_brace": False,
                                          "body_html": "<div>{{$content}}{{/content}}</div>",
                                          "body_text": "{{$content}}{{/content}}"})),
        call("template_save", json.dumps({"name": "brace_note", "title": "Brace", "single_brace": True,
                                          "subject": "{complaint_number}",
                                          "body_text": "{#fieldworkers}{name}{/fieldworkers}"})),
    ]
    seeds += [
        # plain text
        call("issue_reads", "CMP-00001"), call("issue_reads", "CMP-00002", CUSTOMER),
        call("issue_reads", "CMP-00003", FIELDWORKER), call("issue_search", "bench", CUSTOMER),
        call("issue_search", "Charged", FIELDWORKER, flag=True),
        call("set_clock", "2026-01-20T09:00:00Z"), call("set_clock", "2026-01-09T08:00:00.5Z"),
        call("advance", "100"), call("advance", "1"),
        call("hold_report", "2026-01-01T00:00:00Z\n2026-02-01T00:00:00Z"),
        call("record_get", "booking\nB-1", FIELDWORKER), call("record_get", "quote\nQ-1", CUSTOMER),
        call("record_relink", "quote\nQ-1\nbooking\nB-1"), call("record_relink", "booking\nB-1\ninvoice\nI-1"),
        call("watcher_set", "fw-1", FIELDWORKER), call("watcher_set", "fw-2", flag=True),
        call("link_set", "CMP-00003\nduplicate_of"), call("link_set", "CMP-00002\nrelated", flag=True),
        call("template_get", "acknowledgement"), call("template_get", "note"), call("template_reset", "note"),
        call("template_reset", "final_resolution", OFFICE),
        call("message_render", "acknowledgement\ncustomer"), call("message_render", "note\nfieldworkers", flag=True),
        call("message_render", "final_resolution", issue=1),
        call("message_reminder", "fw-1"), call("message_reminder", "fw-1", SUPER, flag=True),
        call("user_get", "fw-1"), call("user_get", "cust-1", CUSTOMER),
        call("workflow_get", "staged-escalation"), call("workflow_install_builtin", "field-service"),
        call("hold_may_pay", "booking\nB-1\nfw-1"), call("hold_may_pay", "invoice\nI-1\nfw-1", SYSTEM),
        call("actor_new", "someone"),
        call("issue_delete", issue=1), call("outbox", "", SYSTEM), call("outbox", "2", SYSTEM, flag=True),
        call("desk_reads"), call("desk_reads", "", FIELDWORKER), call("attachment_bytes", "1", CUSTOMER),
        call("attachment_bytes", "2"), call("desk_scrub"),
        # sequences: the three workflows walked a little way
        calls(call("issue_act", fs("resolve", {"note": "Fixed."}), FIELDWORKER),
              call("issue_act", fs("approve"), SUPER), call("hold_release",
                   json.dumps({"record": {"kind": "booking", "id": "B-1"}, "fieldworker": "fw-1", "reason": "paid"}),
                   SUPER)),
        calls(call("issue_act", fs("close", {"note": "Done."})), call("issue_act", fs("reopen"), SUPER),
              call("issue_act", fs("schedule_follow_up", {"date": "2026-01-12"}), OFFICE)),
        calls(call("issue_act", fs("confirm"), CUSTOMER, issue=1), call("issue_reads", "CMP-00002", CUSTOMER)),
        calls(call("advance", "97"), call("issue_reads", "CMP-00002")),
        calls(call("issue_act", fs("change_stage", {"stage": "Stage 1", "note": "Escalated."}), OFFICE, issue=2),
              call("issue_act", fs("assign_to_service", {"service": "fw-1"}), OFFICE, issue=2),
              call("issue_act", fs("record_outcome", {"outcome": "Refunded."}), OFFICE, issue=2),
              call("issue_act", fs("close", {"resolution": "Upheld"}), OFFICE, issue=2)),
        calls(call("advance", "500"), call("outbox", "", SYSTEM), call("desk_reads", "", SYSTEM)),
        calls(call("issue_delete"), call("issue_reads", "CMP-00001"), call("hold_list", "{}")),
        calls(call("issue_report", json.dumps({"record": {"kind": "quote", "id": "Q-1"}, "type": "Other",
                                               "description": "On a quote."}), CUSTOMER),
              call("record_relink", "quote\nQ-1\nbooking\nB-1")),
    ]
    return seeds


# --- workflows, templates, values ------------------------------------------------------------------

def workflow_seeds(docs):
    return [text.encode("utf-8") for text, doc in docs if isinstance(doc, dict) and "statuses" in doc]


def template_seeds():
    """The built-in templates, each under a few option bytes (template_fuzzer.cpp)."""
    sources = raw_literals(read("src/messages/builtin.cpp"))
    sources += ["Hi {customer_first_name}, about {complaint_number}{#sla_promise}: {sla_promise}{/sla_promise}",
                "{{=<% %>=}}<%a%> <%#list%><%.%><%/list%>", "{{>p}}{{>*name}}{{<layout}}{{$title}}X{{/title}}{{/layout}}",
                "{{#lambda}}x{{/lambda}}{{#section_lambda}}{{a}}{{/section_lambda}}{{{a}}}{{&a}}{{! c }}{{obj.nested.deep}}"]
    options = [0x00, 0x01, 0x04, 0x08, 0x10, 0x20, 0x40, 0x84, 0x25]
    seeds = []
    for i, s in enumerate(sources):
        for bits in options[: 3 if i < len(sources) - 4 else len(options)]:
            seeds.append(bytes([bits]) + s.encode("utf-8"))
    return seeds


def values_seeds(docs):
    kinds = {"date": 0, "timestamp": 1, "money": 2, "money_json": 3, "code": 4, "span": 5, "minute": 6,
             "calendar": 7, "schedule": 8}
    plain = {
        "date": ["2026-01-05", "2024-02-29", "1900-01-01", "9999-12-31", "2026-02-30"],
        "timestamp": ["2026-01-05T09:00:00Z", "2026-03-29T01:30:00.125Z", "2026-10-25T01:59:59.9Z"],
        "money": ["12550 AUD", "0 JPY", "1000000000000000 KWD", "-1 USD"],
        "money_json": ['{"minor":12550,"currency":"AUD"}', '{"minor":0,"currency":"JPY"}'],
        "code": ["CMP-00001", "CMP-123456", "CMP-000042"],
        "span": ["30m", "48h", "10d", "3660d"],
        "minute": ["09:00", "24:00", "23:59"],
        "calendar": ['{"time_zone":"Europe/London","hours":{"mon":["09:00-12:30","13:30-17:00"],"sat":["00:00-24:00"]},'
                     '"holidays":["2026-12-25"]}',
                     '{"time_zone":"Australia/Lord_Howe","hours":{"sun":["01:00-03:00"]}}',
                     '{"time_zone":"America/Santiago","hours":{"sat":["23:00-24:00"],"sun":["00:00-01:00"]}}'],
        "schedule": ['{"reminder_schedule":{"days":["mon","thu"],"at":"08:00"}}',
                     '{"reminder_schedule":{"days":["sun"],"at":"02:30"}}'],
    }
    seeds = []
    for kind, texts in plain.items():
        seeds += [bytes([kinds[kind]]) + t.encode("utf-8") for t in texts]
    for text, doc in docs:
        if isinstance(doc, dict) and ("time_zone" in doc or "hours" in doc):
            seeds.append(bytes([kinds["calendar"]]) + text.encode("utf-8"))
        if isinstance(doc, dict) and "reminder_schedule" in doc:
            seeds.append(bytes([kinds["schedule"]]) + text.encode("utf-8"))
    return seeds


# --- dictionaries: the words libFuzzer splices into inputs ------------------------------------------

def words_of(doc, keys, values):
    if isinstance(doc, dict):
        for k, v in doc.items():
            keys.add(k)
            words_of(v, keys, values)
    elif isinstance(doc, list):
        for v in doc:
            words_of(v, keys, values)
    elif isinstance(doc, str) and 0 < len(doc) <= 40:
        values.add(doc)


def dict_line(word):
    escaped = "".join(c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else "\\x%02x" % b
                      for c in word for b in ([ord(c)] if ord(c) < 0x80 else list(c.encode("utf-8"))))
    return '"%s"' % escaped


def dictionaries(docs):
    keys, values = set(), set()
    for _, doc in docs:
        words_of(doc, keys, values)
    json_words = {json.dumps(k) + ":" for k in keys} | {json.dumps(v) for v in values}
    json_words |= {"true", "false", "null", "[]", "{}", "-1", "9223372036854775807", "1e400"}
    mustache = {"{{", "}}", "{{{", "}}}", "{{#", "{{^", "{{/", "{{>", "{{>*", "{{<", "{{$", "{{&", "{{!", "{{=",
                "=}}", "{", "}", "{#", "{/", "<%", "%>", "{%", "%}", "."}
    merge_tags = re.findall(r"\{\{[#^/&$<>]?\s*([a-z_][a-z0-9_.]*)", read("src/messages/builtin.cpp"))
    tags = mustache | set(merge_tags) | {"a", "list", "obj.nested.deep", "lambda", "section_lambda", "twice", "p",
                                         "layout", "brace", "self", "title", "body"}
    values_words = {"Z", "T", ":", "-", ".", "CMP-", "AUD", "JPY", "KWD", "XTS", "24:00", "00:00", "m", "h", "d",
                    "Europe/London", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu",
                    "mon", "tue", "wed", "thu", "fri", "sat", "sun"} | json_words
    return {"capi": json_words, "workflow": json_words, "template": tags, "values": values_words}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: fuzzers/seed.py OUT_DIR")
    out = pathlib.Path(sys.argv[1])
    docs = documents()
    targets = {"capi": capi_seeds(docs), "workflow": workflow_seeds(docs), "template": template_seeds(),
               "values": values_seeds(docs)}
    out.mkdir(parents=True, exist_ok=True)
    for target, words in dictionaries(docs).items():
        (out / f"{target}.dict").write_text("".join(dict_line(w) + "\n" for w in sorted(words)), encoding="utf-8")
    for target, seeds in targets.items():
        folder = out / target
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        for i, seed in enumerate(dict.fromkeys(seeds)):  # unique, in order
            (folder / f"seed-{i:04d}").write_bytes(seed)
        print(f"{target}: {len(set(seeds))} seeds in {folder}")


if __name__ == "__main__":
    main()
