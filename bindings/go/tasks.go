package complaints

/*
#include <complaints.h>
*/
import "C"

import "time"

// Groups and tasks (docs/tasks.md). A task is a piece of work on one issue,
// of a kind the issue's workflow declares. It goes to a group (whose open,
// unclaimed tasks are its claimable queue), to a user, or to both. Only an
// open task is claimed, released, reassigned, completed or cancelled
// (ErrInvalidState otherwise). Who may call each method: docs/permissions.md.

// Group is a department or service whose members work its tasks.
type Group struct {
	ID      string   `json:"id"`      // at most 128 bytes
	Name    string   `json:"name"`    // 1 to 100 bytes
	Members []string `json:"members"` // registered users who work tasks, at most 1,000
}

// TaskState is where a task stands.
type TaskState string

// The task states.
const (
	TaskOpen      TaskState = "open"
	TaskCompleted TaskState = "completed"
	TaskCancelled TaskState = "cancelled"
)

// Task is a snapshot of one task (the task document of docs/c-api.md).
type Task struct {
	ID           int64      `json:"id"` // 1, 2, ... per database, never reused
	Number       int64      `json:"number"`
	IssueCode    string     `json:"issue_code"`
	Kind         string     `json:"kind"`
	Stage        string     `json:"stage"`
	Group        string     `json:"group"`    // "" when assigned to a user only
	Assignee     string     `json:"assignee"` // who works it; "" while claimable
	State        TaskState  `json:"state"`
	Claimable    bool       `json:"claimable"` // open, in a group's queue, nobody working it
	Mandatory    bool       `json:"mandatory"`
	Access       string     `json:"access"` // "summary", "contact", "attachments" or "everything"
	Instructions string     `json:"instructions"`
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	DoneAt       *time.Time `json:"done_at"` // when completed or cancelled
	DoneBy       string     `json:"done_by"`
	Notes        string     `json:"notes"` // what it was completed (or cancelled) with
	SLAs         []SLAClock `json:"slas"`
	Version      int64      `json:"version"`
}

// TaskRequest is what CreateTask takes: Group, Assignee or both; the
// options left nil come from the task's kind (setting one is ErrInvalidInput
// unless the kind lets its creator change them).
type TaskRequest struct {
	Kind         string  `json:"kind"`
	Group        string  `json:"group,omitempty"`
	Assignee     string  `json:"assignee,omitempty"`
	Mandatory    *bool   `json:"mandatory,omitempty"`
	Access       string  `json:"access,omitempty"`
	Instructions *string `json:"instructions,omitempty"`
}

// PutGroup registers a group or replaces its name and members. Staff with
// PermManageSettings. Members taken out keep the tasks they already work.
//
// Errors: ErrForbidden; ErrInvalidInput naming the field ("members[2]").
func (d *Desk) PutGroup(a *Actor, g Group) error {
	var cs cstrings
	defer cs.free()
	doc := cs.json("group", g)
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_group_put(dp, ap, doc)
	})
}

// Groups returns every group, by id. Staff.
func (d *Desk) Groups(a *Actor) ([]Group, error) {
	var cs cstrings
	return fetchJSON[[]Group](d, a, &cs, "groups", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_group_list(dp, out, ap)
	})
}

// CreateTask creates a task on the issue, logged on its timeline. Admin,
// supervisor and office.
//
// Errors: ErrInvalidInput naming the field (an unknown kind, group or user,
// one the kind does not allow, an option the kind fixes); ErrInvalidState on
// a closed issue; ErrNotFound; ErrForbidden.
func (d *Desk) CreateTask(a *Actor, code string, req TaskRequest) (Task, error) {
	var cs cstrings
	defer cs.free()
	ccode, doc := cs.str("code", code), cs.json("request", req)
	return fetchJSON[Task](d, a, &cs, "task", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_task_create(dp, out, ap, ccode, doc)
	})
}

// onTask calls a task function that takes the task's id and gives it back.
func (d *Desk) onTask(a *Actor, cs *cstrings, f func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int) (Task, error) {
	return fetchJSON[Task](d, a, cs, "task", f)
}

// ClaimTask takes a task from its group's queue (a member of the group). Of
// any number of claims at once, from goroutines, threads or processes,
// exactly one wins; the others get ErrConflict (Where "id") naming who has it.
//
// Errors: ErrConflict; ErrInvalidState (yours already, not open, no group);
// ErrForbidden (not a member); ErrNotFound.
func (d *Desk) ClaimTask(a *Actor, id int64) (Task, error) {
	var cs cstrings
	return d.onTask(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_task_claim(dp, out, ap, C.int64_t(id))
	})
}

