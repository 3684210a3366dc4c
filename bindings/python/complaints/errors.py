"""The exceptions: one class per COMPLAINTS_E* code, all under ComplaintsError.

Thread-safety: exceptions are plain values.
"""

from __future__ import annotations

import ctypes

from . import _native as N


class ComplaintsError(Exception):
    """A call into libcomplaints failed.

    ``code`` is the negative COMPLAINTS_E* code, ``message`` what went wrong
    (with where, as the library words it) and ``where`` the field, JSON path or
    template position alone ("" when the library gave none).
    """

    code = None  # set on each subclass; an instance always has its own

    def __init__(self, code: int, message: str = "", where: str = ""):
        self.code = code
        self.message = message or strerror(code)
        self.where = where
        super().__init__(self.message)

    def __repr__(self):
        return f"{type(self).__name__}(code={self.code}, message={self.message!r}, where={self.where!r})"


class NotFound(ComplaintsError):
    """COMPLAINTS_ENOTFOUND: no such issue, record, user, template..., or not visible to the actor."""


class Forbidden(ComplaintsError):
    """COMPLAINTS_EFORBIDDEN: the actor's role or permissions do not allow it."""


class InvalidInput(ComplaintsError):
    """COMPLAINTS_EINVALID: malformed or out-of-range input, malformed JSON."""


class Conflict(ComplaintsError):
    """COMPLAINTS_ECONFLICT: the issue changed since the caller read it."""


class InvalidWorkflow(ComplaintsError):
    """COMPLAINTS_EWORKFLOW: an invalid workflow, or an effect this version cannot run."""


class StorageError(ComplaintsError):
    """COMPLAINTS_ESTORAGE: the storage failed (I/O, locked past the busy timeout)."""


class InvalidState(ComplaintsError):
    """COMPLAINTS_ESTATE: not possible in the current state (action not available, hold open...)."""


class InternalError(ComplaintsError):
    """COMPLAINTS_EINTERNAL: a bug in the library."""


class OutOfMemory(ComplaintsError, MemoryError):
    """COMPLAINTS_ENOMEM: the library ran out of memory."""


class MisuseError(ComplaintsError):
    """COMPLAINTS_EMISUSE: NULL where a value is required, an unknown handle or enum value, a closed desk."""


_BY_CODE = {
    N.ENOTFOUND: NotFound,
    N.EFORBIDDEN: Forbidden,
    N.EINVALID: InvalidInput,
    N.ECONFLICT: Conflict,
    N.EWORKFLOW: InvalidWorkflow,
    N.ESTORAGE: StorageError,
    N.ESTATE: InvalidState,
    N.EINTERNAL: InternalError,
    N.ENOMEM: OutOfMemory,
    N.EMISUSE: MisuseError,
}
for _code, _cls in _BY_CODE.items():
    _cls.code = _code


def error_for(code: int, message: str = "", where: str = "") -> ComplaintsError:
    """The exception for a code (a code this version does not know gives a plain ComplaintsError)."""
    return _BY_CODE.get(code, ComplaintsError)(code, message, where)


def strerror(code: int) -> str:
    """A short static description of a code ("not found"). Never fails for an int."""
    return N.load().complaints_strerror(int(code)).decode("utf-8", "replace")


def call_handleless(lib, fn, *args, cleanup=None) -> None:
    """Calls fn(*args, &errmsg), a C function that takes no desk handle, and on failure
    runs ``cleanup`` and raises the error with the library's message and place (read
    on this thread, where the library left them)."""
    errmsg = ctypes.c_void_p()
    rc = fn(*args, ctypes.byref(errmsg))
    if rc == N.OK:
        lib.complaints_free(errmsg)  # NULL on success, by contract
        return
    message = N.take_text(lib, errmsg) or ""
    where = (lib.complaints_desk_errwhere(None) or b"").decode("utf-8", "replace")
    if cleanup is not None:
        cleanup()
    raise error_for(rc, message, where)
