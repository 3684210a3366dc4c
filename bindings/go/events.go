package complaints

/*
#include <stdint.h>
#include <complaints.h>

// The exported Go function (callback.go) takes a char *; the library's
// callback type takes a const char *. This wrapper has the exact type.
extern void complaintsGoEvent(void *user, int kind, char *event_json);

static void complaints_go_event(void *user, int kind, const char *event_json) {
	complaintsGoEvent(user, kind, (char *)event_json);
}

// The key is an index into the Go side's handler registry: an integer, never
// a Go pointer.
static int complaints_go_on(complaints_desk *desk, int64_t *id, int kind, uintptr_t key) {
	return complaints_desk_on(desk, id, kind, complaints_go_event, (void *)key);
}
*/
import "C"

import (
	"fmt"
	"time"
)

// EventKind is the kind of an event.
type EventKind int

// The event kinds.
const (
	EventIssueReported   EventKind = C.COMPLAINTS_EVENT_ISSUE_REPORTED
	EventStatusChanged   EventKind = C.COMPLAINTS_EVENT_STATUS_CHANGED // a workflow action was taken
	EventIssueEdited     EventKind = C.COMPLAINTS_EVENT_ISSUE_EDITED
	EventIssueRelinked   EventKind = C.COMPLAINTS_EVENT_ISSUE_RELINKED
	EventSettingsChanged EventKind = C.COMPLAINTS_EVENT_SETTINGS_CHANGED
	EventPaymentWithheld EventKind = C.COMPLAINTS_EVENT_PAYMENT_WITHHELD // Detail: "<record> <fieldworker>"
	EventPaymentReleased EventKind = C.COMPLAINTS_EVENT_PAYMENT_RELEASED
	EventCommentAdded    EventKind = C.COMPLAINTS_EVENT_COMMENT_ADDED // ItemID: the comment; Detail: "internal" or "public"
	EventUserMentioned   EventKind = C.COMPLAINTS_EVENT_USER_MENTIONED
	EventAttachmentAdded EventKind = C.COMPLAINTS_EVENT_ATTACHMENT_ADDED
	EventIssueLinked     EventKind = C.COMPLAINTS_EVENT_ISSUE_LINKED
	EventWatchersChanged EventKind = C.COMPLAINTS_EVENT_WATCHERS_CHANGED
	EventIssueDeleted    EventKind = C.COMPLAINTS_EVENT_ISSUE_DELETED // Keys: storage keys to delete
	EventMessageQueued   EventKind = C.COMPLAINTS_EVENT_MESSAGE_QUEUED
	EventSLAWarning      EventKind = C.COMPLAINTS_EVENT_SLA_WARNING  // Detail: the SLA policy
	EventSLABreached     EventKind = C.COMPLAINTS_EVENT_SLA_BREACHED // Detail: the SLA policy
	EventReminderDue     EventKind = C.COMPLAINTS_EVENT_REMINDER_DUE // a To Follow issue's deferred date came
	// Tasks (docs/tasks.md): ItemID is the task's id, Detail its kind.
	EventTaskCreated   EventKind = C.COMPLAINTS_EVENT_TASK_CREATED
	EventTaskClaimed   EventKind = C.COMPLAINTS_EVENT_TASK_CLAIMED
	EventTaskReleased  EventKind = C.COMPLAINTS_EVENT_TASK_RELEASED
	EventTaskAssigned  EventKind = C.COMPLAINTS_EVENT_TASK_ASSIGNED
	EventTaskCompleted EventKind = C.COMPLAINTS_EVENT_TASK_COMPLETED
	EventTaskCancelled EventKind = C.COMPLAINTS_EVENT_TASK_CANCELLED

	// EventAny subscribes to every kind.
	EventAny EventKind = C.COMPLAINTS_EVENT_ANY
)

var eventNames = [...]string{
	"issue_reported", "status_changed", "issue_edited", "issue_relinked", "settings_changed",
	"payment_withheld", "payment_released", "comment_added", "user_mentioned", "attachment_added",
	"issue_linked", "watchers_changed", "issue_deleted", "message_queued", "sla_warning",
	"sla_breached", "reminder_due", "task_created", "task_claimed", "task_released", "task_assigned",
	"task_completed", "task_cancelled",
}

// String is the kind's name ("status_changed").
func (k EventKind) String() string {
	if k == EventAny {
		return "any"
	}
	if k >= 0 && int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is a committed change. Fields not relevant to a kind are empty.
type Event struct {
	Kind      EventKind     `json:"-"`
	At        time.Time     `json:"at"`
	ActorID   string        `json:"actor_id"`
	ActorRole Role          `json:"actor_role"`
	IssueCode string        `json:"issue_code"`
	Issue     *Issue        `json:"issue"`  // the issue as committed
	Action    string        `json:"action"` // the workflow action, for EventStatusChanged
	Changes   []FieldChange `json:"changes"`
	Detail    string        `json:"detail"`  // kind-specific text
	ItemID    int64         `json:"item_id"` // kind-specific id (a comment, an attachment, an outbox item)
	Keys      []string      `json:"keys"`    // EventIssueDeleted: storage keys the host should delete
}

// Subscription identifies a handler registered with Desk.On.
type Subscription int64

type subscription struct {
	fn func(Event)
}

// On calls fn for each event of kind (or EventAny) on this desk.
//
// fn runs on the goroutine that made the change, after the change committed
// and after the desk's internal lock was released: it may call the desk,
// and Off (but not Close). It cannot undo the change. A panic in fn is
// recovered and dropped, since it cannot unwind through the library's C
// frames. Handlers may run concurrently when several goroutines change the
// desk.
//
// Errors: ErrMisuse for an unknown kind or a nil fn.
func (d *Desk) On(kind EventKind, fn func(Event)) (Subscription, error) {
	if fn == nil {
		return 0, &Error{Code: CodeMisuse, Message: "nil event handler", Where: "fn"}
	}
	key := register(&subscription{fn: fn}) // before the C side may call it
	var id C.int64_t
	err := d.callDesk(func(dp *C.complaints_desk) C.int {
		return C.complaints_go_on(dp, &id, cInt(int(kind)), C.uintptr_t(key))
	})
	if err != nil {
		forget(key)
		return 0, err
	}
	d.subsMu.Lock()
	d.subs[Subscription(id)] = key
	d.subsMu.Unlock()
	return Subscription(id), nil
}

// Off stops a handler. When it returns, the handler is not running on any
// goroutine and will not be called again: Off waits for a delivery under
// way on another goroutine to finish. Called from inside a handler (any
// handler, of any desk) it does not wait, since the delivery it would wait
// for might be waiting for this one; the handler is still never called
// again, but a delivery already under way elsewhere may be finishing.
//
// So a handler may call Off, but must not wait for another goroutine that
// calls Off (or Close): that goroutine would wait for the handler.
//
// Errors: ErrMisuse for an unknown subscription.
func (d *Desk) Off(s Subscription) error {
	err := d.callDesk(func(dp *C.complaints_desk) C.int {
		return C.complaints_desk_off(dp, C.int64_t(s))
	})
	if err != nil {
		return err
	}
	d.subsMu.Lock()
	key, ok := d.subs[s]
	delete(d.subs, s)
	d.subsMu.Unlock()
	if ok {
		// The library starts no more deliveries to it. One still finishing
		// on another goroutine (Off called from a handler did not wait)
		// either looked it up already or finds nothing and is skipped.
		forget(key)
	}
	return nil
}
