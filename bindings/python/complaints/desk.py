"""Desk: one complaints desk over one store, wrapping every desk function of complaints.h.

Conventions of every method:

- ``actor`` is an :class:`~complaints.Actor`; the library checks what it may do.
- Structured input is a dict (or, where it says so, JSON text), optionally
  with keyword arguments merged over it. ``datetime`` values become RFC 3339
  UTC instants and ``date`` values ``YYYY-MM-DD``. The schemas are those of
  ``docs/c-api.md``.
- Results are fresh Python values (dicts, lists, str, bytes) parsed from the
  JSON the library returns; the C strings are freed before the method returns.
- Failures raise a :class:`~complaints.ComplaintsError` subclass whose
  ``message`` and ``where`` are read, right after the failing call, from the C
  handle that made it.
- Thread-safety: a Desk may be used from several threads at once (the library
  serializes calls inside). The library keeps the last error per C handle, so
  each Python thread calls through its own handle on the same store
  (``complaints_desk_share``), made on its first call and closed when the
  thread ends or the Desk is closed: an exception always carries the message
  of its own call. ``close()`` must not race with calls on other threads.
"""

from __future__ import annotations

import builtins
import ctypes
import datetime as _dt
import json
import logging
import os
import threading
import weakref
from ctypes import byref, c_int64, c_size_t, c_void_p
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from . import _native as N
from ._convert import (_C_INT_MAX, JSONInput, _actor, _days, _dumps, _enc, _id64, _limit, _merge,
                       format_instant)
from .actor import Actor
from .errors import MisuseError, call_handleless, error_for
from .export import ExportCalls
from .tasks import TaskCalls

_log = logging.getLogger("complaints")

RecordRef = Union[Mapping[str, Any], Sequence[str]]


# ---- conversions ---------------------------------------------------------------------------


