package complaints_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	complaints "github.com/complaints-lib/complaints/bindings/go"
)

var start = time.Date(2026, time.November, 23, 8, 30, 0, 0, time.UTC)

// fixture is a desk on a fixed clock with the quickstart's people and booking.
type fixture struct {
	t                                        *testing.T
	desk                                     *complaints.Desk
	now                                      time.Time
	office, admin, tech, casey, mailer, paid *complaints.Actor
	booking                                  complaints.RecordRef
}

// openFixtureDesk opens the fixture's desk: in memory, or (postgres_test.go)
// on PostgreSQL while the fixture's tests run again there.
var openFixtureDesk = func(t *testing.T) (*complaints.Desk, error) {
	return complaints.OpenMemory(complaints.WithClock(start))
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	desk, err := openFixtureDesk(t)
	if err != nil {
		t.Fatalf("opening the fixture's desk: %v", err)
	}
	f := &fixture{t: t, desk: desk, now: start, booking: complaints.BookingRef("BK-2041")}
	f.office = f.actor("olivia", complaints.RoleOffice, complaints.PermEditIssues)
	f.admin = f.actor("adam", complaints.RoleAdmin, complaints.AllPermissions)
	f.tech = f.actor("tariq", complaints.RoleFieldworker)
	f.casey = f.actor("casey", complaints.RoleCustomer)
	f.mailer = f.actor("mailer", complaints.RoleSystem)
	f.paid = f.actor("payroll", complaints.RoleSystem)
	t.Cleanup(func() { desk.Close() })
	f.must(desk.PutRecord(f.office, complaints.Record{
		RecordRef: f.booking, CustomerID: "casey", Fieldworkers: []string{"tariq"},
	}))
	return f
}

func (f *fixture) actor(id string, role complaints.Role, perms ...complaints.Permission) *complaints.Actor {
	f.t.Helper()
	a, err := complaints.NewActor(id, role, perms...)
	if err != nil {
		f.t.Fatalf("NewActor(%s): %v", id, err)
	}
	f.t.Cleanup(func() { a.Close() })
	return a
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// advance moves the desk's clock forward.
func (f *fixture) advance(d time.Duration) {
	f.t.Helper()
	f.now = f.now.Add(d)
	f.must(f.desk.SetClock(f.now))
}

func (f *fixture) report(description string) complaints.Issue {
	f.t.Helper()
	issue, err := f.desk.Report(f.office, complaints.ReportRequest{
		Record: f.booking, Type: "Unsatisfactory Job", Description: description,
	})
	f.must(err)
	return issue
}

func (f *fixture) act(a *complaints.Actor, issue complaints.Issue, action string, inputs map[string]string) complaints.Issue {
	f.t.Helper()
	next, err := f.desk.Act(a, issue.Code, complaints.ActionRequest{Action: action, Inputs: inputs, ExpectedVersion: issue.Version})
	if err != nil {
		f.t.Fatalf("%s %s: %v", a, action, err)
	}
	return next
}

func (f *fixture) mayPay() bool {
	f.t.Helper()
	d, err := f.desk.MayPay(f.paid, f.booking, "tariq")
	f.must(err)
	return d.MayPay
}

// expectCode checks err is an *Error of code `want`, through errors.Is and errors.As.
func expectCode(t *testing.T, err error, sentinel error, want complaints.Code) *complaints.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("expected a %v error, got none", want)
	}
	if !errors.Is(err, sentinel) {
		t.Fatalf("errors.Is(%v, %v) is false", err, sentinel)
	}
	var e *complaints.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%T) failed", err)
	}
	if e.Code != want {
		t.Fatalf("code %v, want %v", e.Code, want)
	}
	for _, other := range []error{complaints.ErrNotFound, complaints.ErrForbidden, complaints.ErrInvalidInput,
		complaints.ErrConflict, complaints.ErrInvalidWorkflow, complaints.ErrStorage, complaints.ErrInvalidState,
		complaints.ErrInternal, complaints.ErrMisuse} {
		if other != sentinel && errors.Is(err, other) {
			t.Fatalf("%v also matches %v", err, other)
		}
	}
	return e
}

func TestVersion(t *testing.T) {
	if complaints.VersionNumber() != complaints.HeaderVersionNumber {
		t.Fatalf("linked %d, header %d", complaints.VersionNumber(), complaints.HeaderVersionNumber)
	}
	if complaints.Version() != "0.1.0" {
		t.Fatalf("Version() = %q", complaints.Version())
	}
}

func TestBookingComplaintLifecycle(t *testing.T) {
	f := newFixture(t)
	var (
		mu      sync.Mutex
		actions []string
	)
	sub, err := f.desk.On(complaints.EventStatusChanged, func(e complaints.Event) {
		mu.Lock()
		defer mu.Unlock()
		actions = append(actions, e.Kind.String()+":"+e.Action+":"+e.Issue.Status)
	})
	f.must(err)

	issue := f.report("Hot water system still leaks after Tuesday's repair.")
	if issue.Code != "CMP-00001" || issue.Status != "New" || issue.Version != 1 || issue.Category != complaints.CategoryOpen {
		t.Fatalf("reported: %+v", issue)
	}
	if !issue.CreatedAt.Equal(start) || issue.ReporterRole != complaints.RoleOffice || issue.Channel != complaints.ChannelOffice {
		t.Fatalf("reported: %+v", issue)
	}
	if len(issue.Fieldworkers) != 1 || issue.Fieldworkers[0] != "tariq" || issue.Record != f.booking {
		t.Fatalf("reported: %+v", issue)
	}
	if f.mayPay() {
		t.Fatal("the payout must be withheld once the complaint is logged")
	}
	d, err := f.desk.MayPay(f.paid, f.booking, "tariq")
	f.must(err)
	if len(d.Blocking) != 1 || d.Blocking[0] != issue.Code || d.Hold == nil || d.Hold.State != complaints.HoldWithheld || d.Reason == "" {
		t.Fatalf("decision: %+v", d)
	}

	steps := []struct {
		who    *complaints.Actor
		after  time.Duration
		action string
		inputs map[string]string
		status string
		pay    bool
	}{
		{f.office, 2 * time.Hour, "schedule_follow_up", map[string]string{"date": "2026-11-25"}, "In Progress", false},
		{f.tech, 50 * time.Hour, "resolve", map[string]string{"note": "Replaced the pressure valve."}, "Awaiting Approval", false},
		{f.admin, 3 * time.Hour, "send_back", map[string]string{"note": "Please upload a photo of the new valve."}, "In Progress", false},
		{f.tech, 20 * time.Hour, "resolve", map[string]string{"note": "Photo uploaded."}, "Awaiting Approval", false},
		{f.admin, 1 * time.Hour, "approve", nil, "Closed", true},
		{f.admin, 48 * time.Hour, "reopen", map[string]string{"note": "Customer reports a drip again."}, "Reopened", false},
		{f.admin, 4 * time.Hour, "close", map[string]string{"note": "Drip was condensation."}, "Closed", true},
	}
	for i, s := range steps {
		f.advance(s.after)
		before := issue.Version
		issue = f.act(s.who, issue, s.action, s.inputs)
		if issue.Status != s.status || issue.Version != before+1 || !issue.UpdatedAt.Equal(f.now) {
			t.Fatalf("step %d (%s): %+v", i, s.action, issue)
		}
		if got := f.mayPay(); got != s.pay {
			t.Fatalf("step %d (%s): may pay %v, want %v", i, s.action, got, s.pay)
		}
	}
	if !issue.IsClosed() || issue.FollowUpDate == nil || *issue.FollowUpDate != (complaints.Date{Year: 2026, Month: time.November, Day: 25}) {
		t.Fatalf("final: %+v", issue)
	}

	timeline, err := f.desk.Timeline(f.admin, issue.Code)
	f.must(err)
	var got []string
	for i, e := range timeline {
		if e.Seq != int64(i+1) || e.IssueCode != issue.Code {
			t.Fatalf("entry %d: %+v", i, e)
		}
		if e.Kind == "action" {
			got = append(got, e.ActorID+" "+e.Action)
		} else if e.Kind == "reported" {
			got = append(got, e.ActorID+" reported")
		}
	}
	want := []string{"olivia reported", "olivia schedule_follow_up", "tariq resolve", "adam send_back",
		"tariq resolve", "adam approve", "adam reopen", "adam close"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("timeline:\n got %v\nwant %v", got, want)
	}
	if !timeline[0].At.Equal(start) || !timeline[len(timeline)-1].At.Equal(f.now) {
		t.Fatalf("timeline times: first %v, last %v", timeline[0].At, timeline[len(timeline)-1].At)
	}
	for _, e := range timeline {
		if e.Action == "send_back" {
			c, ok := e.Change("status")
			if !ok || c.Before != "Awaiting Approval" || c.After != "In Progress" {
				t.Fatalf("send_back changes: %+v", e.Changes)
			}
			if e.Note != "Please upload a photo of the new valve." || e.ActorRole != complaints.RoleAdmin {
				t.Fatalf("send_back: %+v", e)
			}
		}
	}
	check, err := f.desk.Verify(f.admin, issue.Code)
	f.must(err)
	if !check.OK || check.Entries != int64(len(timeline)) || check.BrokenSeq != nil {
		t.Fatalf("verify: %+v", check)
	}

	f.must(f.desk.Off(sub))
	mu.Lock()
	events := strings.Join(actions, ", ")
	mu.Unlock()
	wantEvents := "status_changed:schedule_follow_up:In Progress, status_changed:resolve:Awaiting Approval, " +
		"status_changed:send_back:In Progress, status_changed:resolve:Awaiting Approval, status_changed:approve:Closed, " +
		"status_changed:reopen:Reopened, status_changed:close:Closed"
	if events != wantEvents {
		t.Fatalf("events:\n got %s\nwant %s", events, wantEvents)
	}

	report, err := f.desk.HoldReport(f.admin, start.Add(-time.Hour), f.now.Add(time.Hour))
	f.must(err)
	var ledger []string
	for _, l := range report.Entries {
		ledger = append(ledger, string(l.Action))
	}
	if strings.Join(ledger, " ") != "withheld released reapplied released" {
		t.Fatalf("ledger: %v", ledger)
	}
}

