package complaints

/*
#include <stdlib.h>
#include <complaints.h>

// Reads a failed call's message and place off one handle in one C call.
static void complaints_go_last_error(complaints_desk *desk, const char **msg, const char **where) {
	*msg = complaints_desk_errmsg(desk);
	*where = complaints_desk_errwhere(desk);
}
*/
import "C"

import (
	"encoding/json"
	"math"
	"runtime"
	"sync"
	"time"
	"unsafe"
)

// Desk is one complaints desk over one store: every operation of the library
// goes through it. Each changing operation is one transaction: it validates
// its input, checks the actor may do it, writes the issue, its timeline entry
// and everything its workflow's effects produce, commits, and only then
// fires events. When any step fails nothing is written and an *Error is
// returned.
//
// Errors common to every method: ErrMisuse for a closed desk or actor, or a
// nil actor; ErrStorage when the store fails; ErrInvalidInput when a string
// argument holds a NUL byte. Each method lists its own.
//
// Who may call each method: docs/permissions.md (ErrForbidden otherwise).
// Size limits, page sizes and defaults: docs/c-api.md, "Limits and defaults".
//
// Thread-safety: a Desk may be used from several goroutines at once; the
// library serializes calls inside. Each call goes through a C handle of its
// own, taken from a pool of handles on the same store (complaints_desk_share),
// so the error a call returns is always that call's. Several desks, in
// several processes, may share one SQLite file or one PostgreSQL schema.
type Desk struct {
	life lifecycle
	pool handlePool

	subsMu sync.Mutex
	subs   map[Subscription]uintptr // the registry keys of this desk's handlers
}

// SyncMode is how hard SQLite syncs its file at each commit.
type SyncMode string

// The sync modes.
const (
	SyncFull   SyncMode = "full"   // durable across power loss
	SyncNormal SyncMode = "normal" // durable across crashes of the process; faster
)

// Option configures a desk at opening.
type Option func(*deskOptions)

type deskOptions struct {
	Sync          SyncMode `json:"sync,omitempty"`
	BusyTimeoutMS *int64   `json:"busy_timeout_ms,omitempty"`
	CacheKiB      *int64   `json:"cache_kib,omitempty"`
	ReadConns     *int64   `json:"read_connections,omitempty"`
	Clock         string   `json:"clock,omitempty"`
	ReadOnly      bool     `json:"read_only,omitempty"`
	Immutable     bool     `json:"immutable,omitempty"`
	// PostgreSQL only.
	Schema             string `json:"schema,omitempty"`
	CreateSchema       *bool  `json:"create_schema,omitempty"`
	StatementTimeoutMS *int64 `json:"statement_timeout_ms,omitempty"`
	LockTimeoutMS      *int64 `json:"lock_timeout_ms,omitempty"`
	ConnectTimeoutS    *int64 `json:"connect_timeout_s,omitempty"`
}

// WithSync sets SQLite's synchronous mode (SQLite only: a PostgreSQL desk
// refuses the SQLite options with ErrInvalidInput).
func WithSync(mode SyncMode) Option { return func(o *deskOptions) { o.Sync = mode } }

// WithBusyTimeout sets how long a call waits for another connection's lock
// on the file before failing with ErrStorage (SQLite only).
func WithBusyTimeout(d time.Duration) Option {
	return func(o *deskOptions) { ms := d.Milliseconds(); o.BusyTimeoutMS = &ms }
}

// WithReadConnections sets how many extra connections the desk may open so
// that reads on several goroutines run side by side and never wait for its
// writes (default 4, 0 to 64; 0 serves everything on one connection).
func WithReadConnections(n int) Option {
	return func(o *deskOptions) { k := int64(n); o.ReadConns = &k }
}

// WithCacheKiB sets SQLite's page cache size in KiB (SQLite only).
func WithCacheKiB(kib int) Option {
	return func(o *deskOptions) { k := int64(kib); o.CacheKiB = &k }
}

// WithClock makes the desk's time stand still at t (to the millisecond)
// until Desk.SetClock moves it: for tests and simulations.
func WithClock(t time.Time) Option { return func(o *deskOptions) { o.Clock = formatInstant(t) } }

// WithReadOnly opens an existing store, whose schema is current, for reading
// only: a backup or a replica. Every read works; every changing method fails
// with ErrStorage and Where "read_only", and the library never writes the
// file (SQLite may create its -wal and -shm files beside it). SQLite only.
func WithReadOnly() Option { return func(o *deskOptions) { o.ReadOnly = true } }

