"""Python bindings of libcomplaints (customer complaints for field-service products).

Standard library only: ctypes over the C API of ``complaints.h``, JSON in and out.

    import complaints
    office = complaints.Actor("olivia", "office", ["edit_issues"])
    with complaints.Desk.open_sqlite("complaints.db") as desk:
        desk.put_record(office, kind="booking", id="BK-1", customer_id="casey", fieldworkers=["tariq"])
        issue = desk.report(office, record=("booking", "BK-1"), type="Damage Caused", description="...")

The shared library is found through the ``COMPLAINTS_LIBRARY`` environment
variable (its full path), else ``libcomplaints.so.0`` through the dynamic
loader (``LD_LIBRARY_PATH``, the system's library directories), else
``ctypes.util.find_library("complaints")``, else ``pkg-config --variable=libdir
complaints``; it is loaded on first use.

Errors are :class:`ComplaintsError` subclasses carrying ``code``, ``message``
and ``where``. Thread-safety: a Desk may be used from several threads at once;
each thread calls through its own C handle on the same store, so an exception
carries its own call's message. Actors are immutable and may be shared.
"""

from __future__ import annotations

from . import _native
from ._native import EVENT_KINDS, LibraryNotFoundError
from .actor import Actor
from .desk import Desk, format_instant, record_ref, validate_workflow, workflow_diagram
from .errors import (ComplaintsError, Conflict, Forbidden, InternalError, InvalidInput, InvalidState,
                     InvalidWorkflow, MisuseError, NotFound, OutOfMemory, StorageError, strerror)

ROLES = tuple(_native.ROLES)
PERMISSIONS = tuple(_native.PERMISSIONS)

__all__ = [
    "Actor", "Desk", "ComplaintsError", "NotFound", "Forbidden", "InvalidInput", "Conflict", "InvalidWorkflow",
    "StorageError", "InvalidState", "InternalError", "OutOfMemory", "MisuseError", "LibraryNotFoundError",
    "version", "version_number", "strerror", "validate_workflow", "workflow_diagram", "format_instant", "record_ref",
    "ROLES", "PERMISSIONS", "EVENT_KINDS",
]


def version() -> str:
    """The version of the loaded library, e.g. "0.1.0". Raises LibraryNotFoundError if it cannot be loaded."""
    return _native.load().complaints_version().decode("ascii")


def version_number() -> int:
    """The loaded library's version as major * 10000 + minor * 100 + patch."""
    return _native.load().complaints_version_number()