func TestPaymentHolds(t *testing.T) {
	f := newFixture(t)
	f.must(f.desk.PutRecord(f.office, complaints.Record{
		RecordRef: complaints.BookingRef("BK-2042"), CustomerID: "casey", Fieldworkers: []string{"tariq", "uma"},
	}))
	issue, err := f.desk.Report(f.office, complaints.ReportRequest{
		Record: complaints.BookingRef("BK-2042"), Type: "Damage Caused", Description: "Scratched the floor.",
		Fieldworkers: []string{"uma"},
		HoldAmounts:  map[string]complaints.Money{"uma": {Minor: 18000, Currency: "AUD"}},
	})
	f.must(err)
	if len(issue.Fieldworkers) != 1 || issue.Fieldworkers[0] != "uma" {
		t.Fatalf("fieldworkers: %v", issue.Fieldworkers)
	}
	decisions, err := f.desk.MayPayMany(f.paid, []complaints.PayQuery{
		{Record: complaints.BookingRef("BK-2042"), Fieldworker: "tariq"},
		{Record: complaints.BookingRef("BK-2042"), Fieldworker: "uma"},
	})
	f.must(err)
	if len(decisions) != 2 || !decisions[0].MayPay || decisions[1].MayPay {
		t.Fatalf("decisions: %+v", decisions)
	}
	if a := decisions[1].Hold.Amount; a == nil || *a != (complaints.Money{Minor: 18000, Currency: "AUD"}) {
		t.Fatalf("amount: %+v", decisions[1].Hold)
	}

	f.advance(72 * time.Hour)
	d, err := f.desk.MayPay(f.paid, complaints.BookingRef("BK-2042"), "uma")
	f.must(err)
	if d.Age() != 72*time.Hour {
		t.Fatalf("age %v", d.Age())
	}
	stalled, err := f.desk.StalledHolds(f.admin, 3)
	f.must(err)
	if len(stalled) != 1 || stalled[0].Fieldworker != "uma" {
		t.Fatalf("stalled: %+v", stalled)
	}
	holds, err := f.desk.Holds(f.admin, complaints.HoldFilter{State: complaints.HoldWithheld, Fieldworker: "uma"})
	f.must(err)
	if len(holds) != 1 || holds[0].Blocking[0] != issue.Code || !holds[0].Since.Equal(start) {
		t.Fatalf("holds: %+v", holds)
	}

	// Release needs every linked issue closed, or an admin's override.
	_, err = f.desk.Release(f.admin, complaints.ReleaseRequest{Record: complaints.BookingRef("BK-2042"), Fieldworker: "uma", Reason: "early"})
	expectCode(t, err, complaints.ErrInvalidState, complaints.CodeInvalidState)
	hold, err := f.desk.Release(f.admin, complaints.ReleaseRequest{
		Record: complaints.BookingRef("BK-2042"), Fieldworker: "uma", Reason: "Hardship", Override: true,
	})
	f.must(err)
	if hold.State != complaints.HoldReleased || hold.ReleasedAt == nil || !hold.ReleasedAt.Equal(f.now) {
		t.Fatalf("released: %+v", hold)
	}

	// A billing dispute, by hand.
	hold, err = f.desk.Withhold(f.office, complaints.HoldRequest{
		Record: complaints.BookingRef("BK-2042"), Fieldworker: "tariq",
		Amount: &complaints.Money{Minor: 125050, Currency: "AUD"}, Scope: complaints.ScopeWhole, Reason: "Disputed call-out fee",
	})
	f.must(err)
	if hold.State != complaints.HoldWithheld || hold.Scope != complaints.ScopeWhole {
		t.Fatalf("withheld: %+v", hold)
	}
	report, err := f.desk.HoldReport(f.admin, start, f.now.Add(time.Second))
	f.must(err)
	if report.WithheldCount != 2 || report.ReleasedCount != 1 || len(report.Withheld) != 1 ||
		report.Withheld[0].Minor != 18000+125050 || !report.Entries[1].OverrideRelease {
		t.Fatalf("report: %+v", report)
	}
}

func TestStaffBusinessIsForbidden(t *testing.T) {
	f := newFixture(t)
	amount := map[string]complaints.Money{"tariq": {Minor: 5000, Currency: "AUD"}}
	_, err := f.desk.Report(f.casey, complaints.ReportRequest{
		Record: f.booking, Type: "Damage Caused", Description: "Scratched.", HoldAmounts: amount})
	if e := expectCode(t, err, complaints.ErrForbidden, complaints.CodeForbidden); e.Where != "hold_amounts" {
		t.Fatalf("refusal names %q", e.Where)
	}
	_, err = f.desk.Report(f.casey, complaints.ReportRequest{
		Record: f.booking, Type: "Damage Caused", Description: "Scratched.", Fieldworkers: []string{"tariq"}})
	if e := expectCode(t, err, complaints.ErrForbidden, complaints.CodeForbidden); e.Where != "fieldworkers" {
		t.Fatalf("refusal names %q", e.Where)
	}
	f.must(f.desk.PutUser(f.admin, complaints.User{ID: "adam", Role: complaints.RoleAdmin, Name: "Adam"}))
	err = f.desk.PutUser(f.office, complaints.User{ID: "adam", Role: complaints.RoleOffice, Name: "Adam"})
	if e := expectCode(t, err, complaints.ErrForbidden, complaints.CodeForbidden); e.Where != "actor.permissions" {
		t.Fatalf("refusal names %q", e.Where)
	}
}

