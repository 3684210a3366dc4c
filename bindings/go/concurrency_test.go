package complaints_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	complaints "github.com/complaints-lib/complaints/bindings/go"
)

// Every goroutine's error carries its own call's message, though the
// library keeps one message per C handle and goroutines move between
// threads: each call has a pooled handle of its own. Event handlers calling
// the desk from inside a call need a second handle at the same time.
func TestErrorsFromManyGoroutines(t *testing.T) {
	const goroutines, iterations = 8, 200
	f := newFixture(t)
	issue := f.report("Hot water system still leaks.")

	// A handler that fails a call of its own from inside the reporting call.
	var handlerErrs atomic.Int64
	handlerFailures := make(chan error, goroutines*iterations)
	_, err := f.desk.On(complaints.EventIssueReported, func(e complaints.Event) {
		code := "CMP-9" + e.IssueCode[len("CMP-"):] // never an issue: CMP-9xxxx
		_, err := f.desk.Get(f.admin, code)
		var ce *complaints.Error
		if !errors.As(err, &ce) || ce.Code != complaints.CodeNotFound || !strings.Contains(ce.Message, code) {
			handlerFailures <- fmt.Errorf("handler for %s: %v", e.IssueCode, err)
		}
		handlerErrs.Add(1)
	})
	f.must(err)

	var wg sync.WaitGroup
	failures := make(chan error, goroutines)
	var reports atomic.Int64
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			fail := func(format string, args ...any) {
				failures <- fmt.Errorf("goroutine %d: "+format, append([]any{g}, args...)...)
			}
			var e *complaints.Error
			for i := 0; i < iterations; i++ {
				// Not found, naming this goroutine's own code.
				code := fmt.Sprintf("CMP-%05d", 10000+1000*g+i)
				_, err := f.desk.Get(f.admin, code)
				if !errors.As(err, &e) || e.Code != complaints.CodeNotFound || e.Message != "code: no issue "+code || e.Where != "code" {
					fail("Get(%s): %v", code, err)
					return
				}
				// A success in between, on whichever handle.
				if _, err := f.desk.Get(f.office, issue.Code); err != nil {
					fail("Get(%s): %v", issue.Code, err)
					return
				}
				// Invalid input, naming this goroutine's own type.
				typ := fmt.Sprintf("No Such Type %d-%d", g, i)
				_, err = f.desk.Report(f.office, complaints.ReportRequest{Record: f.booking, Type: typ, Description: "x"})
				if !errors.As(err, &e) || e.Code != complaints.CodeInvalidInput || !strings.Contains(e.Message, "'"+typ+"'") || e.Where != "type" {
					fail("Report(%s): %v", typ, err)
					return
				}
				// Another kind of failure, with another place.
				rec := complaints.BookingRef(fmt.Sprintf("BK-%d-%d", g, i))
				_, err = f.desk.Record(f.office, rec)
				if !errors.As(err, &e) || e.Code != complaints.CodeNotFound || !strings.HasSuffix(e.Message, rec.ID) || e.Where != "record" {
					fail("Record(%s): %v", rec.ID, err)
					return
				}
				// Now and then a change, whose event handler fails a call
				// while this one still holds its handle.
				if i%20 == 0 {
					if _, err := f.desk.Report(f.office, complaints.ReportRequest{
						Record: f.booking, Type: "Unsatisfactory Job", Description: fmt.Sprintf("report %d-%d", g, i),
					}); err != nil {
						fail("Report: %v", err)
						return
					}
					reports.Add(1)
				}
			}
		}(g)
	}
	wg.Wait()
	close(failures)
	close(handlerFailures)
	for err := range failures {
		t.Error(err)
	}
	for err := range handlerFailures {
		t.Error(err)
	}
	if got, want := handlerErrs.Load(), reports.Load(); got != want {
		t.Errorf("handler ran %d times for %d reports", got, want)
	}
	// Every handle came back; nested calls needed at least two at once (plus
	// the anchor, which is never lent).
	open, idle := complaints.OpenHandles(f.desk), complaints.IdleHandles(f.desk)
	if open < 3 || open > complaints.MaxIdleHandles+1 || idle != open-1 {
		t.Errorf("%d handles open, %d idle", open, idle)
	}
}

