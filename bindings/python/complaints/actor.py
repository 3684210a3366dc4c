"""Actor: who a call is made for (the host's user id, a role, permissions)."""

from __future__ import annotations

import ctypes
from typing import Iterable

from . import _native as N
from .errors import MisuseError, call_handleless


class Actor:
    """The caller of an operation, as the host vouches for it.

    ``Actor(id, role, permissions=())``: ``role`` is one of "admin",
    "supervisor", "office", "fieldworker", "customer", "system";
    ``permissions`` an iterable of "delete_issues", "release_payment",
    "edit_issues", "manage_settings". Raises ValueError for an unknown role or
    permission and InvalidInput for a bad id (empty, too long, not UTF-8,
    control characters), with the library's message and ``where`` "id". Owns a
    C handle, freed when the object is collected; ``close()`` (or ``with``)
    makes the actor unusable at once. Thread-safety: immutable; may be shared
    by threads, and closed while another thread's call is using it (that call
    holds the object, so the handle lives until it returns).
    """

    __slots__ = ("_handle", "_closed", "_free", "id", "role", "permissions")

    def __init__(self, id: str, role: str, permissions: Iterable[str] = ()):
        self._handle = None
        self._closed = False
        if role not in N.ROLES:
            raise ValueError(f"unknown role {role!r}; expected one of {', '.join(N.ROLES)}")
        if isinstance(permissions, str):
            permissions = (permissions,)
        perms = frozenset(permissions)
        bits = 0
        for p in perms:
            if p not in N.PERMISSIONS:
                raise ValueError(f"unknown permission {p!r}; expected some of {', '.join(N.PERMISSIONS)}")
            bits |= N.PERMISSIONS[p]
        if not isinstance(id, str):
            raise TypeError("actor id must be a str")
        lib = N.load()
        handle = ctypes.c_void_p()
        # No desk: the library reports through errmsg ("id: must not be empty").
        call_handleless(lib, lib.complaints_actor_new, ctypes.byref(handle), id.encode("utf-8", "surrogatepass"),
                        N.ROLES[role], bits, cleanup=lambda: lib.complaints_actor_free(handle))
        self._handle = handle
        self._free = lib.complaints_actor_free  # kept so __del__ works during interpreter shutdown
        self.id = id
        self.role = role
        self.permissions = perms

    @classmethod
    def with_all_permissions(cls, id: str, role: str) -> "Actor":
        """An actor holding every permission (e.g. the host's administrator)."""
        return cls(id, role, N.PERMISSIONS)

    @property
    def handle(self) -> ctypes.c_void_p:
        """The C handle (for the bindings). Raises MisuseError once closed."""
        if self._closed or self._handle is None:
            raise MisuseError(N.EMISUSE, f"actor {self.id!r} is closed")
        return self._handle

    def close(self) -> None:
        """Makes the actor unusable (MisuseError in later calls); idempotent. The C
        handle is freed with the object, so a call running meanwhile is unharmed."""
        self._closed = True

    def __enter__(self) -> "Actor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        handle, self._handle = self._handle, None
        try:
            if handle is not None:
                self._free(handle)
        except Exception:  # interpreter shutdown; never raise from a finalizer
            pass

    def __repr__(self) -> str:
        perms = ", ".join(sorted(self.permissions))
        return f"Actor({self.id!r}, {self.role!r}, [{perms}])"