func TestCommentsAndVisibility(t *testing.T) {
	f := newFixture(t)
	issue := f.report("Hot water system still leaks.")
	f.must(f.desk.PutUser(f.admin, complaints.User{ID: "tariq", Role: complaints.RoleFieldworker, Name: "Tariq Aziz"}))

	internal, err := f.desk.AddComment(f.office, issue.Code, complaints.CommentRequest{
		Body: "Valve on back-order, @tariq please fit it Tuesday.",
	})
	f.must(err)
	if !internal.Internal || len(internal.Mentions) != 1 || internal.Mentions[0] != "tariq" {
		t.Fatalf("internal comment: %+v", internal)
	}
	public, err := f.desk.AddComment(f.office, issue.Code, complaints.CommentRequest{
		Body: "We will be back on Tuesday to replace the valve.", Public: true,
		Attachments: []complaints.AttachmentRequest{{Name: "quote.txt", MediaType: "text/plain", Bytes: []byte("valve: $80")}},
	})
	f.must(err)
	if public.Internal || len(public.Attachments) != 1 {
		t.Fatalf("public comment: %+v", public)
	}
	reply, err := f.desk.AddComment(f.casey, issue.Code, complaints.CommentRequest{Body: "Thanks!", ReplyTo: public.ID})
	f.must(err)
	if reply.Internal || reply.ReplyTo == nil || *reply.ReplyTo != public.ID || reply.AuthorRole != complaints.RoleCustomer {
		t.Fatalf("reply: %+v", reply)
	}

	// The customer sees the public thread only; staff see everything.
	mine, err := f.desk.Comments(f.casey, issue.Code)
	f.must(err)
	if len(mine) != 2 || mine[0].ID != public.ID || mine[1].ID != reply.ID {
		t.Fatalf("customer sees %+v", mine)
	}
	all, err := f.desk.Comments(f.office, issue.Code)
	f.must(err)
	if len(all) != 3 {
		t.Fatalf("office sees %d comments", len(all))
	}
	// Replying to an internal comment is refused to a customer, who cannot see it.
	_, err = f.desk.AddComment(f.casey, issue.Code, complaints.CommentRequest{Body: "?", ReplyTo: internal.ID})
	if err == nil {
		t.Fatal("a customer replied to an internal comment")
	}
	found, err := f.desk.Search(f.casey, "back-order", 10)
	f.must(err)
	if len(found) != 0 {
		t.Fatalf("search leaks the internal comment: %+v", found)
	}
	found, err = f.desk.Search(f.office, "BACK-ORDER", 10)
	f.must(err)
	if len(found) != 1 || found[0].Code != issue.Code {
		t.Fatalf("search: %+v", found)
	}

	// An attachment kept by the library, and one kept by the host.
	photo := bytes.Repeat([]byte{0xff, 0xd8, 0x00, 0x01}, 100)
	att, err := f.desk.Attach(f.tech, issue.Code, complaints.AttachmentRequest{Name: "valve.jpg", MediaType: "image/jpeg", Bytes: photo})
	f.must(err)
	if att.Size != int64(len(photo)) || len(att.SHA256) != 64 || !att.Internal || att.UploadedBy != "tariq" {
		t.Fatalf("attachment: %+v", att)
	}
	back, err := f.desk.AttachmentBytes(f.office, att.ID)
	f.must(err)
	if !bytes.Equal(back, photo) {
		t.Fatal("attachment bytes differ")
	}
	_, err = f.desk.AttachmentBytes(f.casey, att.ID)
	expectCode(t, err, complaints.ErrNotFound, complaints.CodeNotFound)
	_, err = f.desk.Attach(f.office, issue.Code, complaints.AttachmentRequest{
		Name: "signature.png", MediaType: "image/png", StorageKey: "s3://bucket/sig.png", Size: 2048,
		SHA256: strings.Repeat("ab", 32), Visibility: complaints.AttachmentPublic,
	})
	f.must(err)
	atts, err := f.desk.Attachments(f.casey, issue.Code)
	f.must(err)
	if len(atts) != 2 { // the public comment's and the public signature
		t.Fatalf("customer sees attachments %+v", atts)
	}

	// An internal file on a public comment stays internal; a public one on an
	// internal comment is refused, naming the flag.
	mixed, err := f.desk.AddComment(f.office, issue.Code, complaints.CommentRequest{
		Body: "New valve fitted.", Public: true,
		Attachments: []complaints.AttachmentRequest{
			{Name: "after.jpg", MediaType: "image/jpeg", Bytes: []byte("after")},
			{Name: "supplier-invoice.pdf", MediaType: "application/pdf", Bytes: []byte("%PDF"), Visibility: complaints.AttachmentInternal},
		},
	})
	f.must(err)
	if len(mixed.Attachments) != 2 || mixed.Attachments[0].Internal || !mixed.Attachments[1].Internal {
		t.Fatalf("mixed comment: %+v", mixed)
	}
	theirs, err := f.desk.Comments(f.casey, issue.Code)
	f.must(err)
	if last := theirs[len(theirs)-1]; last.ID != mixed.ID || len(last.Attachments) != 1 || last.Attachments[0].Name != "after.jpg" {
		t.Fatalf("customer sees the mixed comment as %+v", last)
	}
	_, err = f.desk.AddComment(f.office, issue.Code, complaints.CommentRequest{
		Body:        "Staff only.",
		Attachments: []complaints.AttachmentRequest{{Name: "a.jpg", MediaType: "image/jpeg", Bytes: []byte("a"), Visibility: complaints.AttachmentPublic}},
	})
	if e := expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput); e.Where != "attachments[0].internal" {
		t.Fatalf("refusal names %q", e.Where)
	}
	_, err = f.desk.Attach(f.office, issue.Code, complaints.AttachmentRequest{Name: "x.jpg", MediaType: "image/jpeg", Bytes: []byte("x"), Visibility: "secret"})
	expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput)

	// The customer's timeline has no internal entries, nor internal files' names.
	tl, err := f.desk.Timeline(f.casey, issue.Code)
	f.must(err)
	for _, e := range tl {
		if e.Internal || strings.Contains(e.Note, "back-order") || strings.Contains(fmt.Sprint(e.Changes), "supplier-invoice") {
			t.Fatalf("customer sees %+v", e)
		}
	}
}

