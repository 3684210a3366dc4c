// Quickstart in Go: one booking complaint through the whole field-service
// lifecycle on an embedded SQLite file, printing each step (with the
// fieldworker's payout, withheld while the complaint is open) and then the
// timeline. The same story as examples/quickstart/main.cpp.
//
//	New -> In Progress (follow-up scheduled) -> Awaiting Approval (fieldworker
//	resolves) -> sent back -> Awaiting Approval -> Closed (admin approves)
//	-> Reopened -> Closed
//
// Usage: go run . [database-file]   (default: quickstart.db in the temporary directory, recreated)
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	complaints "github.com/complaints-lib/complaints/bindings/go"
)

const stamp = "2006-01-02T15:04:05.000Z07:00"

func main() {
	path := filepath.Join(os.TempDir(), "quickstart.db")
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	if err := run(path); err != nil {
		var e *complaints.Error
		if errors.As(err, &e) {
			fmt.Fprintf(os.Stderr, "error (%s): %s\n", e.Code, e.Message)
		} else {
			fmt.Fprintf(os.Stderr, "error: %v\n", err)
		}
		os.Exit(1)
	}
}

// story carries the desk, its clock and the people of the story.
type story struct {
	desk                         *complaints.Desk
	now                          time.Time
	office, admin, tech, payroll *complaints.Actor
	err                          error // the first failure; later steps are skipped
}

func run(path string) error {
	// The host decides what time it is; here a clock we move forward by hand,
	// so the story spans a week in a blink.
	now := time.Date(2026, time.November, 23, 8, 30, 0, 0, time.UTC)
	desk, err := complaints.OpenSQLite(path, complaints.WithClock(now))
	if err != nil {
		return err
	}
	defer desk.Close()

	// The host's users, as actors: it vouches for who they are.
	s := &story{desk: desk, now: now}
	s.office = s.actor("olivia", complaints.RoleOffice, complaints.PermEditIssues)
	s.admin = s.actor("adam", complaints.RoleAdmin, complaints.AllPermissions)
	s.tech = s.actor("tariq", complaints.RoleFieldworker)
	s.payroll = s.actor("payroll", complaints.RoleSystem)
	host := s.actor("mailer", complaints.RoleSystem)
	if s.err != nil {
		return s.err
	}
	for _, a := range []*complaints.Actor{s.office, s.admin, s.tech, s.payroll, host} {
		defer a.Close()
	}

	// The booking the complaint is about: customer Casey, fieldworker Tariq.
	booking := complaints.BookingRef("BK-2041")
	if err := desk.PutRecord(s.office, complaints.Record{
		RecordRef: booking, CustomerID: "casey", Fieldworkers: []string{"tariq"},
	}); err != nil {
		return err
	}

	// Any step can be watched in-process; events fire after each commit.
	if _, err := desk.On(complaints.EventAny, func(e complaints.Event) {
		line := "      [event] " + e.Kind.String()
		if e.Action != "" {
			line += " " + e.Action
		}
		if e.Detail != "" {
			line += " " + e.Detail
		}
		fmt.Println(line)
	}); err != nil {
		return err
	}

	fmt.Printf("Complaint lifecycle on %s\n", path)
	issue, err := desk.Report(s.office, complaints.ReportRequest{
		Record:      booking,
		Type:        "Unsatisfactory Job",
		Description: "Hot water system still leaks after Tuesday's repair.",
	})
	if err != nil {
		return err
	}
	s.step("Olivia (office) logs the customer's phone complaint", issue)

	issue = s.act(2*time.Hour, s.office, issue, "schedule_follow_up", "date", "2026-11-25")
	s.step("Olivia schedules a follow-up visit for 2026-11-25", issue)
	issue = s.act(50*time.Hour, s.tech, issue, "resolve", "note", "Replaced the pressure valve.")
	s.step("Tariq (fieldworker) marks it resolved on site", issue)
	issue = s.act(3*time.Hour, s.admin, issue, "send_back", "note", "Please upload a photo of the new valve.")
	s.step("Adam (admin) sends it back: evidence missing", issue)
	issue = s.act(20*time.Hour, s.tech, issue, "resolve", "note", "Photo uploaded.")
	s.step("Tariq resolves it again", issue)
	issue = s.act(1*time.Hour, s.admin, issue, "approve")
	s.step("Adam approves the fix", issue)
	issue = s.act(48*time.Hour, s.admin, issue, "reopen", "note", "Customer reports a drip again.")
	s.step("Adam reopens it after the customer calls back", issue)
	issue = s.act(4*time.Hour, s.admin, issue, "close", "note", "Drip was condensation; explained to customer.")
	s.step("Adam closes it", issue)
	if s.err != nil {
		return s.err
	}

	fmt.Printf("\nTimeline of %s:\n", issue.Code)
	timeline, err := desk.Timeline(s.admin, issue.Code)
	if err != nil {
		return err
	}
	for _, e := range timeline {
		what := e.Action
		if what == "" {
			what = e.Kind
		}
		fmt.Printf("  #%d  %s  %s (%s)  %s\n", e.Seq, e.At.Format(stamp), e.ActorID, e.ActorRole, what)
		for _, c := range e.Changes {
			if c.Field == "description" {
				continue
			}
			before := c.Before
			if before == "" {
				before = "-"
			}
			fmt.Printf("        %s: %s -> %s\n", c.Field, before, c.After)
		}
		if e.Note != "" {
			fmt.Printf("        note: %s\n", e.Note)
		}
	}

	fmt.Println("\nPayout ledger:")
	report, err := desk.HoldReport(s.admin, time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC), s.now.Add(time.Hour))
	if err != nil {
		return err
	}
	for _, line := range report.Entries {
		why := line.Reason
		if len(line.Issues) > 0 {
			why = strings.Join(line.Issues, ", ") + ", " + why
		}
		fmt.Printf("  %s  %s %s on %s by %s (%s)\n", line.At.Format(stamp), line.Action, line.Fieldworker,
			line.Record, line.ActorID, why)
	}

	check, err := desk.Verify(s.admin, issue.Code)
	if err != nil {
		return err
	}
	state := "intact"
	if !check.OK {
		state = "BROKEN"
	}
	fmt.Printf("\nTimeline hash chain: %s (%d entries)\n", state, check.Entries)

	// What the host must deliver: notifications queued with each change.
	outbox, err := desk.OutboxPending(host, 1000, 0)
	if err != nil {
		return err
	}
	fmt.Printf("Outbox: %d notifications waiting for delivery\n", len(outbox))
	if !check.OK {
		return errors.New("the timeline's hash chain is broken")
	}
	return nil
}

