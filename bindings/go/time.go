package complaints

/*
#include <complaints.h>
*/
import "C"

import "time"

// Time (docs/time.md): due work, SLA clocks and the business calendar.

// IssueTimer is a workflow timer on an issue: at DueAt, ProcessDue takes
// Action on the issue as the system.
type IssueTimer struct {
	Name   string    `json:"name"`
	Action string    `json:"action"`
	DueAt  time.Time `json:"due_at"`
}

// SLAState is where an SLA clock stands: "running", "paused" or "stopped".
type SLAState string

// The SLA clock states.
const (
	SLARunning SLAState = "running"
	SLAPaused  SLAState = "paused"
	SLAStopped SLAState = "stopped"
)

// SLAClock is one SLA clock on an issue, started from a policy of its
// workflow. In an Issue, UsedMS and LeftMS are as of the issue's last change
// (AsOf); Desk.SLAClocks gives them as of now.
type SLAClock struct {
	Name           string     `json:"name"`
	State          SLAState   `json:"state"`
	Business       bool       `json:"business"` // counts working time on the desk's calendar
	StartedAt      time.Time  `json:"started_at"`
	BudgetMS       int64      `json:"budget_ms"`
	UsedMS         int64      `json:"used_ms"`
	LeftMS         int64      `json:"left_ms"` // negative once breached
	AsOf           time.Time  `json:"as_of"`
	DueAt          *time.Time `json:"due_at"`  // while running
	WarnAt         *time.Time `json:"warn_at"` // while running and not yet warned
	WarnPercent    int        `json:"warn_percent"`
	PausedByStatus bool       `json:"paused_by_status"`
	Warned         bool       `json:"warned"`
	Breached       bool       `json:"breached"`
	BreachedAt     *time.Time `json:"breached_at"`
}

// BusinessCalendar is the desk's time zone, working hours and holidays.
// Hours maps "sun".."sat" to periods "09:00-17:00"; a day left out has no
// working time, and a nil map keeps Monday to Friday 09:00-17:00.
type BusinessCalendar struct {
	TimeZone string              `json:"time_zone"` // IANA, e.g. "Europe/London"
	Hours    map[string][]string `json:"hours,omitempty"`
	Holidays []Date              `json:"holidays"`
}

// WeeklySchedule runs on the listed days ("mon".."sun") at a local time "HH:MM".
type WeeklySchedule struct {
	Days []string `json:"days"`
	At   string   `json:"at"`
}

// DueOutcome says what ProcessDue did with an item: "ran" or "dropped".
type DueOutcome string

// The outcomes.
const (
	DueRan     DueOutcome = "ran"
	DueDropped DueOutcome = "dropped" // it could not run; a timeline note says why
)

// DueRun is what ProcessDue did with one due item.
type DueRun struct {
	IssueCode string     `json:"issue_code"` // "" for desk-wide work
	Kind      string     `json:"kind"`       // "timer", "sla_warning", "sla_breach", "to_follow", "schedule"
	Name      string     `json:"name"`
	DueAt     time.Time  `json:"due_at"`
	Outcome   DueOutcome `json:"outcome"`
	Detail    string     `json:"detail"`
}

// ProcessDue runs what is due at the desk's now, oldest first, at most limit
// items (1 to 10000): timers (their action taken as a), SLA warnings and
// breaches, To Follow reminders, the scheduled Open Complaints Reminder. Each
// item runs in its own transaction and is taken exactly once, even with
// several processes on one database. The actor must have RoleSystem.
//
// Errors: ErrForbidden; ErrInvalidInput (limit); ErrStorage (the item stays
// due; items before it stay done).
func (d *Desk) ProcessDue(a *Actor, limit int) ([]DueRun, error) {
	var cs cstrings
	return fetchJSON[[]DueRun](d, a, &cs, "due work", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_due_process(dp, out, ap, cInt(limit))
	})
}

// NextDue returns when the earliest item falls due (perhaps already: call
// ProcessDue), or nil when nothing is scheduled. Staff only.
func (d *Desk) NextDue(a *Actor) (*time.Time, error) {
	var cs cstrings
	next, err := fetchJSON[struct {
		NextDue *time.Time `json:"next_due"`
	}](d, a, &cs, "next due time", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_due_next(dp, out, ap)
	})
	return next.NextDue, err
}

// SetCalendar sets the desk's business calendar. Needs PermManageSettings.
//
// Errors: ErrInvalidInput naming the field ("calendar.time_zone"); ErrForbidden.
func (d *Desk) SetCalendar(a *Actor, c BusinessCalendar) error {
	var cs cstrings
	defer cs.free()
	doc := cs.json("calendar", c)
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_calendar_set(dp, ap, doc)
	})
}

// Calendar returns the business calendar in force.
func (d *Desk) Calendar(a *Actor) (BusinessCalendar, error) {
	var cs cstrings
	return fetchJSON[BusinessCalendar](d, a, &cs, "calendar", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_calendar_get(dp, out, ap)
	})
}

// SLAClocks returns the issue's SLA clocks with time used and left as of now. Staff only.
func (d *Desk) SLAClocks(a *Actor, code string) ([]SLAClock, error) {
	var cs cstrings
	defer cs.free()
	ccode := cs.str("code", code)
	return fetchJSON[[]SLAClock](d, a, &cs, "SLA clocks", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_issue_slas(dp, out, ap, ccode)
	})
}

// ToFollowCount returns how many issues not closed and marked To Follow the
// user reported or is assigned to. Staff may ask of anyone, others only of
// themselves (ErrForbidden).
func (d *Desk) ToFollowCount(a *Actor, userID string) (int64, error) {
	var cs cstrings
	defer cs.free()
	cuser := cs.str("user_id", userID)
	if cs.err != nil {
		return 0, cs.err
	}
	var count C.int64_t
	err := d.call(a, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_issue_to_follow_count(dp, &count, ap, cuser)
	})
	return int64(count), err
}