func TestTemplatePreviewAndSend(t *testing.T) {
	f := newFixture(t)
	f.must(f.desk.PutUser(f.office, complaints.User{ID: "casey", Role: complaints.RoleCustomer, Name: "Casey Jones"}))
	settings, err := f.desk.MessageSettings(f.admin)
	f.must(err)
	settings.Acknowledgement = complaints.AckPreview
	settings.Branding.CompanyName = "Hot Water Heroes"
	f.must(f.desk.SetMessageSettings(f.admin, settings))
	issue := f.report("Hot water system still leaks.")

	names, err := f.desk.Templates(f.admin)
	f.must(err)
	if !contains(names, complaints.TemplateAcknowledgement) || !contains(names, complaints.TemplateFinalResolution) {
		t.Fatalf("templates: %v", names)
	}
	msgs, err := f.desk.PreviewMessage(f.office, issue.Code, complaints.TemplateAcknowledgement, complaints.AudienceCustomer)
	f.must(err)
	if len(msgs) != 1 || msgs[0].Recipient != "casey" || msgs[0].OutboxID != 0 || msgs[0].Template != "acknowledgement" {
		t.Fatalf("preview: %+v", msgs)
	}
	if !strings.Contains(msgs[0].Subject+msgs[0].BodyText, issue.Code) || !strings.Contains(msgs[0].BodyText, "Casey") ||
		!strings.Contains(msgs[0].BodyHTML, "Hot Water Heroes") {
		t.Fatalf("preview: %+v", msgs[0])
	}

	// Customise the subject; a bad merge tag is refused with where it is.
	tpl, err := f.desk.Template(f.admin, complaints.TemplateAcknowledgement)
	f.must(err)
	if !tpl.Builtin {
		t.Fatal("the acknowledgement should be the built-in one")
	}
	tpl.Subject = "Thanks {{customer_first_name}}, we're on it ({{complaint_number}})"
	f.must(f.desk.SaveTemplate(f.admin, tpl))
	msgs, err = f.desk.PreviewMessage(f.office, issue.Code, complaints.TemplateAcknowledgement, "")
	f.must(err)
	if msgs[0].Subject != "Thanks Casey, we're on it ("+issue.Code+")" {
		t.Fatalf("subject: %q", msgs[0].Subject)
	}
	tpl.Subject = "Hi {{customer_firstname}}"
	e := expectCode(t, f.desk.SaveTemplate(f.admin, tpl), complaints.ErrInvalidInput, complaints.CodeInvalidInput)
	if !strings.Contains(e.Message, "customer_firstname") {
		t.Fatalf("message: %q", e.Message)
	}
	f.must(f.desk.ResetTemplate(f.admin, complaints.TemplateAcknowledgement))

	sent, err := f.desk.SendMessage(f.office, issue.Code, complaints.TemplateAcknowledgement, complaints.AudienceCustomer)
	f.must(err)
	if len(sent) != 1 || sent[0].OutboxID == 0 {
		t.Fatalf("sent: %+v", sent)
	}
	reminder, err := f.desk.PreviewReminder(f.office, "tariq")
	f.must(err)
	if reminder.Recipient != "tariq" || !strings.Contains(reminder.BodyText, issue.Code) {
		t.Fatalf("reminder: %+v", reminder)
	}
}

func TestOutboxFetchAndAck(t *testing.T) {
	f := newFixture(t)
	issue := f.report("Hot water system still leaks.")
	f.act(f.tech, issue, "resolve", nil)

	items, err := f.desk.OutboxPending(f.mailer, 100, 0)
	f.must(err)
	if len(items) == 0 {
		t.Fatal("nothing to deliver")
	}
	keys := map[string]bool{}
	var ids []int64
	var sawMessage bool
	for _, it := range items {
		if keys[it.IdempotencyKey] || it.ID == 0 || it.Recipient == "" {
			t.Fatalf("item: %+v", it)
		}
		keys[it.IdempotencyKey] = true
		ids = append(ids, it.ID)
		if it.Kind == complaints.OutboxMessage && it.Recipient == "casey" && it.Channel == complaints.DeliverEmail {
			sawMessage = true // the automatic acknowledgement
		}
	}
	if !sawMessage {
		t.Fatalf("no acknowledgement for casey in %+v", items)
	}
	// Paging.
	page, err := f.desk.OutboxPending(f.mailer, 1, ids[0])
	f.must(err)
	if len(items) > 1 && (len(page) != 1 || page[0].ID != ids[1]) {
		t.Fatalf("page: %+v", page)
	}

	n, err := f.desk.OutboxAck(f.mailer, ids[0])
	f.must(err)
	if n != 1 {
		t.Fatalf("acked %d", n)
	}
	n, err = f.desk.OutboxAck(f.mailer, append(ids, 999999)...)
	f.must(err)
	if n != len(ids)-1 {
		t.Fatalf("acked %d, want %d", n, len(ids)-1)
	}
	if n, err = f.desk.OutboxAck(f.mailer); err != nil || n != 0 {
		t.Fatalf("empty ack: %d, %v", n, err)
	}
	items, err = f.desk.OutboxPending(f.mailer, 100, 0)
	f.must(err)
	if len(items) != 0 {
		t.Fatalf("still pending: %+v", items)
	}
	_, err = f.desk.OutboxPending(f.office, 100, 0)
	expectCode(t, err, complaints.ErrForbidden, complaints.CodeForbidden)
}

// docs/c-api.md: a limit is 1 to 10,000; a Go int past a C int must not wrap into range.
func TestLimitsOutOfRangeAreRefusedNeverWrapped(t *testing.T) {
	f := newFixture(t)
	f.report("Hot water system still leaks.")
	calls := map[string]func(n int) error{
		"Search":        func(n int) error { _, err := f.desk.Search(f.office, "leaks", n); return err },
		"ProcessDue":    func(n int) error { _, err := f.desk.ProcessDue(f.mailer, n); return err },
		"OutboxPending": func(n int) error { _, err := f.desk.OutboxPending(f.mailer, n, 0); return err },
	}
	for name, call := range calls {
		if err := call(10000); err != nil {
			t.Fatalf("%s(10000): %v", name, err)
		}
		for _, n := range []int{0, -1, 10001, 1<<32 + 5, -(1 << 32) + 5, math.MaxInt} {
			e := expectCode(t, call(n), complaints.ErrInvalidInput, complaints.CodeInvalidInput)
			if e.Where != "limit" || !strings.Contains(e.Message, "from 1 to 10000") {
				t.Fatalf("%s(%d): %+v", name, n, e)
			}
		}
	}
	// Days past a C int ask for holds older than anything: none, not those of 5 days.
	if holds, err := f.desk.StalledHolds(f.office, 0); err != nil || len(holds) != 1 {
		t.Fatalf("stalled holds: %v, %v", holds, err)
	}
	if holds, err := f.desk.StalledHolds(f.office, 1<<32); err != nil || len(holds) != 0 {
		t.Fatalf("stalled holds of 2^32 days: %v, %v", holds, err)
	}
	_, err := f.desk.StalledHolds(f.office, -(1 << 32))
	if e := expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput); e.Where != "days" {
		t.Fatalf("negative days: %+v", e)
	}
}

// A role, permission or event kind past what C holds is misuse, never wrapped
// into a valid one (Role(1<<32) is not the admin role).
func TestEnumsPastACIntAreMisuse(t *testing.T) {
	f := newFixture(t)
	if _, err := complaints.NewActor("x", complaints.Role(1<<32)); err == nil {
		t.Fatal("Role(1<<32) made an actor")
	} else {
		expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
	}
	_, err := complaints.NewActor("x", complaints.RoleOffice, complaints.Permission(1<<32)|complaints.PermManageSettings)
	expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
	_, err = f.desk.On(complaints.EventKind(1<<32-1), func(complaints.Event) {})
	expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
}

func TestEvents(t *testing.T) {
	f := newFixture(t)
	var (
		mu    sync.Mutex
		kinds []string
		seen  []string
	)
	any, err := f.desk.On(complaints.EventAny, func(e complaints.Event) {
		mu.Lock()
		kinds = append(kinds, e.Kind.String())
		mu.Unlock()
	})
	f.must(err)
	// A handler may call the desk back.
	reported, err := f.desk.On(complaints.EventIssueReported, func(e complaints.Event) {
		issue, err := f.desk.Get(f.admin, e.IssueCode)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			seen = append(seen, "error: "+err.Error())
			return
		}
		seen = append(seen, fmt.Sprintf("%s %s by %s at %s", issue.Code, issue.Status, e.ActorID, e.At.Format(time.RFC3339)))
	})
	f.must(err)
	// A handler that panics does not break the call or the other handlers.
	_, err = f.desk.On(complaints.EventIssueReported, func(complaints.Event) { panic("host bug") })
	f.must(err)

	issue := f.report("Hot water system still leaks.")
	f.must(f.desk.Off(reported))
	f.report("And the tap drips.")
	f.must(f.desk.Off(any))
	f.act(f.tech, issue, "resolve", nil)

	mu.Lock()
	defer mu.Unlock()
	if want := "CMP-00001 New by olivia at 2026-11-23T08:30:00Z"; len(seen) != 1 || seen[0] != want {
		t.Fatalf("handler saw %v, want [%s]", seen, want)
	}
	if !contains(kinds, "issue_reported") || !contains(kinds, "payment_withheld") || contains(kinds, "status_changed") {
		t.Fatalf("kinds: %v", kinds)
	}
	err = f.desk.Off(reported)
	expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
	_, err = f.desk.On(complaints.EventKind(99), func(complaints.Event) {})
	expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
}