// ReleaseTask puts a claimed task back in its group's queue: whoever works
// it, an admin or a supervisor.
func (d *Desk) ReleaseTask(a *Actor, id int64) (Task, error) {
	var cs cstrings
	return d.onTask(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_task_release(dp, out, ap, C.int64_t(id))
	})
}

// AssignTask reassigns an open task to group and/or user ("" for none; at
// least one), within what its kind allows. Admin, supervisor and office.
func (d *Desk) AssignTask(a *Actor, id int64, group, user string) (Task, error) {
	var cs cstrings
	defer cs.free()
	cgroup, cuser := cs.str("group", group), cs.str("user", user)
	return d.onTask(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_task_assign(dp, out, ap, C.int64_t(id), cgroup, cuser)
	})
}

// CompleteTask completes a task with notes (at most 10,000 bytes), which go
// on the issue's timeline. Only whoever works it (ErrInvalidState while
// nobody does, ErrForbidden for anyone else).
func (d *Desk) CompleteTask(a *Actor, id int64, notes string) (Task, error) {
	var cs cstrings
	defer cs.free()
	cnotes := cs.str("notes", notes)
	return d.onTask(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_task_complete(dp, out, ap, C.int64_t(id), cnotes)
	})
}

// CancelTask cancels an open task with a reason (required). Admin,
// supervisor and office.
func (d *Desk) CancelTask(a *Actor, id int64, reason string) (Task, error) {
	var cs cstrings
	defer cs.free()
	creason := cs.str("reason", reason)
	return d.onTask(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_task_cancel(dp, out, ap, C.int64_t(id), creason)
	})
}

// Task returns one task: to staff who may see its issue, members of its
// group and whoever works it (ErrNotFound for anyone else).
func (d *Desk) Task(a *Actor, id int64) (Task, error) {
	var cs cstrings
	return d.onTask(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_task_get(dp, out, ap, C.int64_t(id))
	})
}

// Tasks returns every task of the issue, by id. Staff.
func (d *Desk) Tasks(a *Actor, code string) ([]Task, error) {
	var cs cstrings
	defer cs.free()
	ccode := cs.str("code", code)
	return fetchJSON[[]Task](d, a, &cs, "tasks", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_task_list(dp, out, ap, ccode)
	})
}

// ClaimableTasks returns the open, unclaimed tasks of the actor's groups, by
// id, with id > afterID, at most limit (1 to 10,000): the last id of a page
// gives the next. A "next task" button asks for one, claims it, and on
// ErrConflict asks again.
func (d *Desk) ClaimableTasks(a *Actor, limit int, afterID int64) ([]Task, error) {
	var cs cstrings
	return fetchJSON[[]Task](d, a, &cs, "tasks", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_task_claimable(dp, out, ap, cInt(limit), C.int64_t(afterID))
	})
}

// MyTasks returns the open tasks the actor works, paged as ClaimableTasks.
func (d *Desk) MyTasks(a *Actor, limit int, afterID int64) ([]Task, error) {
	var cs cstrings
	return fetchJSON[[]Task](d, a, &cs, "tasks", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_task_mine(dp, out, ap, cInt(limit), C.int64_t(afterID))
	})
}

// TaskContact is the complainant's contact as a task of level contact or
// more shows it.
type TaskContact struct {
	CustomerID string `json:"customer_id"`
	Name       string `json:"name"` // "" when the customer is not registered
}

// TaskCase is what a task's worker sees of its case (docs/tasks.md, "Access
// levels"): Issue holds the summary fields only; Contact is nil below level
// contact; Attachments from level attachments; Comments and Timeline at
// level everything.
type TaskCase struct {
	Task        Task            `json:"task"`
	Access      string          `json:"access"`
	Issue       Issue           `json:"issue"`
	Contact     *TaskContact    `json:"contact"`
	Attachments []Attachment    `json:"attachments"`
	Comments    []Comment       `json:"comments"`
	Timeline    []TimelineEntry `json:"timeline"`
}

// TaskCase returns what the task's worker sees of its case, by the task's
// access level: its worker and staff who see the issue get the level, a
// member of its group who has not claimed it the summary. ErrNotFound as
// Task; ErrForbidden for customers and the system role.
func (d *Desk) TaskCase(a *Actor, id int64) (TaskCase, error) {
	var cs cstrings
	defer cs.free()
	return fetchJSON[TaskCase](d, a, &cs, "task case", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_task_case(dp, out, ap, C.int64_t(id))
	})
}

// TaskAttachment returns the bytes of an attachment of the task's case when
// its level gives attachments (else ErrNotFound).
func (d *Desk) TaskAttachment(a *Actor, id, attachmentID int64) ([]byte, error) {
	return fetchBytes(d, a, func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.uchar, n *C.size_t) C.int {
		return C.complaints_task_attachment(dp, out, n, ap, C.int64_t(id), C.int64_t(attachmentID))
	})
}