// WithImmutable is WithReadOnly for a copy nobody changes (a backup, a
// snapshot on read-only media): SQLite reads it without locks and without its
// -wal and -shm files, creating nothing beside it, so it opens in a directory
// the process may not write. Never use it on a file another process may
// write: reads could see torn pages. SQLite only.
func WithImmutable() Option { return func(o *deskOptions) { o.Immutable = true } }

// WithSchema names the PostgreSQL schema holding the desk's tables (default
// "complaints"; 1 to 63 ASCII letters, digits and '_', not starting with a
// digit nor "pg_"). One schema per tenant keeps tenants apart in one
// database. PostgreSQL only.
func WithSchema(name string) Option { return func(o *deskOptions) { o.Schema = name } }

// WithoutCreateSchema makes opening fail with ErrStorage when the schema does
// not exist, instead of creating it (for a login without the CREATE
// privilege on the database). PostgreSQL only.
func WithoutCreateSchema() Option {
	return func(o *deskOptions) { f := false; o.CreateSchema = &f }
}

// WithStatementTimeout sets how long one statement may run before the server
// cancels it and the call fails with ErrStorage (default 30s; 0: no limit).
// PostgreSQL only.
func WithStatementTimeout(d time.Duration) Option {
	return func(o *deskOptions) { ms := d.Milliseconds(); o.StatementTimeoutMS = &ms }
}

// WithLockTimeout sets how long a statement waits for a lock another
// transaction holds before the call fails with ErrStorage (default 10s; 0: no
// limit). PostgreSQL only.
func WithLockTimeout(d time.Duration) Option {
	return func(o *deskOptions) { ms := d.Milliseconds(); o.LockTimeoutMS = &ms }
}

// WithConnectTimeout sets how long connecting (and reconnecting) may take,
// rounded down to whole seconds (default 10s; 0 waits indefinitely; at most
// an hour). A keyword/value conninfo's own connect_timeout wins. PostgreSQL
// only.
func WithConnectTimeout(d time.Duration) Option {
	return func(o *deskOptions) { s := int64(d / time.Second); o.ConnectTimeoutS = &s }
}