func TestErrors(t *testing.T) {
	f := newFixture(t)
	issue := f.report("Hot water system still leaks.")

	t.Run("not found", func(t *testing.T) {
		_, err := f.desk.Get(f.admin, "CMP-00999")
		e := expectCode(t, err, complaints.ErrNotFound, complaints.CodeNotFound)
		if e.Message == "" || !strings.HasPrefix(err.Error(), "complaints: not found") {
			t.Fatalf("error: %q", err)
		}
		// An issue the actor may not see is not found either.
		other := f.actor("otto", complaints.RoleCustomer)
		_, err = f.desk.Get(other, issue.Code)
		expectCode(t, err, complaints.ErrNotFound, complaints.CodeNotFound)
	})

	t.Run("forbidden", func(t *testing.T) {
		f.act(f.tech, f.mustGet(issue.Code), "resolve", nil)
		_, err := f.desk.Act(f.tech, issue.Code, complaints.ActionRequest{Action: "approve"})
		e := expectCode(t, err, complaints.ErrForbidden, complaints.CodeForbidden)
		if e.Message == "" {
			t.Fatal("no message")
		}
		got := f.mustGet(issue.Code)
		if got.Status != "Awaiting Approval" {
			t.Fatalf("status changed to %s", got.Status)
		}
	})

	t.Run("invalid input names the field", func(t *testing.T) {
		cur := f.mustGet(issue.Code)
		f.act(f.admin, cur, "send_back", nil)
		_, err := f.desk.Act(f.office, issue.Code, complaints.ActionRequest{
			Action: "schedule_follow_up", Inputs: map[string]string{"date": "2026-02-30"},
		})
		e := expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput)
		if !strings.Contains(e.Where, "date") {
			t.Fatalf("where %q (message %q)", e.Where, e.Message)
		}
		_, err = f.desk.Report(f.office, complaints.ReportRequest{
			Record: f.booking, Type: "Late Service", Description: "x",
			FollowUpDate: &complaints.Date{Year: 2026, Month: time.February, Day: 30},
		})
		e = expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput)
		if e.Where != "follow_up_date" {
			t.Fatalf("where %q (message %q)", e.Where, e.Message)
		}
		_, err = f.desk.Report(f.office, complaints.ReportRequest{Record: f.booking, Type: "No Such Type", Description: "x"})
		e = expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput)
		if e.Where != "type" {
			t.Fatalf("where %q (message %q)", e.Where, e.Message)
		}
		_, err = f.desk.Get(f.admin, "CMP-00001\x00; DROP TABLE")
		e = expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput)
		if e.Where != "code" {
			t.Fatalf("where %q", e.Where)
		}
	})

	t.Run("conflict on a stale version", func(t *testing.T) {
		cur := f.mustGet(issue.Code)
		_, err := f.desk.Act(f.office, issue.Code, complaints.ActionRequest{
			Action: "schedule_follow_up", Inputs: map[string]string{"date": "2026-11-30"}, ExpectedVersion: cur.Version - 1,
		})
		expectCode(t, err, complaints.ErrConflict, complaints.CodeConflict)
		desc := "edited"
		_, err = f.desk.Edit(f.office, issue.Code, complaints.IssueEdit{Description: &desc, ExpectedVersion: 1})
		expectCode(t, err, complaints.ErrConflict, complaints.CodeConflict)
		if got := f.mustGet(issue.Code); got.Version != cur.Version {
			t.Fatalf("version moved from %d to %d", cur.Version, got.Version)
		}
	})

	t.Run("invalid state", func(t *testing.T) {
		_, err := f.desk.Act(f.admin, issue.Code, complaints.ActionRequest{Action: "reopen"})
		expectCode(t, err, complaints.ErrInvalidState, complaints.CodeInvalidState)
	})

	t.Run("invalid workflow", func(t *testing.T) {
		err := f.desk.InstallWorkflow(f.admin, []byte(`{"name": "broken", "initial": `))
		e := expectCode(t, err, complaints.ErrInvalidWorkflow, complaints.CodeInvalidWorkflow)
		if e.Where != "$" {
			t.Fatalf("where %q (message %q)", e.Where, e.Message)
		}
		doc := []byte(`{"name": "tiny", "initial": "Open",
			"statuses": [{"name": "Open", "category": "open"}, {"name": "Done", "category": "closed"}],
			"actions": [{"name": "finish", "from": ["Opne"], "to": "Done", "allow": ["office"]}]}`)
		err = f.desk.InstallWorkflow(f.admin, doc)
		e = expectCode(t, err, complaints.ErrInvalidWorkflow, complaints.CodeInvalidWorkflow)
		if !strings.HasPrefix(e.Where, "$.actions[0]") {
			t.Fatalf("where %q (message %q)", e.Where, e.Message)
		}
		problems, err := complaints.ValidateWorkflow(doc)
		f.must(err)
		if len(problems) == 0 || problems[0].Path != e.Where {
			t.Fatalf("problems: %+v", problems)
		}
		fixed := bytes.Replace(doc, []byte("Opne"), []byte("Open"), 1)
		if problems, err = complaints.ValidateWorkflow(fixed); err != nil || len(problems) != 0 {
			t.Fatalf("valid workflow: %v %v", problems, err)
		}
		// Installing needs manage_settings.
		err = f.desk.InstallWorkflow(f.office, fixed)
		expectCode(t, err, complaints.ErrForbidden, complaints.CodeForbidden)
		f.must(f.desk.InstallWorkflow(f.admin, fixed))
	})

	t.Run("misuse", func(t *testing.T) {
		_, err := complaints.NewActor("", complaints.RoleOffice)
		expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput)
		_, err = complaints.NewActor("x", complaints.Role(42))
		expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
		_, err = f.desk.Get(nil, issue.Code)
		expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
		gone := f.actor("gone", complaints.RoleAdmin)
		gone.Close()
		gone.Close()
		_, err = f.desk.Get(gone, issue.Code)
		expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
		err = f.desk.SetClock(time.Now()) // fine: the fixture's desk has a clock
		f.must(err)
		f.must(f.desk.SetClock(f.now))
		mem, err := complaints.OpenMemory()
		f.must(err)
		expectCode(t, mem.SetClock(time.Now()), complaints.ErrMisuse, complaints.CodeMisuse)
		mem.Close()
		_, err = mem.Workflows(f.admin)
		expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
		_, err = complaints.OpenSQLite(filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"))
		expectCode(t, err, complaints.ErrStorage, complaints.CodeStorage)
	})
}