// Close closes every pooled handle once, even with calls racing it; later
// calls fail with ErrMisuse instead of touching a closed handle.
func TestCloseClosesPooledHandles(t *testing.T) {
	desk, err := complaints.OpenMemory(complaints.WithClock(start))
	if err != nil {
		t.Fatal(err)
	}
	admin, err := complaints.NewActor("adam", complaints.RoleAdmin, complaints.AllPermissions)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()

	// Grow the pool: calls from an event handler nest inside a call.
	_, err = desk.On(complaints.EventSettingsChanged, func(complaints.Event) {
		if _, err := desk.Workflows(admin); err != nil {
			t.Errorf("handler: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.AddIssueType(admin, complaints.IssueType{Name: "Noise", Colour: "#336699"}); err != nil {
		t.Fatal(err)
	}
	if n := complaints.OpenHandles(desk); n < 3 {
		t.Fatalf("%d handles open, want at least 3", n)
	}

	// Calls racing Close either finish or fail with ErrMisuse.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var closedSeen atomic.Int64
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; ; i++ {
				_, err := desk.Get(admin, fmt.Sprintf("CMP-%05d", 10000+100*g+i%100))
				var e *complaints.Error
				switch {
				case errors.As(err, &e) && e.Code == complaints.CodeNotFound:
				case errors.As(err, &e) && e.Code == complaints.CodeMisuse && e.Message == "the desk is closed":
					closedSeen.Add(1)
					return
				default:
					t.Errorf("goroutine %d: %v", g, err)
					return
				}
				select {
				case <-stop:
					return
				default:
				}
			}
		}(g)
	}
	time.Sleep(20 * time.Millisecond)
	if err := desk.Close(); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	if n := complaints.OpenHandles(desk); n != 0 {
		t.Fatalf("%d handles still open after Close", n)
	}
	if err := desk.Close(); err != nil { // twice is fine
		t.Fatal(err)
	}

	_, err = desk.Workflows(admin)
	e := expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
	if e.Message != "the desk is closed" {
		t.Fatalf("message %q", e.Message)
	}
	expectCode(t, desk.SetClock(start), complaints.ErrMisuse, complaints.CodeMisuse)
	_, err = desk.On(complaints.EventAny, func(complaints.Event) {})
	expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
	expectCode(t, desk.Off(1), complaints.ErrMisuse, complaints.CodeMisuse)
	if n := complaints.OpenHandles(desk); n != 0 {
		t.Fatalf("a call after Close opened %d handles", n)
	}
	var nilDesk *complaints.Desk
	_, err = nilDesk.Workflows(admin)
	expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
	if err := nilDesk.Close(); err != nil {
		t.Fatal(err)
	}
}

// complaints_actor_new reports what was wrong through its errmsg.
func TestNewActorErrors(t *testing.T) {
	for _, c := range []struct {
		id       string
		role     complaints.Role
		perms    complaints.Permission
		sentinel error
		code     complaints.Code
		message  string
	}{
		{"", complaints.RoleOffice, 0, complaints.ErrInvalidInput, complaints.CodeInvalidInput, "id: must not be empty"},
		{"a\x01b", complaints.RoleOffice, 0, complaints.ErrInvalidInput, complaints.CodeInvalidInput, "id: must not contain control characters"},
		{strings.Repeat("x", 10000), complaints.RoleOffice, 0, complaints.ErrInvalidInput, complaints.CodeInvalidInput, "id: "},
		{"x", complaints.Role(42), 0, complaints.ErrMisuse, complaints.CodeMisuse, "role: is not a COMPLAINTS_ROLE_*"},
		{"x", complaints.RoleAdmin, 64, complaints.ErrMisuse, complaints.CodeMisuse, "permissions: has unknown COMPLAINTS_PERM_* bits"},
	} {
		a, err := complaints.NewActor(c.id, c.role, c.perms)
		if a != nil {
			t.Errorf("NewActor(%.20q) made an actor", c.id)
		}
		e := expectCode(t, err, c.sentinel, c.code)
		if !strings.HasPrefix(e.Message, c.message) {
			t.Errorf("NewActor(%.20q, %d, %d): message %q, want %q", c.id, c.role, c.perms, e.Message, c.message)
		}
	}
	// The binding refuses a NUL byte before the library sees the id.
	_, err := complaints.NewActor("a\x00b", complaints.RoleOffice)
	if e := expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput); e.Where != "id" {
		t.Fatalf("where %q", e.Where)
	}
	a, err := complaints.NewActor("ok", complaints.RoleOffice)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
}

