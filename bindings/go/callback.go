package complaints

// This file holds the one function the library calls back. A file with an
// //export may only declare things in its preamble, so the C wrapper that
// registers it lives in events.go.

/*
#include <stdint.h>
*/
import "C"

import (
	"encoding/json"
	"sync"
	"unsafe"
)

// handlers maps the integer the C side holds as a callback's `user` (never a
// Go pointer) to the subscription it stands for.
var handlers = struct {
	sync.RWMutex
	next uintptr
	m    map[uintptr]*subscription
}{m: map[uintptr]*subscription{}}

// register keeps sub until forget and returns its key, never 0.
func register(sub *subscription) uintptr {
	handlers.Lock()
	defer handlers.Unlock()
	handlers.next++
	handlers.m[handlers.next] = sub
	return handlers.next
}

func forget(key uintptr) {
	handlers.Lock()
	delete(handlers.m, key)
	handlers.Unlock()
}

func lookup(key uintptr) *subscription {
	handlers.RLock()
	defer handlers.RUnlock()
	return handlers.m[key]
}

//export complaintsGoEvent
func complaintsGoEvent(user unsafe.Pointer, kind C.int, eventJSON *C.char) {
	// A delivery that was already under way on another goroutine when a
	// handler called Off for it (Off does not wait then) finds it gone.
	sub := lookup(uintptr(user))
	if sub == nil {
		return
	}
	// A panic must not unwind into the library's C frames: drop it.
	defer func() { _ = recover() }()
	var e Event
	if eventJSON != nil {
		// A field that does not decode is left empty; the handler still runs.
		_ = json.Unmarshal([]byte(C.GoString(eventJSON)), &e)
	}
	e.Kind = EventKind(kind)
	sub.fn(e)
}