func TestSettingsAndRecords(t *testing.T) {
	f := newFixture(t)
	names, err := f.desk.Workflows(f.tech)
	f.must(err)
	if !contains(names, complaints.WorkflowFieldService) {
		t.Fatalf("workflows: %v", names)
	}
	doc, err := f.desk.Workflow(f.tech, complaints.WorkflowFieldService)
	f.must(err)
	if !bytes.Contains(doc, []byte(`"Awaiting Approval"`)) {
		t.Fatalf("workflow: %s", doc)
	}
	f.must(f.desk.InstallBuiltinWorkflow(f.admin, complaints.WorkflowStagedEscalation))
	err = f.desk.InstallBuiltinWorkflow(f.admin, "no-such-workflow")
	expectCode(t, err, complaints.ErrNotFound, complaints.CodeNotFound)

	f.must(f.desk.AddIssueType(f.admin, complaints.IssueType{Name: "Noise", Colour: "#112233"}))
	types, err := f.desk.IssueTypes(f.office)
	f.must(err)
	if !contains(typeNames(types), "Noise") || !contains(typeNames(types), "Unsatisfactory Job") {
		t.Fatalf("types: %+v", types)
	}
	f.must(f.desk.AddStatus(f.admin, complaints.WorkflowFieldService, complaints.StatusDef{
		Name: "Pending External Review", Colour: "#00AAFF", Category: complaints.CategoryActive,
	}))
	issue := f.report("Noisy pump.")
	issue = f.act(f.office, issue, "change_status", map[string]string{"status": "Pending External Review"})
	if issue.Status != "Pending External Review" || issue.Category != complaints.CategoryActive {
		t.Fatalf("custom status: %+v", issue)
	}
	// A custom status is reached and left through the category-based actions.
	actions, err := f.desk.Actions(f.admin, issue.Code)
	f.must(err)
	if !contains(actions, "close") || !contains(actions, "change_status") || contains(actions, "approve") {
		t.Fatalf("admin actions: %v", actions)
	}
	if actions, err = f.desk.Actions(f.tech, issue.Code); err != nil || len(actions) != 0 {
		t.Fatalf("tech actions: %v %v", actions, err)
	}

	// Users and settings.
	f.must(f.desk.PutUser(f.admin, complaints.User{ID: "tariq", Role: complaints.RoleFieldworker, Name: "Tariq Aziz"}))
	u, err := f.desk.User(f.tech, "tariq")
	f.must(err)
	if u.Name != "Tariq Aziz" || u.Settings == nil || *u.Settings != complaints.DefaultNotificationSettings(complaints.RoleFieldworker) {
		t.Fatalf("user: %+v", u)
	}
	f.must(f.desk.SetNotificationSettings(f.tech, "tariq", complaints.NotificationSettings{Scope: complaints.ScopeMine, SMS: true}))
	u, err = f.desk.User(f.admin, "tariq")
	f.must(err)
	if u.Settings.Scope != complaints.ScopeMine || !u.Settings.SMS || u.Settings.Push {
		t.Fatalf("settings: %+v", u.Settings)
	}

	// Records, edits, lists, links, watchers, relinking and deletion.
	rec, err := f.desk.Record(f.casey, f.booking)
	f.must(err)
	if rec.CustomerID != "casey" || rec.Kind != complaints.Booking || rec.Visibility != complaints.VisibilityRestricted {
		t.Fatalf("record: %+v", rec)
	}
	desc, yes := "Noisy pump, rattles at night.", true
	due := complaints.Date{Year: 2026, Month: time.December, Day: 1}
	issue, err = f.desk.Edit(f.office, issue.Code, complaints.IssueEdit{
		Description: &desc, ToFollow: &yes, DeferredDate: &due, ExpectedVersion: issue.Version,
	})
	f.must(err)
	if issue.Description != desc || !issue.ToFollow || issue.DeferredDate == nil || *issue.DeferredDate != due {
		t.Fatalf("edited: %+v", issue)
	}
	issue, err = f.desk.Edit(f.office, issue.Code, complaints.IssueEdit{ClearDeferredDate: true})
	f.must(err)
	if issue.DeferredDate != nil {
		t.Fatalf("deferred date not cleared: %+v", issue)
	}
	toFollow := true
	list, err := f.desk.List(f.office, complaints.IssueFilter{ToFollow: &toFollow})
	f.must(err)
	if len(list) != 1 || list[0].Code != issue.Code {
		t.Fatalf("list: %+v", list)
	}
	second := f.report("Second complaint.")
	list, err = f.desk.List(f.office, complaints.IssueFilter{Open: true, Record: &f.booking, Limit: 1})
	f.must(err)
	if len(list) != 1 || list[0].Code != issue.Code {
		t.Fatalf("list: %+v", list)
	}
	from := start.Add(time.Minute)
	if list, err = f.desk.List(f.office, complaints.IssueFilter{CreatedFrom: &from}); err != nil || len(list) != 0 {
		t.Fatalf("list from: %+v %v", list, err)
	}

	f.must(f.desk.Link(f.office, second.Code, issue.Code, complaints.LinkDuplicateOf))
	links, err := f.desk.Links(f.office, issue.Code)
	f.must(err)
	if len(links) != 1 || links[0].OtherCode != second.Code || links[0].Outgoing || links[0].Kind != complaints.LinkDuplicateOf {
		t.Fatalf("links: %+v", links)
	}
	f.must(f.desk.Unlink(f.office, second.Code, issue.Code, complaints.LinkDuplicateOf))
	watchers, err := f.desk.Watch(f.office, issue.Code, "tariq")
	f.must(err)
	if len(watchers) != 1 || watchers[0] != "tariq" {
		t.Fatalf("watchers: %v", watchers)
	}
	if watchers, err = f.desk.Unwatch(f.tech, issue.Code, "tariq"); err != nil || len(watchers) != 0 {
		t.Fatalf("unwatch: %v %v", watchers, err)
	}

	f.must(f.desk.PutRecord(f.office, complaints.Record{RecordRef: complaints.QuoteRef("Q-7"), CustomerID: "casey"}))
	f.must(f.desk.PutRecord(f.office, complaints.Record{RecordRef: complaints.BookingRef("BK-7"), CustomerID: "casey", Fieldworkers: []string{"tariq"}}))
	q, err := f.desk.Report(f.casey, complaints.ReportRequest{Record: complaints.QuoteRef("Q-7"), Type: "Billing Dispute", Description: "Too dear."})
	f.must(err)
	if q.Channel != complaints.ChannelCustomerPortal || q.ReporterRole != complaints.RoleCustomer {
		t.Fatalf("customer report: %+v", q)
	}
	moved, err := f.desk.Relink(f.office, complaints.QuoteRef("Q-7"), complaints.BookingRef("BK-7"))
	f.must(err)
	if len(moved) != 1 || moved[0].Record != complaints.BookingRef("BK-7") {
		t.Fatalf("relinked: %+v", moved)
	}

	_, err = f.desk.Delete(f.office, q.Code)
	expectCode(t, err, complaints.ErrForbidden, complaints.CodeForbidden)
	gone, err := f.desk.Delete(f.admin, q.Code)
	f.must(err)
	if gone.Code != q.Code || gone.TimelineEntries < 2 {
		t.Fatalf("deleted: %+v", gone)
	}
	_, err = f.desk.Get(f.admin, q.Code)
	expectCode(t, err, complaints.ErrNotFound, complaints.CodeNotFound)
}

func TestSQLiteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "complaints.db")
	opts := []complaints.Option{
		complaints.WithSync(complaints.SyncNormal), complaints.WithBusyTimeout(2 * time.Second),
		complaints.WithCacheKiB(4096), complaints.WithReadConnections(2), complaints.WithClock(start),
	}
	desk, err := complaints.OpenSQLite(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	office := complaints.MustActor("olivia", complaints.RoleOffice, complaints.PermEditIssues)
	defer office.Close()
	tech := complaints.MustActor("tariq", complaints.RoleFieldworker)
	defer tech.Close()
	if err := desk.PutRecord(office, complaints.Record{RecordRef: complaints.BookingRef("BK-1"), CustomerID: "casey", Fieldworkers: []string{"tariq"}}); err != nil {
		t.Fatal(err)
	}
	issue, err := desk.Report(office, complaints.ReportRequest{Record: complaints.BookingRef("BK-1"), Type: "Other", Description: "Left a mess."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Act(tech, issue.Code, complaints.ActionRequest{Action: "resolve", ExpectedVersion: 1}); err != nil {
		t.Fatal(err)
	}
	if err := desk.Close(); err != nil {
		t.Fatal(err)
	}
	if err := desk.Close(); err != nil { // twice is fine
		t.Fatal(err)
	}

	desk, err = complaints.OpenSQLite(path, complaints.WithClock(start.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	got, err := desk.Get(office, issue.Code)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "Awaiting Approval" || got.Version != 2 || !got.CreatedAt.Equal(start) {
		t.Fatalf("reopened: %+v", got)
	}
	check, err := desk.Verify(office, issue.Code)
	if err != nil || !check.OK || check.Entries != 2 {
		t.Fatalf("verify: %+v %v", check, err)
	}
	_, err = complaints.OpenSQLite(path, complaints.WithClock(start), complaints.WithSync("sometimes"))
	expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput)
}

func TestReadOnlyAndScrub(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "complaints.db")
	office := complaints.MustActor("olivia", complaints.RoleOffice, complaints.PermEditIssues)
	defer office.Close()
	admin := complaints.MustActor("adam", complaints.RoleAdmin, complaints.AllPermissions)
	defer admin.Close()
	desk, err := complaints.OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	booking := complaints.BookingRef("BK-1")
	if err := desk.PutRecord(office, complaints.Record{RecordRef: booking, CustomerID: "casey"}); err != nil {
		t.Fatal(err)
	}
	kept, err := desk.Report(office, complaints.ReportRequest{Record: booking, Type: "Other", Description: "Kept."})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := desk.Report(office, complaints.ReportRequest{Record: booking, Type: "Other", Description: "Secret."})
	if err != nil {
		t.Fatal(err)
	}
	if deleted, err := desk.Delete(admin, gone.Code); err != nil || !deleted.FilesScrubbed {
		t.Fatalf("delete: %+v %v", deleted, err)
	}
	if done, err := desk.Scrub(); err != nil || !done {
		t.Fatalf("scrub: %v %v", done, err)
	}
	desk.Close()

	for _, opt := range []complaints.Option{complaints.WithReadOnly(), complaints.WithImmutable()} {
		ro, err := complaints.OpenSQLite(path, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := ro.Get(office, kept.Code); err != nil || got.Description != "Kept." {
			t.Fatalf("read-only get: %+v %v", got, err)
		}
		_, err = ro.Report(office, complaints.ReportRequest{Record: booking, Type: "Other", Description: "Refused."})
		if e := expectCode(t, err, complaints.ErrStorage, complaints.CodeStorage); e.Where != "read_only" {
			t.Fatalf("where: %q", e.Where)
		}
		_, err = ro.Scrub()
		expectCode(t, err, complaints.ErrStorage, complaints.CodeStorage)
		ro.Close()
	}

	mem, err := complaints.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if done, err := mem.Scrub(); err != nil || !done {
		t.Fatalf("memory scrub: %v %v", done, err)
	}
}

func TestValues(t *testing.T) {
	if s := (complaints.PermEditIssues | complaints.PermManageSettings).String(); s != "edit_issues|manage_settings" {
		t.Fatal(s)
	}
	if complaints.RoleFieldworker.String() != "fieldworker" || complaints.RoleOffice.IsStaff() != true || complaints.RoleCustomer.IsStaff() {
		t.Fatal("roles")
	}
	d, err := complaints.ParseDate("2026-11-25")
	if err != nil || d.String() != "2026-11-25" {
		t.Fatal(d, err)
	}
	if _, err := complaints.ParseDate("2026-11-31"); !errors.Is(err, complaints.ErrInvalidInput) {
		t.Fatal(err)
	}
	if complaints.BookingRef("B-1").String() != "booking:B-1" {
		t.Fatal("ref")
	}
	a := complaints.MustActor("adam", complaints.RoleAdmin, complaints.PermDeleteIssues, complaints.PermReleasePayment)
	defer a.Close()
	if a.ID() != "adam" || a.Role() != complaints.RoleAdmin || !a.Permissions().Has(complaints.PermReleasePayment) || a.Permissions().Has(complaints.PermEditIssues) {
		t.Fatal(a)
	}
	if complaints.CodeConflict.String() != "conflict" {
		t.Fatal(complaints.CodeConflict.String())
	}
	if (&complaints.Error{Code: complaints.CodeNotFound, Message: "no issue X", Where: "code"}).Error() != "complaints: not found: no issue X (at code)" {
		t.Fatal("Error()")
	}
}

func (f *fixture) mustGet(code string) complaints.Issue {
	f.t.Helper()
	i, err := f.desk.Get(f.admin, code)
	f.must(err)
	return i
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func typeNames(types []complaints.IssueType) []string {
	var out []string
	for _, t := range types {
		out = append(out, t.Name)
	}
	return out
}

func TestDueWorkClosesAnUnconfirmedComplaint(t *testing.T) {
	f := newFixture(t)
	f.must(f.desk.InstallBuiltinWorkflow(f.admin, "customer-confirmation"))
	var changed []complaints.Event
	var mu sync.Mutex
	sub, err := f.desk.On(complaints.EventStatusChanged, func(e complaints.Event) {
		mu.Lock()
		defer mu.Unlock()
		changed = append(changed, e)
	})
	f.must(err)
	defer f.desk.Off(sub)
	issue, err := f.desk.Report(f.office, complaints.ReportRequest{
		Record: f.booking, Type: "Other", Description: "Gate left open.", Workflow: "customer-confirmation",
	})
	f.must(err)
	issue = f.act(f.office, issue, "assign", map[string]string{"assignee": "tariq"})
	issue = f.act(f.tech, issue, "accept", nil)
	issue = f.act(f.tech, issue, "resolve", map[string]string{"feedback": "Latched it."})
	if issue.Status != "Confirmation" || len(issue.Timers) != 1 || issue.Timers[0].Name != "auto_close" {
		t.Fatalf("after resolve: %+v", issue)
	}
	next, err := f.desk.NextDue(f.office)
	f.must(err)
	if next == nil || !next.Equal(start.Add(96*time.Hour)) {
		t.Fatalf("NextDue = %v", next)
	}
	if ran, err := f.desk.ProcessDue(f.mailer, 100); err != nil || len(ran) != 0 {
		t.Fatalf("ProcessDue too early = %v, %v", ran, err)
	}
	_, err = f.desk.ProcessDue(f.office, 100)
	expectCode(t, err, complaints.ErrForbidden, complaints.CodeForbidden)
	f.advance(96 * time.Hour)
	ran, err := f.desk.ProcessDue(f.mailer, 100)
	f.must(err)
	if len(ran) != 1 || ran[0].IssueCode != issue.Code || ran[0].Kind != "timer" || ran[0].Outcome != complaints.DueRan {
		t.Fatalf("ProcessDue = %+v", ran)
	}
	got, err := f.desk.Get(f.office, issue.Code)
	f.must(err)
	if got.Status != "Closed" || len(got.Timers) != 0 {
		t.Fatalf("after the timer: %+v", got)
	}
	mu.Lock()
	last := changed[len(changed)-1]
	mu.Unlock()
	if last.ActorID != "mailer" || last.Action != "auto_close" {
		t.Fatalf("last status change: %+v", last)
	}
	if next, err = f.desk.NextDue(f.office); err != nil || next != nil {
		t.Fatalf("NextDue after = %v, %v", next, err)
	}
}

func TestCalendarSLAClocksAndToFollow(t *testing.T) {
	f := newFixture(t)
	week := map[string][]string{}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		week[d] = []string{"08:30-17:00"}
	}
	f.must(f.desk.SetCalendar(f.admin, complaints.BusinessCalendar{
		TimeZone: "Australia/Sydney", Hours: week, Holidays: []complaints.Date{{Year: 2026, Month: time.December, Day: 25}},
	}))
	cal, err := f.desk.Calendar(f.office)
	f.must(err)
	if cal.TimeZone != "Australia/Sydney" || len(cal.Hours["sat"]) != 0 || cal.Hours["mon"][0] != "08:30-17:00" {
		t.Fatalf("Calendar = %+v", cal)
	}
	e := expectCode(t, f.desk.SetCalendar(f.admin, complaints.BusinessCalendar{TimeZone: "Nowhere/Special"}),
		complaints.ErrInvalidInput, complaints.CodeInvalidInput)
	if e.Where != "calendar.time_zone" {
		t.Fatalf("where = %q", e.Where)
	}
	issue := f.report("The tap still drips.")
	if len(issue.SLAs) != 1 || issue.SLAs[0].Name != "acknowledgement" || issue.SLAs[0].State != complaints.SLARunning {
		t.Fatalf("SLAs = %+v", issue.SLAs)
	}
	f.advance(time.Hour)
	clocks, err := f.desk.SLAClocks(f.office, issue.Code)
	f.must(err)
	if len(clocks) != 1 || clocks[0].UsedMS != 0 { // Monday 19:30 in Sydney: after hours
		t.Fatalf("SLAClocks = %+v", clocks)
	}
	deferred := complaints.Date{Year: 2026, Month: time.November, Day: 30}
	yes := true
	_, err = f.desk.Edit(f.office, issue.Code, complaints.IssueEdit{ToFollow: &yes, DeferredDate: &deferred})
	f.must(err)
	n, err := f.desk.ToFollowCount(f.office, "olivia")
	f.must(err)
	if n != 1 {
		t.Fatalf("ToFollowCount = %d", n)
	}
}

// Full-text search through SearchHits: folding, ranking, snippets, what a
// customer may not find, and a query that does not parse.
func TestSearchHits(t *testing.T) {
	f := newFixture(t)
	first := f.report("Café door left open; the door squeaks")
	second := f.report("Door handle loose")
	_, err := f.desk.AddComment(f.office, second.Code, complaints.CommentRequest{Body: "secretword door"})
	f.must(err)
	hits, err := f.desk.SearchHits(f.office, complaints.SearchOptions{Query: "cafe OR door", MarkOpen: "<", MarkClose: ">"})
	f.must(err)
	if len(hits) != 2 || hits[0].Issue.Code != first.Code || hits[0].Score <= hits[1].Score {
		t.Fatalf("hits: %+v", hits)
	}
	if hits[0].Snippet != "<Café> <door> left open; the <door> squeaks" {
		t.Fatalf("snippet %q", hits[0].Snippet)
	}
	for _, q := range []string{"secretword", "secret*"} {
		mine, err := f.desk.SearchHits(f.casey, complaints.SearchOptions{Query: q})
		f.must(err)
		if len(mine) != 0 {
			t.Fatalf("a customer found %q: %+v", q, mine)
		}
	}
	_, err = f.desk.SearchHits(f.office, complaints.SearchOptions{Query: "door AND"})
	if e := expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput); e.Where != "query, byte 5" {
		t.Fatalf("refusal names %q", e.Where)
	}
	_, err = f.desk.SearchHits(f.office, complaints.SearchOptions{Query: "door", SnippetWords: 65})
	if e := expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput); e.Where != "snippet_words" {
		t.Fatalf("refusal names %q", e.Where)
	}
}

// A dashboard through the C API: counts, repeats, a fieldworker's own view,
// and a customer refused.
func TestDashboard(t *testing.T) {
	f := newFixture(t)
	f.report("Scratched the bench")
	f.advance(2 * time.Hour)
	f.report("Late again")
	o := complaints.DashboardOptions{From: start, To: start.Add(24 * time.Hour)}
	d, err := f.desk.Dashboard(f.office, o)
	f.must(err)
	if d.Issues != 2 || d.Repeats != 1 || d.Active != 2 || len(d.ByCategory) != 5 || !d.AsOf.Equal(start.Add(2*time.Hour)) {
		t.Fatalf("dashboard: %+v", d)
	}
	if len(d.TopRecords) != 1 || d.TopRecords[0].Issues != 2 {
		t.Fatalf("top records: %+v", d.TopRecords)
	}
	o.RepeatDays = 400
	_, err = f.desk.Dashboard(f.office, o)
	if e := expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput); e.Where != "repeat_days" {
		t.Fatalf("refusal names %q", e.Where)
	}
	_, err = f.desk.Dashboard(f.casey, complaints.DashboardOptions{From: start, To: start})
	expectCode(t, err, complaints.ErrForbidden, complaints.CodeForbidden)
}

