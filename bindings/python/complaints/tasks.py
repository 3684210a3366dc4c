"""Groups and tasks (docs/tasks.md): the Desk's methods over the group and task functions of complaints.h.

Every task method returns the task as a dict ("id", "number", "issue_code", "kind", "stage", "group",
"assignee", "state", "claimable", "mandatory", "access", "instructions", "created_by", "created_at",
"updated_at", "done_at", "done_by", "notes", "slas", "version"; docs/c-api.md). Only an open task is
claimed, released, reassigned, completed or cancelled (InvalidState otherwise). Who may call each:
docs/permissions.md. Thread-safety: as the Desk's.
"""

from __future__ import annotations

from typing import Any, Optional

from ._convert import JSONInput, _dumps, _enc, _id64, _limit, _merge
from .actor import Actor


class TaskCalls:
    """Mixed into :class:`~complaints.Desk`; relies on its ``_get``, ``_do`` and ``_lib``."""

    _lib: Any

    def _get(self, fn, actor: Actor, *args) -> Any:  # pragma: no cover - the Desk's
        raise NotImplementedError

    def _do(self, fn, actor: Actor, *args) -> None:  # pragma: no cover - the Desk's
        raise NotImplementedError

    def _bytes(self, fn, actor: Actor, *args) -> bytes:  # pragma: no cover - the Desk's
        raise NotImplementedError

    def put_group(self, actor: Actor, group: JSONInput = None, **fields) -> None:
        """Registers a group or replaces its name and members: {"id", "name", "members": [user ids]}
        (registered users who work tasks, at most 1,000). Staff with manage_settings."""
        self._do(self._lib.complaints_group_put, actor, _dumps(_merge(group, fields)))

    def groups(self, actor: Actor) -> list:
        """Every group, by id: [{"id", "name", "members"}]. Staff."""
        return self._get(self._lib.complaints_group_list, actor)

    def create_task(self, actor: Actor, code: str, request: JSONInput = None, **fields) -> dict:
        """Creates a task on the issue: {"kind", "group", "assignee", "mandatory", "access", "instructions"}
        (``create_task(manager, code, kind="investigate", group="roads")``): to a group's queue, to a user,
        or both, within what the kind allows; the options default to the kind's. Admin, supervisor, office."""
        return self._get(self._lib.complaints_task_create, actor, _enc(code), _dumps(_merge(request, fields)))

    def claim_task(self, actor: Actor, id: int) -> dict:
        """Claims a task from its group's queue (a member of the group). Of any number of claims at once,
        exactly one wins; the others raise Conflict naming who has it."""
        return self._get(self._lib.complaints_task_claim, actor, _id64(id))

    def release_task(self, actor: Actor, id: int) -> dict:
        """Puts a claimed task back in its group's queue: whoever works it, an admin or a supervisor."""
        return self._get(self._lib.complaints_task_release, actor, _id64(id))

    def assign_task(self, actor: Actor, id: int, group: Optional[str] = None, user: Optional[str] = None) -> dict:
        """Reassigns an open task to a group and/or a user (at least one). Admin, supervisor, office."""
        return self._get(self._lib.complaints_task_assign, actor, _id64(id), _enc(group), _enc(user))

    def complete_task(self, actor: Actor, id: int, notes: str = "") -> dict:
        """Completes a task with notes (on the issue's timeline). Only whoever works it."""
        return self._get(self._lib.complaints_task_complete, actor, _id64(id), _enc(notes))

    def cancel_task(self, actor: Actor, id: int, reason: str) -> dict:
        """Cancels an open task with a reason (required). Admin, supervisor, office."""
        return self._get(self._lib.complaints_task_cancel, actor, _id64(id), _enc(reason))

    def task(self, actor: Actor, id: int) -> dict:
        """One task: staff who may see its issue, members of its group, whoever works it (else NotFound)."""
        return self._get(self._lib.complaints_task_get, actor, _id64(id))

    def tasks(self, actor: Actor, code: str) -> list:
        """Every task of the issue, by id. Staff."""
        return self._get(self._lib.complaints_task_list, actor, _enc(code))

    def claimable_tasks(self, actor: Actor, limit: int = 100, after_id: int = 0) -> list:
        """The open, unclaimed tasks of the actor's groups, by id, id > after_id, at most ``limit``
        (1 to 10,000): the last id of a page gives the next."""
        return self._get(self._lib.complaints_task_claimable, actor, _limit(limit), _id64(after_id))

    def my_tasks(self, actor: Actor, limit: int = 100, after_id: int = 0) -> list:
        """The open tasks the actor works, paged as claimable_tasks."""
        return self._get(self._lib.complaints_task_mine, actor, _limit(limit), _id64(after_id))

    def task_case(self, actor: Actor, id: int) -> dict:
        """What the task's worker sees of its case, by the task's access level: {"task", "access", "issue",
        "contact", "attachments", "comments", "timeline"} (docs/tasks.md, "Access levels")."""
        return self._get(self._lib.complaints_task_case, actor, _id64(id))

    def task_attachment(self, actor: Actor, id: int, attachment_id: int) -> bytes:
        """The bytes of an attachment of the task's case, when its level gives attachments (else NotFound)."""
        return self._bytes(self._lib.complaints_task_attachment, actor, _id64(id), _id64(attachment_id))
