"""Conversions of Python values into C arguments, shared by the Desk's methods.

Thread-safety: pure functions.
"""

from __future__ import annotations

import base64
import builtins
import datetime as _dt
import json
from ctypes import c_void_p
from typing import Any, Mapping, Optional, Union

from .actor import Actor

JSONInput = Union[Mapping[str, Any], str, bytes, None]


def format_instant(value: Union[str, _dt.datetime]) -> str:
    """An RFC 3339 UTC instant ("2026-01-05T09:00:00Z") from an aware datetime; a str passes as is."""
    if isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("a naive datetime has no instant: give it a tzinfo (e.g. timezone.utc)")
        u = value.astimezone(_dt.timezone.utc)
        text = u.strftime("%Y-%m-%dT%H:%M:%S")
        if u.microsecond:
            text += f".{u.microsecond // 1000:03d}"
        return text + "Z"
    raise TypeError(f"expected an RFC 3339 str or an aware datetime, got {type(value).__name__}")


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return format_instant(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (set, frozenset, tuple)):
        return builtins.list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _enc(text: Optional[str]) -> Optional[bytes]:
    """A C string argument (None stays NULL)."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    return text.encode("utf-8", "surrogatepass")


def _dumps(value: Any) -> bytes:
    """JSON text for a C argument: str/bytes are taken as JSON already."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value, default=_json_default, ensure_ascii=False).encode("utf-8", "surrogatepass")


_C_INT_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1


def _limit(n: int) -> int:
    """A ``limit`` for a C int: one a C int cannot hold goes as 0, which the library refuses as it refuses
    every limit out of range (ctypes would wrap 2**32 + 5 into 5)."""
    n = int(n)
    return n if -_C_INT_MAX <= n <= _C_INT_MAX else 0


def _days(n: int) -> int:
    """A day count for a C int: more than it holds asks for older than anything, fewer than 0 is refused."""
    return max(min(int(n), _C_INT_MAX), -1)


def _id64(n: int) -> int:
    """An id for an int64_t, held to its range instead of wrapped."""
    return max(min(int(n), _INT64_MAX), -_INT64_MAX - 1)


def _merge(request: JSONInput, fields: Mapping[str, Any]) -> Any:
    """The request dict with keyword fields over it; JSON text passes through when no fields are given."""
    if request is None:
        return dict(fields)
    if isinstance(request, (str, bytes)):
        if not fields:
            return request
        request = json.loads(request)
    if not isinstance(request, Mapping):
        raise TypeError(f"expected a dict or JSON text, got {type(request).__name__}")
    merged = dict(request)
    merged.update(fields)
    return merged


def _actor(actor: Actor) -> c_void_p:
    if not isinstance(actor, Actor):
        raise TypeError(f"expected an Actor, got {type(actor).__name__}")
    return actor.handle