// WorkflowDiagram draws a document as DOT or Mermaid, the same bytes each
// time, and refuses an invalid document or another format by place.
func TestDrawWorkflowDrawsAnInstalledWorkflow(t *testing.T) {
	desk, err := complaints.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	a, err := complaints.NewActor("casey", complaints.RoleCustomer)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	dot, err := desk.DrawWorkflow(a, "field-service", complaints.DiagramDot)
	if err != nil || !strings.HasPrefix(dot, "digraph workflow {") || !strings.Contains(dot, "Awaiting Approval") {
		t.Fatalf("dot %v:\n%s", err, dot)
	}
	_, err = desk.DrawWorkflow(a, "nope", complaints.DiagramDot)
	expectCode(t, err, complaints.ErrNotFound, complaints.CodeNotFound)
}

func TestWorkflowDiagram(t *testing.T) {
	doc := `{"name": "tiny", "initial": "Open \"1\"",
		"statuses": [{"name": "Open \"1\"", "colour": "#111111", "category": "open"}, {"name": "Done", "category": "closed"}],
		"actions": [{"name": "finish", "from": ["Open \"1\""], "to": "Done", "allow": ["office"]}]}`
	dot, err := complaints.WorkflowDiagram(doc, complaints.DiagramDot)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"digraph workflow {", `label="Open \"1\"\nopen", fillcolor="#111111"`, `[label="finish\noffice"]`} {
		if !strings.Contains(dot, want) {
			t.Fatalf("no %q in\n%s", want, dot)
		}
	}
	if again, _ := complaints.WorkflowDiagram(doc, complaints.DiagramDot); again != dot {
		t.Fatal("a second drawing differs")
	}
	mermaid, err := complaints.WorkflowDiagram(doc, complaints.DiagramMermaid)
	if err != nil || !strings.HasPrefix(mermaid, "flowchart LR\n") || !strings.Contains(mermaid, `s0("Open #quot;1#quot;<br/>open")`) {
		t.Fatalf("mermaid %v:\n%s", err, mermaid)
	}
	_, err = complaints.WorkflowDiagram(doc, "svg")
	if e := expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput); e.Where != "format" {
		t.Fatalf("where %q", e.Where)
	}
	_, err = complaints.WorkflowDiagram(strings.Replace(doc, `"initial": "Open \"1\""`, `"initial": "Nowhere"`, 1), "dot")
	if e := expectCode(t, err, complaints.ErrInvalidWorkflow, complaints.CodeInvalidWorkflow); e.Where != "$.initial" {
		t.Fatalf("where %q (message %q)", e.Where, e.Message)
	}
}
