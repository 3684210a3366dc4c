package complaints

/*
#include <stdlib.h>
#include <complaints.h>
*/
import "C"

import (
	"fmt"
	"runtime"
	"strings"
	"unsafe"
)

// Role is what an actor is to the business.
type Role int

// The roles. Admin, supervisor, office and system are staff.
const (
	RoleAdmin       Role = C.COMPLAINTS_ROLE_ADMIN
	RoleSupervisor  Role = C.COMPLAINTS_ROLE_SUPERVISOR
	RoleOffice      Role = C.COMPLAINTS_ROLE_OFFICE
	RoleFieldworker Role = C.COMPLAINTS_ROLE_FIELDWORKER
	RoleCustomer    Role = C.COMPLAINTS_ROLE_CUSTOMER
	RoleSystem      Role = C.COMPLAINTS_ROLE_SYSTEM // the host itself: its delivery process, payroll, importers
)

var roleNames = [...]string{"admin", "supervisor", "office", "fieldworker", "customer", "system"}

// String is the role's name as the library writes it ("fieldworker").
func (r Role) String() string {
	if r >= 0 && int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// IsStaff reports whether the role works for the business.
func (r Role) IsStaff() bool {
	return r == RoleAdmin || r == RoleSupervisor || r == RoleOffice || r == RoleSystem
}

// MarshalText writes the role's name.
func (r Role) MarshalText() ([]byte, error) {
	if r < 0 || int(r) >= len(roleNames) {
		return nil, fmt.Errorf("complaints: unknown role %d", int(r))
	}
	return []byte(roleNames[r]), nil
}

// UnmarshalText reads a role's name.
func (r *Role) UnmarshalText(b []byte) error {
	for i, n := range roleNames {
		if n == string(b) {
			*r = Role(i)
			return nil
		}
	}
	return fmt.Errorf("complaints: unknown role %q", b)
}

// Permission is a set of permissions the host grants an actor, as bits;
// combine them with |. Roles never imply permissions: an admin without
// PermDeleteIssues cannot delete.
type Permission uint

// The permissions.
const (
	PermDeleteIssues   Permission = C.COMPLAINTS_PERM_DELETE_ISSUES
	PermReleasePayment Permission = C.COMPLAINTS_PERM_RELEASE_PAYMENT
	PermEditIssues     Permission = C.COMPLAINTS_PERM_EDIT_ISSUES
	PermManageSettings Permission = C.COMPLAINTS_PERM_MANAGE_SETTINGS

	// AllPermissions holds every permission.
	AllPermissions = PermDeleteIssues | PermReleasePayment | PermEditIssues | PermManageSettings
)

var permNames = []struct {
	p    Permission
	name string
}{
	{PermDeleteIssues, "delete_issues"},
	{PermReleasePayment, "release_payment"},
	{PermEditIssues, "edit_issues"},
	{PermManageSettings, "manage_settings"},
}

// String lists the permissions' names joined by "|" ("edit_issues|manage_settings"), or "none".
func (p Permission) String() string {
	var names []string
	for _, n := range permNames {
		if p&n.p != 0 {
			names = append(names, n.name)
			p &^= n.p
		}
	}
	if p != 0 {
		names = append(names, fmt.Sprintf("%#x", uint(p)))
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "|")
}

// Has reports whether p holds every permission of q.
func (p Permission) Has(q Permission) bool { return p&q == q }

// Actor is who a call is made for: the host's user id, a role and
// permissions. The host vouches for the actor (it owns authentication); the
// library enforces what the role and permissions allow.
//
// Thread-safety: an Actor is immutable and may be shared by goroutines and
// desks. Close it when done; a finalizer frees it otherwise.
type Actor struct {
	id    string
	role  Role
	perms Permission
	life  lifecycle
	ptr   *C.complaints_actor
}

// NewActor makes an actor. The id is the host's user id; permissions may be
// given one by one or combined with |.
//
// Errors: ErrInvalidInput for an empty, too long or non-UTF-8 id or one with
// control characters; ErrMisuse for an unknown role or permission bit. The
// Message is the library's ("id: must not be empty").
func NewActor(id string, role Role, perms ...Permission) (*Actor, error) {
	var all Permission
	for _, p := range perms {
		all |= p
	}
	if strings.IndexByte(id, 0) >= 0 {
		return nil, &Error{Code: CodeInvalidInput, Message: "actor id contains a NUL byte", Where: "id"}
	}
	cid := C.CString(id)
	defer C.free(unsafe.Pointer(cid))
	var ptr *C.complaints_actor
	var msg *C.char
	rc := C.complaints_actor_new(&ptr, cid, cInt(int(role)), cPermissions(all), &msg)
	message := takeString(msg)
	if rc != C.COMPLAINTS_OK {
		if ptr != nil { // not expected: the contract says *out is NULL on failure
			C.complaints_actor_free(ptr)
		}
		if message == "" { // the library could not allocate its message
			message = fmt.Sprintf("cannot make actor %q (%s, %s)", id, role, all)
		}
		return nil, errorOf(rc, message)
	}
	a := &Actor{id: id, role: role, perms: all, ptr: ptr}
	runtime.SetFinalizer(a, (*Actor).Close)
	return a, nil
}

// MustActor is NewActor for actors known to be valid (constants in a host's
// code); it panics on error.
func MustActor(id string, role Role, perms ...Permission) *Actor {
	a, err := NewActor(id, role, perms...)
	if err != nil {
		panic(err)
	}
	return a
}

// ID is the host's user id of the actor.
func (a *Actor) ID() string { return a.id }

// Role is the actor's role.
func (a *Actor) Role() Role { return a.role }

// Permissions are the actor's permissions.
func (a *Actor) Permissions() Permission { return a.perms }

// String is "id (role)".
func (a *Actor) String() string { return a.id + " (" + a.role.String() + ")" }

// Close frees the actor. It waits for calls using it to end; later calls
// with it fail with ErrMisuse. Closing twice is fine.
func (a *Actor) Close() error {
	if a == nil || !a.life.close() {
		return nil
	}
	runtime.SetFinalizer(a, nil)
	C.complaints_actor_free(a.ptr)
	a.ptr = nil
	return nil
}

// acquire returns the C actor for one call; release it after.
func (a *Actor) acquire() (*C.complaints_actor, error) {
	if a == nil {
		return nil, &Error{Code: CodeMisuse, Message: "nil actor", Where: "actor"}
	}
	if !a.life.acquire() {
		return nil, &Error{Code: CodeMisuse, Message: "actor " + a.id + " is closed", Where: "actor"}
	}
	return a.ptr, nil
}
