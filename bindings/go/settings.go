package complaints

/*
#include <complaints.h>
*/
import "C"

import (
	"encoding/json"
	"runtime"
)

// Settings: workflows, statuses, issue types, users.

// The built-in workflows, for Desk.InstallBuiltinWorkflow.
const (
	WorkflowFieldService         = "field-service"
	WorkflowStagedEscalation     = "staged-escalation"
	WorkflowCustomerConfirmation = "customer-confirmation"
)

// ValidateWorkflow checks a workflow document (docs/workflows.md) without
// installing it and returns every problem found, each at its JSON path;
// none when it is valid. It needs no desk.
//
// Errors: only for a failure to check (ErrNoMemory, ErrInternal), with the
// library's message; an invalid document is not an error here.
func ValidateWorkflow(doc []byte) ([]WorkflowProblem, error) {
	var cs cstrings
	defer cs.free()
	cdoc := cs.str("workflow", string(doc))
	if cs.err != nil {
		return nil, cs.err
	}
	return validateWorkflow(cdoc)
}

// validateWorkflow is ValidateWorkflow on a C string (nil in a test, to see
// the library's message come back).
func validateWorkflow(cdoc *C.char) ([]WorkflowProblem, error) {
	var out, msg *C.char
	rc := C.complaints_workflow_validate(&out, cdoc, &msg)
	text, message := takeString(out), takeString(msg)
	if rc != C.COMPLAINTS_OK {
		if message == "" { // the library could not allocate its message
			message = "cannot validate the workflow"
		}
		return nil, errorOf(rc, message)
	}
	return decode[[]WorkflowProblem](text, "workflow problems")
}

// Diagram formats, for WorkflowDiagram.
const (
	DiagramDot     = "dot"     // Graphviz DOT; `dot -Tsvg` makes an SVG of it
	DiagramMermaid = "mermaid" // a Mermaid flowchart, as GitHub and GitLab draw a mermaid block
)

// WorkflowDiagram draws a workflow document as text in format (DiagramDot or
// DiagramMermaid): statuses filled with their colour and grouped by stage,
// actions as edges labelled with their name and the roles allowed, timers
// and automatic rules drawn apart (docs/workflows.md, "Diagrams"). The same
// document always gives the same text. It needs no desk.
//
// Errors: ErrInvalidWorkflow for an invalid document (Where is the JSON path
// of the first problem; ValidateWorkflow lists them all); ErrInvalidInput,
// Where "format", for another format.
func WorkflowDiagram(workflowJSON, format string) (string, error) {
	var cs cstrings
	defer cs.free()
	cdoc := cs.str("workflow", workflowJSON)
	cformat := cs.str("format", format)
	if cs.err != nil {
		return "", cs.err
	}
	var out, msg *C.char
	// The place of a failure without a handle is the calling thread's: read it there.
	runtime.LockOSThread()
	rc := C.complaints_workflow_diagram(&out, cdoc, cformat, &msg)
	where := ""
	if rc != C.COMPLAINTS_OK {
		where = C.GoString(C.complaints_desk_errwhere(nil))
	}
	runtime.UnlockOSThread()
	text, message := takeString(out), takeString(msg)
	if rc != C.COMPLAINTS_OK {
		return "", &Error{Code: Code(rc), Message: message, Where: where}
	}
	return text, nil
}

// InstallWorkflow installs a workflow given as a JSON document, or replaces
// the one of the same name provided every status its issues use still
// exists. Needs PermManageSettings.
//
// Errors: ErrInvalidWorkflow for an invalid document (Where is the JSON path
// of the first problem; ValidateWorkflow lists them all); ErrInvalidState
// when a status in use would disappear; ErrForbidden.
func (d *Desk) InstallWorkflow(a *Actor, doc []byte) error {
	var cs cstrings
	defer cs.free()
	cdoc := cs.str("workflow", string(doc))
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_workflow_install(dp, ap, cdoc)
	})
}

// InstallBuiltinWorkflow installs a workflow shipped with the library:
// WorkflowFieldService, WorkflowStagedEscalation or
// WorkflowCustomerConfirmation. Needs PermManageSettings.
//
// Errors: ErrNotFound for another name; ErrForbidden.
func (d *Desk) InstallBuiltinWorkflow(a *Actor, name string) error {
	var cs cstrings
	defer cs.free()
	cname := cs.str("name", name)
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_workflow_install_builtin(dp, ap, cname)
	})
}