// formatInstant writes an instant as the library reads it: RFC 3339 in UTC
// with milliseconds.
func formatInstant(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

func optionsJSON(opts []Option) (string, bool) {
	var o deskOptions
	for _, f := range opts {
		f(&o)
	}
	b, _ := json.Marshal(o) // plain fields: cannot fail
	return string(b), len(opts) > 0
}

// OpenSQLite opens a desk over a SQLite file, created if missing and
// migrated forward. A new store gets the built-in "field-service" workflow
// and the default issue types.
//
// Errors: ErrStorage when the file cannot be opened or migrated;
// ErrInvalidInput for a bad option (a PostgreSQL one included).
func OpenSQLite(path string, opts ...Option) (*Desk, error) {
	return openDesk("path", &path, opts, func(out **C.complaints_desk, arg, options *C.char, msg **C.char) C.int {
		return C.complaints_desk_open_sqlite(out, arg, options, msg)
	})
}

// OpenPostgres opens a desk over a PostgreSQL database: for products running
// several app servers on one database (docs/postgresql.md). conninfo is
// libpq's connection string ("host=/run/postgresql dbname=app user=app" or a
// "postgresql://" URI). The desk's tables live in one schema (WithSchema),
// created if missing and migrated forward, once even when several processes
// open at once. Options: WithSchema, WithoutCreateSchema,
// WithStatementTimeout, WithLockTimeout, WithConnectTimeout, WithClock,
// WithReadConnections. A lost connection fails the call in progress with
// ErrStorage (nothing of it committed) and is reopened by the next call.
//
// Errors: ErrStorage when the server cannot be reached or refuses the login,
// the schema is missing and may not be created, or its version is newer than
// this library's (also when the library was built without PostgreSQL);
// ErrInvalidInput for a bad option, Where "options.<name>" (a SQLite one
// included).
func OpenPostgres(conninfo string, opts ...Option) (*Desk, error) {
	return openDesk("conninfo", &conninfo, opts, func(out **C.complaints_desk, arg, options *C.char, msg **C.char) C.int {
		return C.complaints_desk_open_postgres(out, arg, options, msg)
	})
}

// OpenMemory opens a desk over a new in-memory store, for hosts' tests.
// WithClock and WithReadConnections apply; the SQLite options are accepted
// and mean nothing; a PostgreSQL one is ErrInvalidInput.
func OpenMemory(opts ...Option) (*Desk, error) {
	return openDesk("", nil, opts, func(out **C.complaints_desk, _, options *C.char, msg **C.char) C.int {
		return C.complaints_desk_open_memory(out, options, msg)
	})
}

// openDesk converts the opener's text argument (when it has one, named
// `name`) and its options, and calls `open`.
func openDesk(name string, arg *string, opts []Option,
	open func(out **C.complaints_desk, arg, options *C.char, msg **C.char) C.int) (*Desk, error) {
	var cs cstrings
	defer cs.free()
	var carg *C.char
	if arg != nil {
		carg = cs.str(name, *arg)
	}
	text, given := optionsJSON(opts)
	var copts *C.char
	if given {
		copts = cs.str("options", text)
	}
	if cs.err != nil {
		return nil, cs.err
	}
	var ptr *C.complaints_desk
	var msg *C.char
	// The place of a failure without a handle is the calling thread's
	// (complaints_desk_errwhere(NULL)): read it on the thread that failed.
	runtime.LockOSThread()
	rc := open(&ptr, carg, copts, &msg)
	where := ""
	if rc != C.COMPLAINTS_OK {
		where = C.GoString(C.complaints_desk_errwhere(nil))
	}
	runtime.UnlockOSThread()
	d, err := newDesk(ptr, rc, msg)
	if e, ok := err.(*Error); ok {
		e.Where = where
	}
	return d, err
}

func newDesk(ptr *C.complaints_desk, rc C.int, msg *C.char) (*Desk, error) {
	message := takeString(msg)
	if rc != C.COMPLAINTS_OK {
		if ptr != nil { // not expected: the contract says *out is NULL on failure
			C.complaints_desk_close(ptr)
		}
		return nil, errorOf(rc, message)
	}
	d := &Desk{pool: handlePool{anchor: ptr, live: 1}, subs: map[Subscription]uintptr{}}
	runtime.SetFinalizer(d, (*Desk).Close)
	return d, nil
}

// Close closes the desk: every C handle it made, each once, and with the
// last of them the store. It waits for calls running on it to end (so it
// must not be called from an event handler) and unsubscribes every handler.
// Later calls fail with ErrMisuse. Closing twice is fine.
func (d *Desk) Close() error {
	if d == nil || !d.life.close() {
		return nil
	}
	runtime.SetFinalizer(d, nil)
	d.pool.closeAll() // the store, and its subscriptions, end here
	d.subsMu.Lock()
	for id, key := range d.subs {
		forget(key)
		delete(d.subs, id)
	}
	d.subsMu.Unlock()
	return nil
}

// SetClock moves the clock of a desk opened WithClock to t.
//
// Errors: ErrMisuse when the desk was opened without WithClock.
func (d *Desk) SetClock(t time.Time) error {
	var cs cstrings
	defer cs.free()
	instant := cs.str("instant", formatInstant(t))
	return d.callDesk(func(dp *C.complaints_desk) C.int {
		return C.complaints_desk_set_clock(dp, instant)
	})
}

// Scrub makes the text erased by Delete (by any process) unrecoverable from
// the store's files now, finishing a scrub left owed: SQLite's write-ahead log
// is checkpointed and truncated, waiting up to the busy timeout for other
// connections' reads. It returns false when one still prevented it: the scrub
// stays owed, and the next write, open or close of the store by any
// connection finishes it. An in-memory desk has nothing to scrub: true.
//
// Errors: ErrStorage (also on a read-only desk).
func (d *Desk) Scrub() (bool, error) {
	var done C.int
	err := d.callDesk(func(dp *C.complaints_desk) C.int {
		return C.complaints_desk_scrub(dp, &done)
	})
	return done != 0, err
}

// maxIdleHandles bounds the handles a Desk keeps between calls; a burst of
// more concurrent calls makes more, closed again as they come back.
const maxIdleHandles = 64

// handlePool holds the C handles of one desk. The library keeps the message
// of a failed call on the handle it was made through (as sqlite3_errmsg
// does), so each call gets a handle of its own for the call and the reading
// of its message: a goroutine may move between OS threads at any time, so
// neither the thread nor a shared handle could tell whose message it is.
//
// The anchor is the handle the desk was opened with. It is never lent out:
// it only makes the others (complaints_desk_share), under mu.
type handlePool struct {
	mu     sync.Mutex
	anchor *C.complaints_desk   // nil once closed
	idle   []*C.complaints_desk // shared handles no call is using
	live   int                  // handles open, the anchor included
}

// take lends a handle for one call, making one when none is idle.
func (p *handlePool) take() (*C.complaints_desk, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.anchor == nil { // not expected: the desk's lifecycle keeps calls out once closed
		return nil, &Error{Code: CodeMisuse, Message: "the desk is closed"}
	}
	if n := len(p.idle); n > 0 {
		h := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		return h, nil
	}
	var h *C.complaints_desk
	if rc := C.complaints_desk_share(&h, p.anchor); rc != C.COMPLAINTS_OK {
		// Read under mu: no other share can touch the anchor's message meanwhile.
		return nil, lastError(p.anchor, rc)
	}
	p.live++
	return h, nil
}

// give takes a handle back after its call (and the reading of its message).
func (p *handlePool) give(h *C.complaints_desk) {
	p.mu.Lock()
	if p.anchor != nil && len(p.idle) < maxIdleHandles {
		p.idle = append(p.idle, h)
		p.mu.Unlock()
		return
	}
	p.live--
	p.mu.Unlock()
	C.complaints_desk_close(h) // not the last handle: the anchor stays open
}

// closeAll closes every handle, the anchor last. No call may be using one.
func (p *handlePool) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, h := range p.idle {
		C.complaints_desk_close(h)
		p.idle[i] = nil
		p.live--
	}
	p.idle = nil
	if p.anchor != nil {
		C.complaints_desk_close(p.anchor)
		p.anchor = nil
		p.live--
	}
}

