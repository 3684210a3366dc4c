"""The complaint register export (docs/reporting.md, "Export"): the Desk's methods over
complaints_export_file and complaints_export_callback.

Options are a list filter (the keys ``Desk.list`` takes; ``after_number`` starts after that issue,
``limit`` is not used) with two more: ``format``, "csv" (RFC 4180, the default) or "json_lines",
and ``page_issues``, the issues read per read transaction (default 500, 1 to 10,000). Each call
returns the summary {"rows", "last_number", "columns"}. Staff only (admin, supervisor, office,
system): Forbidden for fieldworkers and customers. Thread-safety: as the Desk's.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any, Callable, Union

from . import _native as N
from ._convert import JSONInput, _dumps, _merge
from .actor import Actor


def _options(options: JSONInput, fields) -> Any:
    merged = _merge(options, fields)
    return _dumps(merged) if merged else None


class ExportCalls:
    """Mixed into :class:`~complaints.Desk`; relies on its ``_get`` and ``_lib``."""

    _lib: Any

    def _get(self, fn, actor: Actor, *args) -> Any:  # pragma: no cover - the Desk's
        raise NotImplementedError

    def export_file(self, actor: Actor, path: Union[str, os.PathLike], options: JSONInput = None,
                    **fields) -> dict:
        """Writes the register to ``path``, by way of "<path>.partial" renamed into place when the
        export is complete: on failure ``path`` is as it was. InvalidInput at "path" when the file
        cannot be created, StorageError when writing fails."""
        return self._get(self._lib.complaints_export_file, actor, os.fsencode(path), _options(options, fields))

    def export_issues(self, actor: Actor, sink: Callable[[bytes], Any], options: JSONInput = None,
                      **fields) -> dict:
        """Calls ``sink(chunk)`` with the register, in order, a page of rows (UTF-8 bytes) at a time;
        the CSV header comes with the first. The sink runs on this thread outside the desk's lock
        and may call the desk. An exception it raises stops the export and is raised here."""
        if not callable(sink):
            raise TypeError("sink must be callable")
        raised = []

        def trampoline(_user, chunk, size):
            try:
                sink(ctypes.string_at(chunk, size))
                return 0
            except BaseException as exc:  # nothing may unwind into C: stop the export, raise it below
                raised.append(exc)
                return 1

        cfunc = N.EXPORT_SINK(trampoline)
        try:
            return self._get(self._lib.complaints_export_callback, actor, _options(options, fields), cfunc, None)
        except Exception as exc:
            if raised:
                raise raised[0] from exc
            raise
