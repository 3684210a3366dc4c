package complaints_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	complaints "github.com/complaints-lib/complaints/bindings/go"
)

// postgresInfo is the throw-away server's conninfo (scripts/test.sh starts it
// with tests/postgres/server.sh). Without it the PostgreSQL tests fail: they
// are never skipped.
func postgresInfo(t *testing.T) string {
	t.Helper()
	info := os.Getenv("COMPLAINTS_TEST_POSTGRES")
	if info == "" {
		t.Fatal("COMPLAINTS_TEST_POSTGRES is not set: start a server with tests/postgres/server.sh start DIR " +
			"and set it to the contents of DIR/conninfo (scripts/test.sh does)")
	}
	return info
}

var schemas atomic.Int64

func freshSchema() string { return fmt.Sprintf("go_%d_%d", os.Getpid(), schemas.Add(1)) }

// The tests built on the fixture, run again on a PostgreSQL desk (each in a
// schema of its own).
func TestFixtureTestsOnPostgres(t *testing.T) {
	info := postgresInfo(t)
	tests := []struct {
		name string
		run  func(*testing.T)
	}{
		{"BookingComplaintLifecycle", TestBookingComplaintLifecycle},
		{"PaymentHolds", TestPaymentHolds},
		{"StaffBusinessIsForbidden", TestStaffBusinessIsForbidden},
		{"CommentsAndVisibility", TestCommentsAndVisibility},
		{"TemplatePreviewAndSend", TestTemplatePreviewAndSend},
		{"OutboxFetchAndAck", TestOutboxFetchAndAck},
		{"Events", TestEvents},
		{"Errors", TestErrors},
		{"SettingsAndRecords", TestSettingsAndRecords},
		{"DueWorkClosesAnUnconfirmedComplaint", TestDueWorkClosesAnUnconfirmedComplaint},
		{"CalendarSLAClocksAndToFollow", TestCalendarSLAClocksAndToFollow},
		{"SearchHits", TestSearchHits},
		{"Dashboard", TestDashboard},
		{"ErrorsFromManyGoroutines", TestErrorsFromManyGoroutines},
		{"TaskLife", TestTaskLife},
		{"OneClaimWinsAmongGoroutines", TestOneClaimWinsAmongGoroutines},
	}
	saved := openFixtureDesk
	defer func() { openFixtureDesk = saved }()
	openFixtureDesk = func(t *testing.T) (*complaints.Desk, error) {
		return complaints.OpenPostgres(info, complaints.WithSchema(freshSchema()), complaints.WithClock(start))
	}
	for _, test := range tests {
		t.Run(test.name, test.run)
	}
}

func TestPostgresTenantsAndOptions(t *testing.T) {
	info := postgresInfo(t)
	office, err := complaints.NewActor("olivia", complaints.RoleOffice, complaints.PermEditIssues)
	if err != nil {
		t.Fatal(err)
	}
	defer office.Close()
	report := func(d *complaints.Desk, text string) complaints.Issue {
		t.Helper()
		ref := complaints.BookingRef("BK-1")
		if err := d.PutRecord(office, complaints.Record{RecordRef: ref, CustomerID: "casey"}); err != nil {
			t.Fatal(err)
		}
		i, err := d.Report(office, complaints.ReportRequest{Record: ref, Type: "Unsatisfactory Job", Description: text})
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	descriptions := func(d *complaints.Desk) []string {
		t.Helper()
		issues, err := d.List(office, complaints.IssueFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, i := range issues {
			out = append(out, i.Description)
		}
		return out
	}

	// Two tenants in two schemas of one database see no row of each other.
	a, err := complaints.OpenPostgres(info, complaints.WithSchema(freshSchema()))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	bSchema := freshSchema()
	b, err := complaints.OpenPostgres(info, complaints.WithSchema(bSchema), complaints.WithReadConnections(0),
		complaints.WithStatementTimeout(5e9), complaints.WithLockTimeout(2e9), complaints.WithConnectTimeout(3e9))
	if err != nil {
		t.Fatal(err)
	}
	report(a, "Tenant A's leak")
	bIssue := report(b, "Tenant B's broken gate")
	if bIssue.Code != "CMP-00001" {
		t.Fatalf("tenant B's first issue is %s", bIssue.Code)
	}
	if got := descriptions(a); strings.Join(got, "|") != "Tenant A's leak" {
		t.Fatalf("tenant A lists %q", got)
	}
	if got := descriptions(b); strings.Join(got, "|") != "Tenant B's broken gate" {
		t.Fatalf("tenant B lists %q", got)
	}
	b.Close()
	b, err = complaints.OpenPostgres(info, complaints.WithSchema(bSchema), complaints.WithoutCreateSchema())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got, err := b.Get(office, bIssue.Code); err != nil || got.Description != "Tenant B's broken gate" {
		t.Fatalf("reopened tenant B: %+v, %v", got, err)
	}

	// Bad options and missing schemas or servers are typed errors.
	var e *complaints.Error
	_, err = complaints.OpenPostgres(info, complaints.WithSchema("pg_catalog"))
	if !errors.Is(err, complaints.ErrInvalidInput) || !errors.As(err, &e) || e.Where != "options.schema" {
		t.Fatalf("schema pg_catalog: %v", err)
	}
	_, err = complaints.OpenPostgres(info, complaints.WithSync(complaints.SyncNormal))
	if !errors.Is(err, complaints.ErrInvalidInput) || !errors.As(err, &e) || e.Where != "options.sync" {
		t.Fatalf("a SQLite option: %v", err)
	}
	_, err = complaints.OpenPostgres(info, complaints.WithSchema(freshSchema()), complaints.WithoutCreateSchema())
	if !errors.Is(err, complaints.ErrStorage) {
		t.Fatalf("a missing schema: %v", err)
	}
	_, err = complaints.OpenPostgres("host=/nonexistent-complaints-dir connect_timeout=1")
	if !errors.Is(err, complaints.ErrStorage) || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Fatalf("no server: %v", err)
	}
	_, err = complaints.OpenPostgres("host=x\x00")
	if !errors.Is(err, complaints.ErrInvalidInput) {
		t.Fatalf("a NUL byte: %v", err)
	}
}