// callDesk runs one C call on the desk: every method goes through it. It
// takes a handle from the pool, makes the call through it, copies the
// call's message off that same handle if it failed, and only then gives the
// handle back, so no other call can have replaced the message meanwhile.
func (d *Desk) callDesk(f func(dp *C.complaints_desk) C.int) error {
	if d == nil {
		return &Error{Code: CodeMisuse, Message: "nil desk"}
	}
	if !d.life.acquire() {
		return &Error{Code: CodeMisuse, Message: "the desk is closed"}
	}
	defer d.life.release()
	h, err := d.pool.take()
	if err != nil {
		return err
	}
	defer d.pool.give(h)
	if rc := f(h); rc != C.COMPLAINTS_OK {
		return lastError(h, rc)
	}
	return nil
}

// call runs one C call on the desk for an actor.
func (d *Desk) call(a *Actor, f func(dp *C.complaints_desk, ap *C.complaints_actor) C.int) error {
	ap, err := a.acquire()
	if err != nil {
		return err
	}
	defer a.life.release()
	err = d.callDesk(func(dp *C.complaints_desk) C.int { return f(dp, ap) })
	runtime.KeepAlive(a)
	return err
}

// lastError reads the message of the call that just failed through h, which
// the caller still holds: the text is h's own, and stays alive at least
// until h makes another call. Both strings are read in one C call, on one
// thread, and copied at once.
func lastError(h *C.complaints_desk, rc C.int) error {
	var msg, where *C.char
	C.complaints_go_last_error(h, &msg, &where)
	return &Error{Code: Code(rc), Message: C.GoString(msg), Where: C.GoString(where)}
}

// fetch runs a call that returns a string through a char ** and frees it.
func (d *Desk) fetch(a *Actor, f func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int) (string, error) {
	var text string
	err := d.call(a, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		var out *C.char
		rc := f(dp, ap, &out)
		text = takeString(out) // freed even on failure, should the library have set it
		return rc
	})
	return text, err
}

// fetchJSON runs a call that returns a JSON document and decodes it.
func fetchJSON[T any](d *Desk, a *Actor, cs *cstrings, what string,
	f func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int) (T, error) {
	var zero T
	if cs.err != nil {
		return zero, cs.err
	}
	text, err := d.fetch(a, f)
	if err != nil {
		return zero, err
	}
	return decode[T](text, what)
}

// do runs a call with no output.
func (d *Desk) do(a *Actor, cs *cstrings, f func(dp *C.complaints_desk, ap *C.complaints_actor) C.int) error {
	if cs.err != nil {
		return cs.err
	}
	return d.call(a, f)
}

// bytesOut copies a byte buffer the library returned and frees it.
func bytesOut(p *C.uchar, n C.size_t) []byte {
	if p == nil {
		return nil
	}
	b := C.GoBytes(unsafe.Pointer(p), C.int(n))
	C.complaints_free(unsafe.Pointer(p))
	return b
}

// cInt passes a Go int where C takes an int (a role, an event kind, a
// limit): one a C int cannot hold becomes math.MinInt32, which every such
// argument refuses (a limit below 1 as one past its maximum), rather than
// being wrapped into a value that would be accepted: Role(1<<32) is not the
// admin role, a limit of 1<<32+5 is not 5.
func cInt(n int) C.int {
	if n < math.MinInt32 || n > math.MaxInt32 {
		return math.MinInt32
	}
	return C.int(n)
}

// cDays passes a day count: more than a C int holds asks for older than
// anything, so it is held at the most a C int holds.
func cDays(n int) C.int {
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	return cInt(n)
}

// cPermissions passes permission bits: a bit C cannot hold makes them all
// set, which the library refuses as unknown bits.
func cPermissions(p Permission) C.uint {
	if uint64(p) > math.MaxUint32 {
		return math.MaxUint32
	}
	return C.uint(p)
}