def record_ref(value: RecordRef) -> dict:
    """{"kind","id"} from a ("booking", "BK-1") pair or a dict."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (tuple, builtins.list)) and len(value) == 2:
        return {"kind": value[0], "id": value[1]}
    raise TypeError("a record is a (kind, id) pair or a {'kind', 'id'} dict")


def _with_record(d: Any) -> Any:
    if isinstance(d, dict) and "record" in d and not isinstance(d["record"], (Mapping, type(None))):
        d["record"] = record_ref(d["record"])
    return d


def _attachment_request(d: Any) -> Any:
    """Moves raw bytes under "bytes" (or "data") to "bytes_base64": the encoder writes
    bytes as base64, and the library takes the size from the bytes."""
    if not isinstance(d, dict):
        return d
    for key in ("data", "bytes"):
        if isinstance(d.get(key), (bytes, bytearray, memoryview)):
            d["bytes_base64"] = d.pop(key)
    return d


def _event_kind(kind: Union[str, int, None]) -> int:
    if kind is None or kind == "any":
        return N.EVENT_ANY
    if isinstance(kind, int):  # past a C int: no kind (never wrapped onto another, or onto "any")
        return kind if -_C_INT_MAX - 1 <= kind <= _C_INT_MAX else -_C_INT_MAX - 1
    try:
        return N.EVENT_KINDS.index(kind)
    except ValueError:
        raise ValueError(f"unknown event kind {kind!r}; expected 'any' or one of {', '.join(N.EVENT_KINDS)}") from None


def _take_json(lib, ptr: c_void_p) -> Any:
    text = N.take_text(lib, ptr)
    return None if text is None else json.loads(text)


def _open_options(options: Mapping[str, Any]) -> Optional[bytes]:
    opts = {k: v for k, v in options.items() if v is not None}
    if "clock" in opts:
        opts["clock"] = format_instant(opts["clock"])
    return _dumps(opts) if opts else None


def validate_workflow(workflow: JSONInput) -> list:
    """Validates a workflow document (dict or JSON text) without installing it.

    Returns its problems, ``[{"path", "message"}]``, empty when valid (malformed
    JSON is one problem at "$"). Raises a ComplaintsError, with the library's
    message, only when the library cannot answer. Thread-safe.
    """
    lib = N.load()
    out = c_void_p()
    call_handleless(lib, lib.complaints_workflow_validate, byref(out), _dumps(workflow),
                    cleanup=lambda: lib.complaints_free(out))
    return _take_json(lib, out)


def workflow_diagram(workflow: JSONInput, format: str = "dot") -> str:
    """Draws a workflow document (dict or JSON text) as Graphviz DOT (``format="dot"``;
    ``dot -Tsvg`` makes an SVG of it) or as a Mermaid flowchart (``format="mermaid"``).

    Statuses are filled with their colour and grouped by stage, actions are edges
    labelled with their name and the roles allowed, timers and automatic rules are
    drawn apart (docs/workflows.md, "Diagrams"). The same document gives the same
    text. Raises InvalidWorkflow (``where``: the first problem's JSON path) for an
    invalid document, InvalidInput at "format" for another format. Thread-safe.
    """
    lib = N.load()
    out = c_void_p()
    call_handleless(lib, lib.complaints_workflow_diagram, byref(out), _dumps(workflow), _enc(format),
                    cleanup=lambda: lib.complaints_free(out))
    return N.take_text(lib, out)


# ---- C handles: one per thread ----------------------------------------------------------------


def _text(value: Optional[bytes]) -> str:
    return (value or b"").decode("utf-8", "replace")


class _Handles:
    """The C handles of one Desk: the handle it was opened with, kept only to
    share from, and the handles shared from it, one per thread.

    The library keeps a call's error message on the handle that made it, so
    threads calling at once must not use the same handle. The lock serializes
    the calls on the root (complaints_desk_share records, and on success clears,
    the message of the handle it is given) and the bookkeeping. Holds no
    reference to the Desk or to the threads' slots (no cycles).
    """

    __slots__ = ("lock", "idle", "busy", "root", "shared", "close_fn", "share_fn", "errmsg_fn", "errwhere_fn")

    def __init__(self, lib, root: c_void_p):
        self.lock = threading.RLock()  # reentrant: a slot's finalizer may run inside a locked section
        self.idle = threading.Condition(self.lock)  # notified when the last running call ends
        self.busy = 0  # calls running on the desk's handles, on every thread
        self.root: Optional[c_void_p] = root
        self.shared: dict = {}  # address -> c_void_p, the open handles of threads
        # Kept so closing works during interpreter shutdown.
        self.close_fn = lib.complaints_desk_close
        self.share_fn = lib.complaints_desk_share
        self.errmsg_fn = lib.complaints_desk_errmsg
        self.errwhere_fn = lib.complaints_desk_errwhere

    def share(self) -> c_void_p:
        """A new handle on the store, registered for close_all. MisuseError once closed."""
        with self.lock:
            if self.root is None:
                raise MisuseError(N.EMISUSE, "the desk is closed")
            handle = c_void_p()
            rc = self.share_fn(byref(handle), self.root)
            if rc != N.OK:
                raise self.error(rc, self.root)
            self.shared[handle.value] = handle
            return handle

    def error(self, rc: int, handle: c_void_p) -> Exception:
        """The error of the call that just failed through ``handle`` (read on the same
        thread, before the handle makes another call)."""
        return error_for(rc, _text(self.errmsg_fn(handle)), _text(self.errwhere_fn(handle)))

    def enter(self) -> None:
        """Counts a call in; MisuseError once the desk is closed or closing."""
        with self.lock:
            if self.root is None:
                raise MisuseError(N.EMISUSE, "the desk is closed")
            self.busy += 1

    def leave(self) -> None:
        with self.lock:
            self.busy -= 1
            if self.busy == 0:
                self.idle.notify_all()

    def release(self, handle: c_void_p) -> None:
        """Closes a thread's handle (the thread has ended), unless close_all did already."""
        with self.lock:
            if self.shared.pop(handle.value, None) is None:
                return
            self.close_fn(handle)

    def close_all(self) -> None:
        """Closes every handle, the root last, once the calls running on them
        have ended (no new call starts meanwhile); idempotent."""
        with self.lock:
            root, self.root = self.root, None
            self.idle.wait_for(lambda: self.busy == 0)
            handles = builtins.list(self.shared.values())
            self.shared.clear()
            for handle in handles:
                self.close_fn(handle)
            if root is not None:
                self.close_fn(root)

    def count(self) -> int:
        """How many handles are open (the root included)."""
        with self.lock:
            return len(self.shared) + (self.root is not None)


class _ThreadHandle:
    """A thread's handle, in the Desk's threading.local: closed when the thread ends."""

    __slots__ = ("handles", "handle")

    def __init__(self, handles: _Handles, handle: c_void_p):
        self.handles = handles
        self.handle = handle

    def __del__(self):
        try:
            self.handles.release(self.handle)
        except Exception:  # interpreter shutdown; never raise from a finalizer
            pass


# The event callbacks the current thread is inside: .desks, the id() of each one's Desk.
_delivering = threading.local()


def _delivering_desks() -> builtins.list:
    desks = getattr(_delivering, "desks", None)
    if desks is None:
        desks = _delivering.desks = []
    return desks


def _in_callback() -> bool:
    return bool(getattr(_delivering, "desks", None))


# ---- the desk --------------------------------------------------------------------------------


class Desk(TaskCalls, ExportCalls):
    """A complaints desk over a SQLite file, a PostgreSQL database or an in-memory store.

    Open one with :meth:`open_sqlite`, :meth:`open_postgres` or :meth:`open_memory`; close it with
    :meth:`close` or ``with``. Owns its C handles and the event callbacks
    registered through it. Thread-safety: methods may be called from several
    threads at once (the library serializes them); each thread calls through
    its own C handle on the same store, so an exception always carries its own
    call's message. close() waits for calls running on other threads to end,
    then closes every handle; calls after it raise MisuseError.

    Who may call each method: docs/permissions.md (Forbidden otherwise). Size
    limits, page sizes and defaults: docs/c-api.md, "Limits and defaults".
    """

    def __init__(self, _handle: c_void_p, _lib):
        # Not public: use open_sqlite / open_postgres / open_memory.
        self._lib = _lib
        self._handles = _Handles(_lib, _handle)
        self._local = threading.local()  # .slot: this thread's _ThreadHandle
        self._callbacks: dict[int, Any] = {}
        self._retired: builtins.list = []  # trampolines removed from inside a callback (see off)
        self._callbacks_lock = threading.Lock()
        self._errors_lock = threading.Lock()
        #: Called as ``handler(exc, kind, event)`` when an event callback raises;
        #: the default logs the exception on the "complaints" logger.
        self.on_callback_error: Optional[Callable[[BaseException, str, Any], None]] = None
        #: How many exceptions event callbacks have raised (and were swallowed).
        self.callback_errors = 0

    # -- opening and closing --------------------------------------------------------------

    @classmethod
    def open_sqlite(cls, path: str, *, sync: Optional[str] = None, busy_timeout_ms: Optional[int] = None,
                    cache_kib: Optional[int] = None, clock: Union[str, _dt.datetime, None] = None,
                    read_only: Optional[bool] = None, immutable: Optional[bool] = None,
                    read_connections: Optional[int] = None) -> "Desk":
        """Opens a desk over a SQLite file, created if missing and migrated forward.

        ``sync`` "full" (default) or "normal"; ``clock`` an instant at which
        the desk's time stands still (see set_clock). ``read_only=True`` opens
        an existing, current store for reading only (a backup, a replica):
        reads work, every changing method raises StorageError with ``where``
        "read_only", and the file is never written. ``immutable=True`` is
        read-only for a copy nobody changes, read without locks and without
        its -wal/-shm files (see docs/c-api.md). ``read_connections`` (default
        4, 0 to 64) extra connections let reads on several threads run side by
        side and never wait for this desk's writes. Raises StorageError,
        InvalidInput... with the library's message. The caller owns the desk.
        """
        lib = N.load()
        return cls._open(lib, lib.complaints_desk_open_sqlite, os.fsencode(path),
                         _open_options(dict(sync=sync, busy_timeout_ms=busy_timeout_ms, cache_kib=cache_kib,
                                            clock=clock, read_only=read_only, immutable=immutable,
                                            read_connections=read_connections)))

    @classmethod
    def open_postgres(cls, conninfo: str, *, schema: Optional[str] = None, create_schema: Optional[bool] = None,
                      statement_timeout_ms: Optional[int] = None, lock_timeout_ms: Optional[int] = None,
                      connect_timeout_s: Optional[int] = None, clock: Union[str, _dt.datetime, None] = None,
                      read_connections: Optional[int] = None) -> "Desk":
        """Opens a desk over a PostgreSQL database (docs/postgresql.md).

        ``conninfo`` is libpq's connection string ("host=/run/postgresql
        dbname=app user=app" or a "postgresql://" URI). The desk's tables live
        in ``schema`` (default "complaints"; one per tenant keeps tenants
        apart), created when missing unless ``create_schema=False``, and
        migrated forward. ``statement_timeout_ms`` (default 30000),
        ``lock_timeout_ms`` (default 10000; 0: no limit), ``connect_timeout_s``
        (default 10), ``clock`` and ``read_connections`` (default 4, 0 to 64)
        as in complaints_desk_open_postgres (capi/complaints.h). Raises
        StorageError when the server cannot be reached, InvalidInput for a bad
        option (``where`` "options.<name>"). The caller owns the desk.
        """
        lib = N.load()
        return cls._open(lib, lib.complaints_desk_open_postgres, conninfo.encode(),
                         _open_options(dict(schema=schema, create_schema=create_schema,
                                            statement_timeout_ms=statement_timeout_ms,
                                            lock_timeout_ms=lock_timeout_ms, connect_timeout_s=connect_timeout_s,
                                            clock=clock, read_connections=read_connections)))

    @classmethod
    def open_memory(cls, *, clock: Union[str, _dt.datetime, None] = None) -> "Desk":
        """Opens a desk over a new in-memory store (for tests); ``clock`` as in open_sqlite."""
        lib = N.load()
        return cls._open(lib, lib.complaints_desk_open_memory, _open_options(dict(clock=clock)))

    @classmethod
    def _open(cls, lib, fn, *args) -> "Desk":
        handle = c_void_p()
        # On failure *out is NULL by contract; closing it is harmless either way.
        call_handleless(lib, fn, byref(handle), *args, cleanup=lambda: lib.complaints_desk_close(handle))
        return cls(handle, lib)

    def close(self) -> None:
        """Closes the desk (every thread's handle) and drops its callbacks; idempotent.

        Waits for calls running on other threads to end (a call they make meanwhile,
        from an event callback, raises MisuseError). An event callback of this desk
        may not close it: MisuseError.
        """
        handles = self.__dict__.get("_handles")
        if handles is None:  # __init__ did not finish
            return
        if handles.root is not None and id(self) in getattr(_delivering, "desks", ()):
            # The call that delivers the event is still running on one of the desk's handles.
            raise MisuseError(N.EMISUSE, "a desk cannot be closed from inside one of its event callbacks")
        handles.close_all()
        self._local = threading.local()  # drops the threads' (closed) handles
        with self._callbacks_lock:
            self._callbacks = {}
            self._retired = []

    @property
    def closed(self) -> bool:
        return self._handles.root is None

    def __enter__(self) -> "Desk":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def set_clock(self, instant: Union[str, _dt.datetime]) -> None:
        """Moves a desk opened with a ``clock`` option to another instant. MisuseError otherwise."""
        self._call(self._lib.complaints_desk_set_clock, _enc(format_instant(instant)))

    # -- plumbing -------------------------------------------------------------------------------

    def _h(self) -> c_void_p:
        """The calling thread's C handle, shared from the desk's on its first call."""
        handles = self._handles
        if handles.root is None:
            raise MisuseError(N.EMISUSE, "the desk is closed")
        slot = getattr(self._local, "slot", None)
        if slot is None:
            slot = _ThreadHandle(handles, handles.share())
            self._local.slot = slot
        return slot.handle

    def _call(self, fn, *args, cleanup: Optional[Callable[[], None]] = None) -> None:
        """Calls fn(handle, *args) through this thread's handle, counted in so that
        close() waits for it. On failure runs ``cleanup`` (to free outputs) and
        raises the error, read off the same handle before the call is counted out:
        the library keeps the last failure per handle."""
        handles = self._handles
        handles.enter()
        try:
            h = self._h()
            rc = fn(h, *args)
            if rc != N.OK:
                err = handles.error(rc, h)
                if cleanup is not None:
                    cleanup()
                raise err
        finally:
            handles.leave()

    def _get(self, fn, actor: Actor, *args) -> Any:
        """Calls fn(desk, &out, actor, *args) and returns the parsed JSON of out."""
        a = _actor(actor)
        out = c_void_p()
        self._call(fn, byref(out), a, *args, cleanup=lambda: self._lib.complaints_free(out))
        return _take_json(self._lib, out)

    def _do(self, fn, actor: Actor, *args) -> None:
        """Calls fn(desk, actor, *args), which has no output."""
        self._call(fn, _actor(actor), *args)

    # -- settings: workflows, statuses, issue types, users ------------------------------------

    validate_workflow = staticmethod(validate_workflow)
    workflow_diagram = staticmethod(workflow_diagram)

    def install_workflow(self, actor: Actor, workflow: JSONInput) -> None:
        """Installs or replaces a workflow (dict or JSON text). Needs manage_settings.

        Raises InvalidWorkflow (``where``: the JSON path of the first problem),
        InvalidState if a replaced workflow drops a status in use, Forbidden.
        """
        self._do(self._lib.complaints_workflow_install, actor, _dumps(workflow))

    def install_builtin_workflow(self, actor: Actor, name: str) -> None:
        """Installs "field-service", "staged-escalation" or "customer-confirmation". Needs manage_settings."""
        self._do(self._lib.complaints_workflow_install_builtin, actor, _enc(name))

    def workflow(self, actor: Actor, name: str) -> dict:
        """The workflow document. NotFound for an unknown name."""
        return self._get(self._lib.complaints_workflow_get, actor, _enc(name))

    def draw_workflow(self, actor: Actor, name: str, format: str = "dot") -> str:
        """The installed workflow drawn as workflow_diagram draws a document ("dot" or "mermaid"),
        as this database validated it (its saved templates count). NotFound for an unknown name."""
        a = _actor(actor)
        out = c_void_p()
        self._call(self._lib.complaints_workflow_draw, byref(out), a, _enc(name), _enc(format),
                   cleanup=lambda: self._lib.complaints_free(out))
        return N.take_text(self._lib, out)

    def workflows(self, actor: Actor) -> list:
        """The installed workflows' names."""
        return self._get(self._lib.complaints_workflow_list, actor)

    def add_status(self, actor: Actor, workflow: str, status: JSONInput = None, **fields) -> None:
        """Adds a custom status {"name", "colour", "category"} to a live workflow. Needs manage_settings.

        InvalidInput for a bad name or colour, InvalidWorkflow if the result does not validate.
        """
        self._do(self._lib.complaints_status_add, actor, _enc(workflow), _dumps(_merge(status, fields)))

    def add_issue_type(self, actor: Actor, issue_type: JSONInput = None, **fields) -> None:
        """Adds an issue type {"name", "colour"} (or recolours one). Needs manage_settings."""
        self._do(self._lib.complaints_type_add, actor, _dumps(_merge(issue_type, fields)))

    def issue_types(self, actor: Actor) -> list:
        """The configured issue types, [{"name", "colour"}]."""
        return self._get(self._lib.complaints_type_list, actor)

    def put_user(self, actor: Actor, user: JSONInput = None, **fields) -> None:
        """Registers or updates a user {"id", "role", "name", "settings"}. Staff only; a new admin, or
        writing over a registered user, needs manage_settings (docs/permissions.md)."""
        self._do(self._lib.complaints_user_put, actor, _dumps(_merge(user, fields)))

    def user(self, actor: Actor, id: str) -> dict:
        """A registered user: staff see anyone, others only themselves (else NotFound)."""
        return self._get(self._lib.complaints_user_get, actor, _enc(id))

    def set_notification_settings(self, actor: Actor, user_id: str, settings: JSONInput = None, **fields) -> None:
        """Sets a user's {"scope", "push", "sms", "email"}: a user their own, staff with manage_settings anyone's."""
        self._do(self._lib.complaints_user_set_settings, actor, _enc(user_id), _dumps(_merge(settings, fields)))

    # -- records -----------------------------------------------------------------------------

    def put_record(self, actor: Actor, record: JSONInput = None, **fields) -> None:
        """Registers or updates a record {"kind", "id", "customer_id", "fieldworkers", "visibility",
        "paid_out", "invoice_id"}. Staff only."""
        self._do(self._lib.complaints_record_put, actor, _dumps(_merge(record, fields)))

    def record(self, actor: Actor, kind: str, id: str) -> dict:
        """The record, if the actor may see it (else NotFound)."""
        return self._get(self._lib.complaints_record_get, actor, _enc(kind), _enc(id))

    def relink(self, actor: Actor, from_kind: str, from_id: str, to_kind: str, to_id: str) -> list:
        """Moves every issue of one record to another (registered) record; returns the moved issues. Staff only."""
        return self._get(self._lib.complaints_record_relink, actor, _enc(from_kind), _enc(from_id),
                         _enc(to_kind), _enc(to_id))

    # -- issues -------------------------------------------------------------------------------

    def report(self, actor: Actor, request: JSONInput = None, **fields) -> dict:
        """Reports an issue and returns it, e.g. ``report(office, record=("booking", "BK-1"),
        type="Damage Caused", description="...")``; ``record`` may be a (kind, id) pair.

        InvalidInput names the field; NotFound for an unknown record; Forbidden.
        """
        return self._get(self._lib.complaints_issue_report, actor,
                         _dumps(_with_record(_merge(request, fields))))

    def act(self, actor: Actor, code: str, action: Union[str, Mapping[str, Any]],
            inputs: Optional[Mapping[str, Any]] = None, *, expected_version: Optional[int] = None) -> dict:
        """Takes a workflow action and returns the issue: ``act(tech, code, "resolve", {"note": "..."},
        expected_version=3)``; ``action`` may also be the whole request dict.

        Forbidden (role), InvalidState (not from this status), Conflict (stale expected_version),
        InvalidInput (``where``: "inputs.date"...), NotFound.
        """
        if isinstance(action, Mapping):
            request = dict(action)
        else:
            request = {"action": action}
        if inputs is not None:
            request["inputs"] = dict(inputs)
        if expected_version is not None:
            request["expected_version"] = expected_version
        return self._get(self._lib.complaints_issue_act, actor, _enc(code), _dumps(request))

    def edit(self, actor: Actor, code: str, edit: JSONInput = None, **fields) -> dict:
        """Edits {"type", "description", "to_follow", "deferred_date", "follow_up_date",
        "expected_version"} (a date None clears it) and returns the issue. Needs edit_issues."""
        return self._get(self._lib.complaints_issue_edit, actor, _enc(code), _dumps(_merge(edit, fields)))

    def get(self, actor: Actor, code: str) -> dict:
        """The issue with this code, if the actor may see it (else NotFound)."""
        return self._get(self._lib.complaints_issue_get, actor, _enc(code))

    def list(self, actor: Actor, filter: JSONInput = None, **fields) -> list:
        """The issues matching a filter that the actor may see, by number: at most ``limit`` (default 100, up
        to 10,000); the next page is the same filter with ``after_number`` set to the last issue's number."""
        merged = _merge(filter, fields)
        return self._get(self._lib.complaints_issue_list, actor, _dumps(_with_record(merged)))

    def search(self, actor: Actor, text: str, limit: int = 100) -> list:
        """The issues of :meth:`search_hits` for the query ``text``, most relevant first: at most ``limit``
        (1 to 10,000), without scores or snippets."""
        return self._get(self._lib.complaints_issue_search, actor, _enc(text), _limit(limit))

    def search_hits(self, actor: Actor, query: str, limit: int = 50, offset: int = 0, snippet_words: int = 16,
                    mark_open: str = "[", mark_close: str = "]") -> list:
        """Full-text search (docs/reporting.md, "Search") over the issues the actor may see: a list of
        ``{"issue", "score", "snippet"}``, most relevant first, then by number. ``query`` is 1 to 200 bytes of
        words, ``"phrases"``, ``prefix*``, AND, OR, NOT and parentheses (at most 16 words and phrases);
        ``limit`` 1 to 10,000 hits after skipping ``offset`` (0 to 10,000); a snippet has ``snippet_words``
        (1 to 64) words with each match between ``mark_open`` and ``mark_close`` (at most 16 bytes each).
        A query that does not parse raises InvalidInput whose ``where`` is "query, byte N"."""
        options = {"query": query, "limit": limit, "offset": offset, "snippet_words": snippet_words,
                   "mark_open": mark_open, "mark_close": mark_close}
        return self._get(self._lib.complaints_search, actor, _dumps(options))

    def actions(self, actor: Actor, code: str) -> list:
        """The names of the actions the actor could take on the issue now."""
        return self._get(self._lib.complaints_issue_actions, actor, _enc(code))

    def timeline(self, actor: Actor, code: str) -> list:
        """The issue's timeline entries the actor may see, oldest first."""
        return self._get(self._lib.complaints_issue_timeline, actor, _enc(code))

    def verify(self, actor: Actor, code: str) -> dict:
        """Recomputes the issue's hash chain: {"ok", "entries", "broken_seq", "reason"}. Staff only."""
        return self._get(self._lib.complaints_issue_verify, actor, _enc(code))

    def delete_forever(self, actor: Actor, code: str) -> dict:
        """Erases an issue for good and returns what was erased. An admin with delete_issues.
        ``files_scrubbed`` False: another connection's read delayed the scrub of the files (see scrub)."""
        return self._get(self._lib.complaints_issue_delete, actor, _enc(code))

    def scrub(self) -> bool:
        """Makes text erased by delete_forever (by any process) unrecoverable from the store's
        files now, waiting up to the busy timeout for other connections' reads. False when one
        still prevented it: the scrub stays owed, and the next write, open or close of the store
        by any connection finishes it. True for an in-memory desk. StorageError on a read-only desk."""
        done = ctypes.c_int()
        self._call(self._lib.complaints_desk_scrub, byref(done))
        return bool(done.value)

    # -- discussion, watchers, links ----------------------------------------------------------

    def add_comment(self, actor: Actor, code: str, comment: Union[str, Mapping[str, Any], None] = None,
                    **fields) -> dict:
        """Adds a comment and returns it: ``add_comment(office, code, "text", internal=False)`` (a str is
        the body), or a dict {"body", "internal", "reply_to", "attachments"}; attachments may carry raw
        ``data``/``bytes`` (sent base64-encoded). A comment is internal unless ``internal=False``. An
        attachment without "internal" follows its comment; True keeps it internal on a public comment;
        False on an internal comment is refused. InvalidInput names the field ("body", "reply_to",
        "attachments[0].internal")."""
        if isinstance(comment, str):
            comment = {"body": comment}
        request = _merge(comment, fields)
        if isinstance(request, dict) and request.get("attachments"):
            request["attachments"] = [_attachment_request(dict(a)) for a in request["attachments"]]
        return self._get(self._lib.complaints_comment_add, actor, _enc(code), _dumps(request))

    def thread(self, actor: Actor, code: str) -> list:
        """The issue's comments the actor may see, in order (customers: public only)."""
        return self._get(self._lib.complaints_comment_list, actor, _enc(code))

    def attach(self, actor: Actor, code: str, attachment: JSONInput = None, *,
               data: Union[bytes, bytearray, memoryview, None] = None, **fields) -> dict:
        """Attaches a file to the issue and returns its metadata: ``attach(office, code, name="a.jpg",
        media_type="image/jpeg", data=b"...")`` (the library keeps the bytes, up to 10 MiB) or with
        ``storage_key``, ``size`` and ``sha256`` (the host keeps the file). Internal unless
        ``internal=False``; a customer's file is public (a customer's ``internal=True`` is InvalidInput)."""
        request = _merge(attachment, fields)
        if data is not None:
            request = dict(request) if isinstance(request, Mapping) else json.loads(request)
            request["data"] = data
        return self._get(self._lib.complaints_attachment_add, actor, _enc(code), _dumps(_attachment_request(request)))

    def attachments(self, actor: Actor, code: str) -> list:
        """The issue's attachments (metadata, no bytes) the actor may see."""
        return self._get(self._lib.complaints_attachment_list, actor, _enc(code))

    def attachment_bytes(self, actor: Actor, id: int) -> bytes:
        """The bytes of an attachment the library keeps. NotFound if the actor may not see it."""
        return self._bytes(self._lib.complaints_attachment_bytes, actor, _id64(id))

    def _bytes(self, fn, actor: Actor, *args) -> bytes:
        """Calls a C function that gives bytes (out, len, actor, args...) and returns them."""
        a = _actor(actor)
        out = c_void_p()
        size = c_size_t()
        self._call(fn, byref(out), byref(size), a, *args, cleanup=lambda: self._lib.complaints_free(out))
        try:
            return ctypes.string_at(out.value, size.value) if out.value and size.value else b""
        finally:
            self._lib.complaints_free(out)

    def watch(self, actor: Actor, code: str, user_id: str) -> list:
        """Makes a registered user watch the issue; returns the watchers. Staff anyone, fieldworkers
        themselves, customers nobody (Forbidden)."""
        return self._get(self._lib.complaints_watcher_set, actor, _enc(code), _enc(user_id), 1)

    def unwatch(self, actor: Actor, code: str, user_id: str) -> list:
        """Stops a user watching the issue; returns the watchers."""
        return self._get(self._lib.complaints_watcher_set, actor, _enc(code), _enc(user_id), 0)

    def link(self, actor: Actor, code: str, other: str, kind: str = "related") -> None:
        """Links two issues ("related" or "duplicate_of"). Staff only."""
        self._do(self._lib.complaints_link_set, actor, _enc(code), _enc(other), _enc(kind), 1)

    def unlink(self, actor: Actor, code: str, other: str, kind: str = "related") -> None:
        """Removes a link between two issues. Staff only."""
        self._do(self._lib.complaints_link_set, actor, _enc(code), _enc(other), _enc(kind), 0)

    def links(self, actor: Actor, code: str) -> list:
        """[{"other_code", "kind", "outgoing", "created_by", "created_at"}] to issues the actor can see."""
        return self._get(self._lib.complaints_link_list, actor, _enc(code))

    # -- payment holds ------------------------------------------------------------------------

    def may_pay(self, actor: Actor, record_kind: str, record_id: str, fieldworker: str) -> dict:
        """May the host pay this fieldworker for this record? A decision dict ("may_pay", "reason"...).
        Staff and system."""
        return self._get(self._lib.complaints_hold_may_pay, actor, _enc(record_kind), _enc(record_id),
                         _enc(fieldworker))

    def may_pay_many(self, actor: Actor, queries: Iterable[Any]) -> list:
        """Decisions for many queries in one read: each {"record", "fieldworker"} or a
        (kind, id, fieldworker) triple."""
        qs = []
        for q in queries:
            if isinstance(q, Mapping):
                qs.append(_with_record(dict(q)))
            else:
                kind, rid, fieldworker = q
                qs.append({"record": {"kind": kind, "id": rid}, "fieldworker": fieldworker})
        return self._get(self._lib.complaints_hold_may_pay_many, actor, _dumps(qs))

    def withhold_payment(self, actor: Actor, request: JSONInput = None, **fields) -> dict:
        """Withholds by hand {"record", "fieldworker", "amount": {"minor", "currency"}, "scope",
        "reason"}; returns the hold. Staff only."""
        return self._get(self._lib.complaints_hold_withhold, actor, _dumps(_with_record(_merge(request, fields))))

    def release_payment(self, actor: Actor, request: JSONInput = None, **fields) -> dict:
        """Releases {"record", "fieldworker", "reason", "override"}; returns the hold. Needs release_payment
        on a staff role ("override": an admin)."""
        return self._get(self._lib.complaints_hold_release, actor, _dumps(_with_record(_merge(request, fields))))

    def holds(self, actor: Actor, filter: JSONInput = None, **fields) -> list:
        """Holds matching {"record", "invoice", "fieldworker", "state", "withheld_before", "limit"}."""
        merged = _merge(filter, fields)
        return self._get(self._lib.complaints_hold_list, actor, _dumps(_with_record(merged)))

    def stalled_holds(self, actor: Actor, days: int) -> list:
        """Holds withheld for at least ``days`` days. Staff only."""
        return self._get(self._lib.complaints_hold_stalled, actor, _days(days))

    def hold_report(self, actor: Actor, start: Union[str, _dt.datetime], end: Union[str, _dt.datetime]) -> dict:
        """The finance report of [start, end): ledger lines and totals per currency. Staff only."""
        return self._get(self._lib.complaints_hold_report, actor, _enc(format_instant(start)),
                         _enc(format_instant(end)))

    def dashboard(self, actor: Actor, start: Union[str, _dt.datetime], end: Union[str, _dt.datetime],
                  **filters) -> dict:
        """The dashboard of the issues reported in [start, end) (docs/reporting.md, "Dashboards"): a dict
        with every figure, durations in milliseconds. ``filters``: workflow, record_kind, type, fieldworker,
        stage, repeat_days (1 to 366), top (1 to 100), stalled_after_hours (0 to 87,840). Staff, and
        fieldworkers (their own issues and holds); customers get Forbidden."""
        options = dict(filters)
        options["from"] = format_instant(start)
        options["to"] = format_instant(end)
        return self._get(self._lib.complaints_dashboard, actor, _dumps(options))

    # -- customer messages --------------------------------------------------------------------

    def save_template(self, actor: Actor, template: JSONInput = None, **fields) -> None:
        """Saves a template {"name", "title", "subject", "body_html", "body_text", "single_brace"}, checked
        first (InvalidInput naming part, line and column). Needs manage_settings."""
        self._do(self._lib.complaints_template_save, actor, _dumps(_merge(template, fields)))

    def reset_template(self, actor: Actor, name: str) -> None:
        """Goes back to the built-in template, or removes a custom one (InvalidState if a workflow sends it)."""
        self._do(self._lib.complaints_template_reset, actor, _enc(name))

    def template(self, actor: Actor, name: str) -> dict:
        """The template in force. Staff only."""
        return self._get(self._lib.complaints_template_get, actor, _enc(name))

    def templates(self, actor: Actor) -> list:
        """The templates of this database (built-in and saved). Staff only."""
        return self._get(self._lib.complaints_template_list, actor)

    def set_message_settings(self, actor: Actor, settings: JSONInput = None, **fields) -> None:
        """Sets {"acknowledgement", "branding", "sla_promise", "discussion_url", "reminder_schedule":
        {"days": ["mon"], "at": "08:00"}}. Needs manage_settings."""
        self._do(self._lib.complaints_message_settings_set, actor, _dumps(_merge(settings, fields)))

    def message_settings(self, actor: Actor) -> dict:
        """The message settings."""
        return self._get(self._lib.complaints_message_settings_get, actor)

    def preview_message(self, actor: Actor, code: str, name: str, audience: str = "customer") -> list:
        """Renders template ``name`` for the issue's audience ("customer" or "fieldworkers") without
        queuing: [{"template", "recipient", "subject", "body_html", "body_text", "outbox_id"}]. Staff only."""
        return self._get(self._lib.complaints_message_render, actor, _enc(code), _enc(name), _enc(audience), 0)

    def send_message(self, actor: Actor, code: str, name: str, audience: str = "customer") -> list:
        """Renders and queues template ``name`` (logged on the timeline); as preview_message."""
        return self._get(self._lib.complaints_message_render, actor, _enc(code), _enc(name), _enc(audience), 1)

    def preview_reminder(self, actor: Actor, fieldworker: str) -> dict:
        """The Open Complaints Reminder for a fieldworker, rendered, not queued. Staff only."""
        return self._get(self._lib.complaints_message_reminder, actor, _enc(fieldworker), 0)

    def send_reminder(self, actor: Actor, fieldworker: str) -> dict:
        """The Open Complaints Reminder for a fieldworker, queued. Staff only."""
        return self._get(self._lib.complaints_message_reminder, actor, _enc(fieldworker), 1)

    # -- time: due work, SLA clocks, the business calendar ---------------------------------------

    def process_due(self, actor: Actor, limit: int = 100) -> list:
        """Runs what is due at the desk's now, oldest first, at most ``limit`` items (timers, SLA warnings and
        breaches, To Follow reminders, the reminder schedule), each in its own transaction and exactly once
        across processes: [{"issue_code", "kind", "name", "due_at", "outcome", "detail"}]. ``limit``: 1 to 10,000.
        Actor: role system."""
        return self._get(self._lib.complaints_due_process, actor, _limit(limit))

    def next_due(self, actor: Actor) -> Optional[str]:
        """When the earliest item falls due (RFC 3339), or None when nothing is scheduled. Staff only."""
        return self._get(self._lib.complaints_due_next, actor)["next_due"]

    def set_calendar(self, actor: Actor, calendar: JSONInput = None, **fields) -> None:
        """Sets the business calendar {"time_zone", "hours": {"mon": ["09:00-17:00"], ...}, "holidays":
        ["YYYY-MM-DD"]}. Needs manage_settings."""
        self._do(self._lib.complaints_calendar_set, actor, _dumps(_merge(calendar, fields)))

    def calendar(self, actor: Actor) -> dict:
        """The business calendar in force."""
        return self._get(self._lib.complaints_calendar_get, actor)

    def sla_clocks(self, actor: Actor, code: str) -> list:
        """The issue's SLA clocks with time used and left as of now. Staff only."""
        return self._get(self._lib.complaints_issue_slas, actor, _enc(code))

    def to_follow_count(self, actor: Actor, user_id: str) -> int:
        """How many issues not closed and marked To Follow the user reported or is assigned to."""
        count = c_int64()
        self._call(self._lib.complaints_issue_to_follow_count, byref(count), _actor(actor), _enc(user_id))
        return count.value

    # -- outbox -------------------------------------------------------------------------------

    def outbox_pending(self, actor: Actor, limit: int = 100, after_id: int = 0) -> list:
        """Pending outbox items, oldest first, at most ``limit`` (1 to 10,000), with id > after_id (the last id
        of a page gives the next). Actor: role system."""
        return self._get(self._lib.complaints_outbox_pending, actor, _limit(limit), _id64(after_id))

    def outbox_ack(self, actor: Actor, ids: Iterable[int]) -> int:
        """Acknowledges delivered items (ints, or items with an "id"); returns how many were pending."""
        values = [_id64(i["id"] if isinstance(i, Mapping) else i) for i in ids]
        array = (c_int64 * max(len(values), 1))(*values)
        acked = c_size_t()
        self._call(self._lib.complaints_outbox_ack, byref(acked), _actor(actor), array, len(values))
        return acked.value

    # -- events -------------------------------------------------------------------------------

    def on(self, kind: Union[str, int, None], callback: Callable[[dict], Any]) -> int:
        """Calls ``callback(event_dict)`` after each committed change of ``kind`` (an event kind name
        such as "status_changed", or "any"); returns an id for off().

        The callback runs on the thread that made the change (several at once if several threads
        make changes) and may call the desk, though not close it. An exception it raises is caught
        (it never reaches the library): it goes to ``on_callback_error`` (default: logged on the
        "complaints" logger) and is counted in ``callback_errors``.
        """
        if not callable(callback):
            raise TypeError("callback must be callable")
        desk_ref = weakref.ref(self)  # no cycle: the desk holds the trampoline, not the reverse
        desk_id = id(self)

        def trampoline(_user, kind_code, event_json):
            event = None
            inside = _delivering_desks()
            inside.append(desk_id)
            try:
                event = json.loads(event_json.decode("utf-8")) if event_json else {}
                callback(event)
            except BaseException as exc:  # nothing may unwind into C
                desk = desk_ref()
                if desk is not None:
                    desk._callback_failed(exc, _kind_name(kind_code), event)
            finally:
                inside.pop()

        code = _event_kind(kind)
        cfunc = N.EVENT_FN(trampoline)  # referenced by this frame until it is in _callbacks
        sub = c_int64()
        self._call(self._lib.complaints_desk_on, byref(sub), code, cfunc, None)
        with self._callbacks_lock:
            self._callbacks[sub.value] = cfunc  # the C side holds only a pointer: keep the object alive
        return sub.value

    def off(self, subscription: int) -> None:
        """Stops a callback registered with on(). MisuseError for an unknown id.

        When it returns the callback is not running on any other thread and will not be called
        again. Called from inside an event callback it does not wait (the library cannot): the
        callback is not called again, but a delivery under way on another thread may still be
        finishing.
        """
        sub = int(subscription)
        # No Python lock is held here: the library waits for deliveries running on other
        # threads, whose callbacks may themselves call on() or off().
        self._call(self._lib.complaints_desk_off, sub)
        with self._callbacks_lock:
            cfunc = self._callbacks.pop(sub, None)
            if cfunc is not None and _in_callback():
                # The library did not wait, so the trampoline may still be running (on this thread,
                # or another): keep it alive until the desk is closed.
                self._retired.append(cfunc)

    def _callback_failed(self, exc: BaseException, kind: str, event: Any) -> None:
        with self._errors_lock:
            self.callback_errors += 1
        handler = self.on_callback_error
        try:
            if handler is not None:
                handler(exc, kind, event)
            else:
                _log.error("complaints event callback for %s raised", kind, exc_info=exc)
        except BaseException:  # a failing handler must not unwind into C either
            pass


def _kind_name(code: int) -> str:
    return N.EVENT_KINDS[code] if 0 <= code < len(N.EVENT_KINDS) else str(code)