func (s *story) actor(id string, role complaints.Role, perms ...complaints.Permission) *complaints.Actor {
	a, err := complaints.NewActor(id, role, perms...)
	if err != nil && s.err == nil {
		s.err = err
	}
	return a
}

// act moves the clock forward by `after`, then takes a workflow action with
// inputs given as name, value pairs, refusing it if the issue changed since.
func (s *story) act(after time.Duration, who *complaints.Actor, issue complaints.Issue, action string, inputs ...string) complaints.Issue {
	if s.err != nil {
		return issue
	}
	s.now = s.now.Add(after)
	if s.err = s.desk.SetClock(s.now); s.err != nil {
		return issue
	}
	req := complaints.ActionRequest{Action: action, Inputs: map[string]string{}, ExpectedVersion: issue.Version}
	for i := 0; i+1 < len(inputs); i += 2 {
		req.Inputs[inputs[i]] = inputs[i+1]
	}
	next, err := s.desk.Act(who, issue.Code, req)
	if err != nil {
		s.err = err
		return issue
	}
	return next
}

// step prints one step and the payout state: the host asks before paying its
// fieldworker for the booking.
func (s *story) step(what string, issue complaints.Issue) {
	if s.err != nil {
		return
	}
	pay, err := s.desk.MayPay(s.payroll, issue.Record, "tariq")
	if err != nil {
		s.err = err
		return
	}
	payout := "withheld"
	if pay.MayPay {
		payout = "payable"
	}
	fmt.Printf("  %s  %s\n      %s is %s (version %d); Tariq's payout: %s\n",
		issue.UpdatedAt.Format(stamp), what, issue.Code, issue.Status, issue.Version, payout)
}
