// Package complaints is the Go binding of the complaints library: customer
// complaints raised against a field-service business's quotes, bookings and
// invoices, with a configurable status workflow, fieldworker payment holds,
// discussion, templated customer emails and a durable outbox.
//
// Everything goes through a [Desk] over a SQLite file ([OpenSQLite]) or an
// in-memory store ([OpenMemory]). Every call names the [Actor] it is made for;
// the library enforces what the actor's role and permissions allow and shows
// each actor only what they may see.
//
// Errors are *[Error] values carrying a stable [Code]; compare them with
// errors.Is against the sentinels ([ErrNotFound], [ErrForbidden], ...) and
// read the message and location with errors.As.
//
// Thread-safety: a Desk may be used from several goroutines at once (the
// library serializes calls inside; each call uses a C handle of its own, so
// its error message is its own); an Actor is immutable and may be shared.
//
// Import it as complaints "github.com/complaints-lib/complaints/bindings/go"
// (README.md: taking the module from a local checkout). The package links the
// C library through pkg-config ("complaints").
package complaints

/*
#cgo pkg-config: complaints
#include <stdlib.h>
#include <complaints.h>
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unsafe"
)

// HeaderVersionNumber is the version of the C header this package was
// compiled against, as major*10000 + minor*100 + patch.
const HeaderVersionNumber = C.COMPLAINTS_C_VERSION_NUMBER

// Version is the version of the linked C library, e.g. "0.1.0".
func Version() string { return C.GoString(C.complaints_version()) }

// VersionNumber is the version of the linked C library as
// major*10000 + minor*100 + patch.
func VersionNumber() int { return int(C.complaints_version_number()) }

// Code is a stable error code of the library. The values are those of the C
// API's COMPLAINTS_E* codes and are never renumbered.
type Code int

// The error codes.
const (
	CodeNotFound        Code = C.COMPLAINTS_ENOTFOUND // no such issue, record, user, template... or not visible to the actor
	CodeForbidden       Code = C.COMPLAINTS_EFORBIDDEN
	CodeInvalidInput    Code = C.COMPLAINTS_EINVALID
	CodeConflict        Code = C.COMPLAINTS_ECONFLICT
	CodeInvalidWorkflow Code = C.COMPLAINTS_EWORKFLOW
	CodeStorage         Code = C.COMPLAINTS_ESTORAGE
	CodeInvalidState    Code = C.COMPLAINTS_ESTATE
	CodeInternal        Code = C.COMPLAINTS_EINTERNAL
	CodeNoMemory        Code = C.COMPLAINTS_ENOMEM
	CodeMisuse          Code = C.COMPLAINTS_EMISUSE
)

// String is the code's short static description ("not found").
func (c Code) String() string {
	return C.GoString(C.complaints_strerror(C.int(c)))
}

// Error is every error the library reports.
//
// An Error with only a Code (such as the sentinels ErrNotFound...) matches,
// under errors.Is, every Error with that code.
type Error struct {
	Code    Code
	Message string // what was wrong, as the library says it (may name the place too)
	Where   string // the field ("description"), JSON path ("$.actions[2].from[0]") or template position; may be ""
}

// Error implements error: "complaints: <code>: <message>".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("complaints: ")
	b.WriteString(e.Code.String())
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Where != "" && !strings.Contains(e.Message, e.Where) {
		b.WriteString(" (at ")
		b.WriteString(e.Where)
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is a bare-code *Error (no message, no place)
// with e's code: errors.Is(err, complaints.ErrNotFound).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Message == "" && t.Where == ""
}

// Sentinels for errors.Is; each matches every *Error of its code.
var (
	ErrNotFound        error = &Error{Code: CodeNotFound}
	ErrForbidden       error = &Error{Code: CodeForbidden}
	ErrInvalidInput    error = &Error{Code: CodeInvalidInput}
	ErrConflict        error = &Error{Code: CodeConflict}
	ErrInvalidWorkflow error = &Error{Code: CodeInvalidWorkflow}
	ErrStorage         error = &Error{Code: CodeStorage}
	ErrInvalidState    error = &Error{Code: CodeInvalidState}
	ErrInternal        error = &Error{Code: CodeInternal}
	ErrNoMemory        error = &Error{Code: CodeNoMemory}
	ErrMisuse          error = &Error{Code: CodeMisuse}
)

// errorOf makes the error of a failed call without a desk to ask for its message.
func errorOf(rc C.int, message string) error {
	return &Error{Code: Code(rc), Message: message}
}

// cstrings converts Go strings to C strings, freed together by free. A
// string with a NUL byte cannot cross the C API (it would be cut short
// silently), so it is refused as invalid input naming the parameter; the
// first such error is kept in err and later conversions are skipped.
type cstrings struct {
	ptrs []*C.char
	err  error
}

func (cs *cstrings) str(param, s string) *C.char {
	if cs.err != nil {
		return nil
	}
	if strings.IndexByte(s, 0) >= 0 {
		cs.err = &Error{Code: CodeInvalidInput, Message: param + " contains a NUL byte", Where: param}
		return nil
	}
	p := C.CString(s)
	cs.ptrs = append(cs.ptrs, p)
	return p
}

// json encodes v as a JSON document for the C API.
func (cs *cstrings) json(param string, v any) *C.char {
	if cs.err != nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		cs.err = &Error{Code: CodeInvalidInput, Message: "cannot encode " + param + ": " + err.Error(), Where: param}
		return nil
	}
	// encoding/json escapes NUL, so the document goes to C as it is: one copy.
	p := (*C.char)(C.CBytes(append(b, 0)))
	cs.ptrs = append(cs.ptrs, p)
	return p
}

func (cs *cstrings) free() {
	for _, p := range cs.ptrs {
		C.free(unsafe.Pointer(p))
	}
	cs.ptrs = nil
}

// takeString copies a string the library returned and frees it.
func takeString(p *C.char) string {
	if p == nil {
		return ""
	}
	s := C.GoString(p)
	C.complaints_free(unsafe.Pointer(p))
	return s
}

// decode parses a JSON document the library returned.
func decode[T any](text, what string) (T, error) {
	var v T
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return v, &Error{Code: CodeInternal, Message: fmt.Sprintf("cannot decode the %s the library returned: %v", what, err)}
	}
	return v, nil
}

// lifecycle guards a C handle against use after Close: calls hold it in use,
// Close waits for them to end. Calls may nest (an event handler calling the
// desk), which a sync.RWMutex would not allow once a Close is waiting.
type lifecycle struct {
	mu     sync.Mutex
	idle   *sync.Cond
	closed bool
	active int
}

func (l *lifecycle) acquire() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.active++
	return true
}

func (l *lifecycle) release() {
	l.mu.Lock()
	l.active--
	if l.active == 0 && l.idle != nil {
		l.idle.Broadcast()
	}
	l.mu.Unlock()
}

// close marks the handle closed and waits until no call uses it. It reports
// whether this call closed it (false: it was closed already).
func (l *lifecycle) close() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.closed = true
	if l.idle == nil {
		l.idle = sync.NewCond(&l.mu)
	}
	for l.active > 0 {
		l.idle.Wait()
	}
	return true
}