// complaints_workflow_validate reports a failure to check through its
// errmsg; an invalid document is not a failure.
func TestValidateWorkflowErrors(t *testing.T) {
	problems, err := complaints.ValidateNullWorkflow()
	e := expectCode(t, err, complaints.ErrMisuse, complaints.CodeMisuse)
	if e.Message != "workflow_json: must not be NULL" || problems != nil {
		t.Fatalf("message %q, problems %v", e.Message, problems)
	}
	problems, err = complaints.ValidateWorkflow([]byte(`{"name": `))
	if err != nil || len(problems) != 1 || problems[0].Path != "$" {
		t.Fatalf("malformed: %v %+v", err, problems)
	}
	_, err = complaints.ValidateWorkflow([]byte("{\x00}"))
	expectCode(t, err, complaints.ErrInvalidInput, complaints.CodeInvalidInput)
}

// wait fails the test if ch yields nothing within a few seconds.
func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// Off waits for a delivery running on another goroutine, which may call the
// desk meanwhile; when it returns the handler has finished.
func TestOffWaitsForRunningHandler(t *testing.T) {
	f := newFixture(t)
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	var finished atomic.Bool
	var handlerErr error
	sub, err := f.desk.On(complaints.EventIssueReported, func(e complaints.Event) {
		once.Do(func() { close(entered) })
		<-release
		_, handlerErr = f.desk.Get(f.admin, e.IssueCode) // Off must not hold the desk's lock
		finished.Store(true)
	})
	f.must(err)

	reported := make(chan error, 1)
	go func() {
		_, err := f.desk.Report(f.office, complaints.ReportRequest{Record: f.booking, Type: "Late Service", Description: "x"})
		reported <- err
	}()
	wait(t, entered, "the handler")

	type offResult struct {
		err      error
		finished bool
	}
	offDone := make(chan offResult, 1)
	go func() {
		err := f.desk.Off(sub)
		offDone <- offResult{err, finished.Load()}
	}()
	select {
	case r := <-offDone:
		t.Fatalf("Off returned (%v) while the handler was running", r.err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	r := wait(t, offDone, "Off")
	if r.err != nil || !r.finished {
		t.Fatalf("Off: %v, handler finished before it returned: %v", r.err, r.finished)
	}
	f.must(wait(t, reported, "Report"))
	f.must(handlerErr)
}

// After Off returns, no delivery of that handler is running or starts, with
// events raised from many goroutines at once.
func TestOffUnderLoad(t *testing.T) {
	f := newFixture(t)
	var calls atomic.Int64
	var off, late atomic.Bool
	sub, err := f.desk.On(complaints.EventAny, func(complaints.Event) {
		if off.Load() {
			late.Store(true)
		}
		calls.Add(1)
		time.Sleep(50 * time.Microsecond)
	})
	f.must(err)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := f.desk.Report(f.office, complaints.ReportRequest{
					Record: f.booking, Type: "Late Service", Description: fmt.Sprintf("%d-%d", g, i),
				}); err != nil {
					t.Error(err)
					return
				}
			}
		}(g)
	}
	for deadline := time.Now().Add(10 * time.Second); calls.Load() < 50; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			close(stop)
			wg.Wait()
			t.Fatalf("only %d events delivered", calls.Load())
		}
	}
	f.must(f.desk.Off(sub))
	off.Store(true)
	time.Sleep(20 * time.Millisecond)
	close(stop)
	wg.Wait()
	if late.Load() {
		t.Fatal("the handler ran after Off returned")
	}
}

// A handler may unsubscribe itself: Off does not wait for the delivery it is
// called from, and the handler is not called again.
func TestOffFromHandler(t *testing.T) {
	f := newFixture(t)
	var calls atomic.Int64
	offErr := make(chan error, 8)
	var sub complaints.Subscription
	sub, err := f.desk.On(complaints.EventIssueReported, func(complaints.Event) {
		calls.Add(1)
		offErr <- f.desk.Off(sub)
	})
	f.must(err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.report("first")
		f.report("second")
	}()
	wait(t, done, "the reports")
	if n := calls.Load(); n != 1 {
		t.Fatalf("handler called %d times", n)
	}
	f.must(<-offErr)
	expectCode(t, f.desk.Off(sub), complaints.ErrMisuse, complaints.CodeMisuse)
}
