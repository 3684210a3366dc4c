"""Finding and loading libcomplaints, and the ctypes prototype of every C function.

The library is loaded on first use, not at import, so ``import complaints``
works (and can report a clear error) on a machine without it. Search order:

1. the ``COMPLAINTS_LIBRARY`` environment variable: the full path of the
   shared library (nothing else is tried when it is set);
2. ``libcomplaints.so.0`` (``libcomplaints.0.dylib`` on macOS) by name, which
   the dynamic loader looks up the usual way: ``LD_LIBRARY_PATH``, ldconfig's
   cache, the system's library directories (where the Debian package puts it);
3. ``ctypes.util.find_library("complaints")``, for other names and systems;
4. ``pkg-config --variable=libdir complaints``, then ``libcomplaints.so`` (or
   ``.so.0``, ``.dylib``) in that directory.

(``ctypes.util.find_library`` alone would miss a library on
``LD_LIBRARY_PATH`` where neither ``ld`` nor ``gcc`` is installed.)

Thread-safety: loading is guarded by a lock; the loaded library is shared.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import subprocess
import sys
import threading
from ctypes import (CFUNCTYPE, POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint, c_void_p)

# The C header this module was written against (COMPLAINTS_C_VERSION_NUMBER).
HEADER_VERSION_NUMBER = 100
# The library's ABI version (COMPLAINTS_SOVERSION in CMakeLists.txt): the
# file name the dynamic loader is asked for.
SONAME = "libcomplaints.0.dylib" if sys.platform == "darwin" else "libcomplaints.so.0"

# ---- codes and enums of complaints.h (never renumbered) ----------------------------

OK = 0
ENOTFOUND = -1
EFORBIDDEN = -2
EINVALID = -3
ECONFLICT = -4
EWORKFLOW = -5
ESTORAGE = -6
ESTATE = -7
EINTERNAL = -8
ENOMEM = -9
EMISUSE = -10

ROLES = {
    "admin": 0,
    "supervisor": 1,
    "office": 2,
    "fieldworker": 3,
    "customer": 4,
    "system": 5,
}

PERMISSIONS = {
    "delete_issues": 1,
    "release_payment": 2,
    "edit_issues": 4,
    "manage_settings": 8,
}

EVENT_KINDS = (
    "issue_reported",
    "status_changed",
    "issue_edited",
    "issue_relinked",
    "settings_changed",
    "payment_withheld",
    "payment_released",
    "comment_added",
    "user_mentioned",
    "attachment_added",
    "issue_linked",
    "watchers_changed",
    "issue_deleted",
    "message_queued",
    "sla_warning",
    "sla_breached",
    "reminder_due",
    "task_created",
    "task_claimed",
    "task_released",
    "task_assigned",
    "task_completed",
    "task_cancelled",
)
EVENT_ANY = -1

# void (*complaints_event_fn)(void *user, int kind, const char *event_json)
EVENT_FN = CFUNCTYPE(None, c_void_p, c_int, c_char_p)

# int (*complaints_export_sink)(void *user, const char *chunk, size_t size): chunk is not NUL-terminated
EXPORT_SINK = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t)

# ---- prototypes ----------------------------------------------------------------------

_desk = c_void_p
_actor = c_void_p
_str = c_char_p
_out = POINTER(c_void_p)  # char ** (kept as void * so the pointer can go back to complaints_free)

PROTOTYPES = {
    # versions, errors, memory
    "complaints_version_number": (c_int, []),
    "complaints_version": (c_char_p, []),
    "complaints_strerror": (c_char_p, [c_int]),
    "complaints_free": (None, [c_void_p]),
    # actors
    "complaints_actor_new": (c_int, [POINTER(c_void_p), _str, c_int, c_uint, _out]),
    "complaints_actor_free": (None, [_actor]),
    # desks
    "complaints_desk_open_sqlite": (c_int, [POINTER(c_void_p), _str, _str, _out]),
    "complaints_desk_open_memory": (c_int, [POINTER(c_void_p), _str, _out]),
    "complaints_desk_open_postgres": (c_int, [POINTER(c_void_p), _str, _str, _out]),
    "complaints_desk_share": (c_int, [POINTER(c_void_p), _desk]),
    "complaints_desk_close": (None, [_desk]),
    "complaints_desk_set_clock": (c_int, [_desk, _str]),
    "complaints_desk_scrub": (c_int, [_desk, POINTER(c_int)]),
    "complaints_desk_errmsg": (c_char_p, [_desk]),
    "complaints_desk_errwhere": (c_char_p, [_desk]),
    # settings
    "complaints_workflow_validate": (c_int, [_out, _str, _out]),
    "complaints_workflow_diagram": (c_int, [_out, _str, _str, _out]),
    "complaints_workflow_install": (c_int, [_desk, _actor, _str]),
    "complaints_workflow_install_builtin": (c_int, [_desk, _actor, _str]),
    "complaints_workflow_get": (c_int, [_desk, _out, _actor, _str]),
    "complaints_workflow_draw": (c_int, [_desk, _out, _actor, _str, _str]),
    "complaints_workflow_list": (c_int, [_desk, _out, _actor]),
    "complaints_status_add": (c_int, [_desk, _actor, _str, _str]),
    "complaints_type_add": (c_int, [_desk, _actor, _str]),
    "complaints_type_list": (c_int, [_desk, _out, _actor]),
    "complaints_user_put": (c_int, [_desk, _actor, _str]),
    "complaints_user_get": (c_int, [_desk, _out, _actor, _str]),
    "complaints_user_set_settings": (c_int, [_desk, _actor, _str, _str]),
    # records
    "complaints_record_put": (c_int, [_desk, _actor, _str]),
    "complaints_record_get": (c_int, [_desk, _out, _actor, _str, _str]),
    "complaints_record_relink": (c_int, [_desk, _out, _actor, _str, _str, _str, _str]),
    # issues
    "complaints_issue_report": (c_int, [_desk, _out, _actor, _str]),
    "complaints_issue_act": (c_int, [_desk, _out, _actor, _str, _str]),
    "complaints_issue_edit": (c_int, [_desk, _out, _actor, _str, _str]),
    "complaints_issue_get": (c_int, [_desk, _out, _actor, _str]),
    "complaints_issue_list": (c_int, [_desk, _out, _actor, _str]),
    "complaints_search": (c_int, [_desk, _out, _actor, _str]),
    "complaints_dashboard": (c_int, [_desk, _out, _actor, _str]),
    "complaints_issue_search": (c_int, [_desk, _out, _actor, _str, c_int]),
    "complaints_issue_actions": (c_int, [_desk, _out, _actor, _str]),
    "complaints_issue_timeline": (c_int, [_desk, _out, _actor, _str]),
    "complaints_issue_verify": (c_int, [_desk, _out, _actor, _str]),
    "complaints_issue_delete": (c_int, [_desk, _out, _actor, _str]),
    # discussion, watchers, links
    "complaints_comment_add": (c_int, [_desk, _out, _actor, _str, _str]),
    "complaints_comment_list": (c_int, [_desk, _out, _actor, _str]),
    "complaints_attachment_add": (c_int, [_desk, _out, _actor, _str, _str]),
    "complaints_attachment_list": (c_int, [_desk, _out, _actor, _str]),
    "complaints_attachment_bytes": (c_int, [_desk, _out, POINTER(c_size_t), _actor, c_int64]),
    "complaints_watcher_set": (c_int, [_desk, _out, _actor, _str, _str, c_int]),
    "complaints_link_set": (c_int, [_desk, _actor, _str, _str, _str, c_int]),
    "complaints_link_list": (c_int, [_desk, _out, _actor, _str]),
    # payment holds
    "complaints_hold_may_pay": (c_int, [_desk, _out, _actor, _str, _str, _str]),
    "complaints_hold_may_pay_many": (c_int, [_desk, _out, _actor, _str]),
    "complaints_hold_withhold": (c_int, [_desk, _out, _actor, _str]),
    "complaints_hold_release": (c_int, [_desk, _out, _actor, _str]),
    "complaints_hold_list": (c_int, [_desk, _out, _actor, _str]),
    "complaints_hold_stalled": (c_int, [_desk, _out, _actor, c_int]),
    "complaints_hold_report": (c_int, [_desk, _out, _actor, _str, _str]),
    # customer messages
    "complaints_template_save": (c_int, [_desk, _actor, _str]),
    "complaints_template_reset": (c_int, [_desk, _actor, _str]),
    "complaints_template_get": (c_int, [_desk, _out, _actor, _str]),
    "complaints_template_list": (c_int, [_desk, _out, _actor]),
    "complaints_message_settings_set": (c_int, [_desk, _actor, _str]),
    "complaints_message_settings_get": (c_int, [_desk, _out, _actor]),
    "complaints_message_render": (c_int, [_desk, _out, _actor, _str, _str, _str, c_int]),
    "complaints_message_reminder": (c_int, [_desk, _out, _actor, _str, c_int]),
    # time
    "complaints_due_process": (c_int, [_desk, _out, _actor, c_int]),
    "complaints_due_next": (c_int, [_desk, _out, _actor]),
    "complaints_calendar_set": (c_int, [_desk, _actor, _str]),
    "complaints_calendar_get": (c_int, [_desk, _out, _actor]),
    "complaints_issue_slas": (c_int, [_desk, _out, _actor, _str]),
    "complaints_issue_to_follow_count": (c_int, [_desk, POINTER(c_int64), _actor, _str]),
    # groups and tasks
    "complaints_group_put": (c_int, [_desk, _actor, _str]),
    "complaints_group_list": (c_int, [_desk, _out, _actor]),
    "complaints_task_create": (c_int, [_desk, _out, _actor, _str, _str]),
    "complaints_task_claim": (c_int, [_desk, _out, _actor, c_int64]),
    "complaints_task_release": (c_int, [_desk, _out, _actor, c_int64]),
    "complaints_task_assign": (c_int, [_desk, _out, _actor, c_int64, _str, _str]),
    "complaints_task_complete": (c_int, [_desk, _out, _actor, c_int64, _str]),
    "complaints_task_cancel": (c_int, [_desk, _out, _actor, c_int64, _str]),
    "complaints_task_get": (c_int, [_desk, _out, _actor, c_int64]),
    "complaints_task_list": (c_int, [_desk, _out, _actor, _str]),
    "complaints_task_claimable": (c_int, [_desk, _out, _actor, c_int, c_int64]),
    "complaints_task_mine": (c_int, [_desk, _out, _actor, c_int, c_int64]),
    "complaints_task_case": (c_int, [_desk, _out, _actor, c_int64]),
    "complaints_task_attachment": (c_int, [_desk, _out, POINTER(c_size_t), _actor, c_int64, c_int64]),
    # outbox
    "complaints_outbox_pending": (c_int, [_desk, _out, _actor, c_int, c_int64]),
    "complaints_outbox_ack": (c_int, [_desk, POINTER(c_size_t), _actor, POINTER(c_int64), c_size_t]),
    # the register export
    "complaints_export_file": (c_int, [_desk, _out, _actor, _str, _str]),
    "complaints_export_callback": (c_int, [_desk, _out, _actor, _str, EXPORT_SINK, c_void_p]),
    # events
    "complaints_desk_on": (c_int, [_desk, POINTER(c_int64), c_int, EVENT_FN, c_void_p]),
    "complaints_desk_off": (c_int, [_desk, c_int64]),
}


class LibraryNotFoundError(OSError):
    """libcomplaints could not be found or loaded, or is of an incompatible version."""


_lock = threading.Lock()
_lib = None


def _candidates():
    """Yields (how, path-or-name) in search order."""
    env = os.environ.get("COMPLAINTS_LIBRARY")
    if env:
        yield "COMPLAINTS_LIBRARY", env
        return  # an explicit path is not second-guessed
    yield "the dynamic loader", SONAME
    found = ctypes.util.find_library("complaints")
    if found and found != SONAME:
        yield "ctypes.util.find_library", found
    try:
        proc = subprocess.run(["pkg-config", "--variable=libdir", "complaints"],
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return
    libdir = proc.stdout.strip() if proc.returncode == 0 else ""
    if libdir:
        names = ("libcomplaints.dylib",) if sys.platform == "darwin" else ("libcomplaints.so", "libcomplaints.so.0")
        for name in names:
            path = os.path.join(libdir, name)
            if os.path.exists(path):
                yield "pkg-config", path


def _declare(lib):
    for name, (restype, argtypes) in PROTOTYPES.items():
        fn = getattr(lib, name)  # AttributeError: the library lacks a function of the header
        fn.restype = restype
        fn.argtypes = argtypes


def load():
    """Returns the loaded library with every prototype declared. Raises LibraryNotFoundError."""
    global _lib
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is not None:
            return _lib
        tried = []
        for how, path in _candidates():
            try:
                lib = ctypes.CDLL(path)
            except OSError as exc:
                tried.append(f"{how}: {path}: {exc}")
                continue
            try:
                _declare(lib)
            except AttributeError as exc:
                raise LibraryNotFoundError(f"{path} ({how}) is not a complete libcomplaints C API: {exc}") from None
            linked = lib.complaints_version_number()
            if linked // 10000 != HEADER_VERSION_NUMBER // 10000 or linked < HEADER_VERSION_NUMBER:
                raise LibraryNotFoundError(
                    f"{path} is libcomplaints {lib.complaints_version().decode()}; "
                    f"these bindings need {HEADER_VERSION_NUMBER // 10000}.{HEADER_VERSION_NUMBER // 100 % 100}"
                    " or a later compatible version")
            _lib = lib
            return lib
        detail = "; ".join(tried) if tried else "nothing found"
        raise LibraryNotFoundError(
            "libcomplaints not found (" + detail + "). Set COMPLAINTS_LIBRARY to the full path of "
            "libcomplaints.so, or install it where the dynamic loader (LD_LIBRARY_PATH, the system's "
            "library directories) or pkg-config finds it.")


def take_text(lib, ptr) -> "str | None":
    """The text at a char * the library returned (a c_void_p), freed; None for NULL."""
    if not ptr.value:
        return None
    try:
        return ctypes.string_at(ptr.value).decode("utf-8", "replace")
    finally:
        lib.complaints_free(ptr)