// Workflow returns an installed workflow's JSON document. Any actor.
//
// Errors: ErrNotFound.
func (d *Desk) Workflow(a *Actor, name string) (json.RawMessage, error) {
	var cs cstrings
	defer cs.free()
	cname := cs.str("name", name)
	if cs.err != nil {
		return nil, cs.err
	}
	text, err := d.fetch(a, func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_workflow_get(dp, out, ap, cname)
	})
	if err != nil {
		return nil, err
	}
	return json.RawMessage(text), nil
}

// DrawWorkflow draws the installed workflow as WorkflowDiagram draws a
// document ("dot" or "mermaid"), as this database validated it (its saved templates count).
// Any actor; NotFound for an unknown name.
func (d *Desk) DrawWorkflow(a *Actor, name, format string) (string, error) {
	var cs cstrings
	defer cs.free()
	cname := cs.str("name", name)
	cformat := cs.str("format", format)
	if cs.err != nil {
		return "", cs.err
	}
	return d.fetch(a, func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_workflow_draw(dp, out, ap, cname, cformat)
	})
}

// Workflows returns the names of the installed workflows. Any actor.
func (d *Desk) Workflows(a *Actor) ([]string, error) {
	var cs cstrings
	return fetchJSON[[]string](d, a, &cs, "workflow names", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_workflow_list(dp, out, ap)
	})
}

// AddStatus adds a custom status to a live workflow, usable at once (the
// field-service workflow's change_status action reaches it). Needs
// PermManageSettings.
//
// Errors: ErrInvalidInput for a bad name or colour; ErrInvalidWorkflow when
// the workflow would not validate; ErrNotFound for an unknown workflow;
// ErrForbidden.
func (d *Desk) AddStatus(a *Actor, workflow string, s StatusDef) error {
	var cs cstrings
	defer cs.free()
	cwf, doc := cs.str("workflow", workflow), cs.json("status", s)
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_status_add(dp, ap, cwf, doc)
	})
}

// AddIssueType adds an issue type, or changes the colour of an existing one.
// Needs PermManageSettings.
//
// Errors: ErrInvalidInput for a bad name or colour; ErrForbidden.
func (d *Desk) AddIssueType(a *Actor, t IssueType) error {
	var cs cstrings
	defer cs.free()
	doc := cs.json("type", t)
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_type_add(dp, ap, doc)
	})
}

// IssueTypes returns the configured issue types. Any actor.
func (d *Desk) IssueTypes(a *Actor) ([]IssueType, error) {
	var cs cstrings
	return fetchJSON[[]IssueType](d, a, &cs, "issue types", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_type_list(dp, out, ap)
	})
}

// PutUser registers or updates a user the library should know: admins (told
// of every event), users who may be @mentioned or watch issues, users with
// their own notification settings. Staff only; registering an admin, or
// writing over a registered user, needs PermManageSettings.
//
// Errors: ErrForbidden; ErrInvalidInput (Where names the field).
func (d *Desk) PutUser(a *Actor, u User) error {
	var cs cstrings
	defer cs.free()
	doc := cs.json("user", u)
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_user_put(dp, ap, doc)
	})
}

// User returns a registered user: staff see anyone, others only themselves.
//
// Errors: ErrNotFound.
func (d *Desk) User(a *Actor, id string) (User, error) {
	var cs cstrings
	defer cs.free()
	cid := cs.str("id", id)
	return fetchJSON[User](d, a, &cs, "user", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_user_get(dp, out, ap, cid)
	})
}

// SetNotificationSettings changes a registered user's notification
// settings: anyone their own, staff with PermManageSettings anyone's.
//
// Errors: ErrForbidden; ErrNotFound for an unregistered user; ErrInvalidInput.
func (d *Desk) SetNotificationSettings(a *Actor, userID string, s NotificationSettings) error {
	var cs cstrings
	defer cs.free()
	cid, doc := cs.str("user_id", userID), cs.json("settings", s)
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_user_set_settings(dp, ap, cid, doc)
	})
}
