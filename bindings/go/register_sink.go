package complaints

// The function the library calls with each chunk of an export. A file with an
// //export may only declare things in its preamble, so the C wrapper that
// passes it lives in register.go.

/*
#include <stddef.h>
*/
import "C"

import (
	"fmt"
	"io"
	"sync"
	"unsafe"
)

// exportSink is one export under way: where its chunks go, and the first
// error writing them.
type exportSink struct {
	w   io.Writer
	err error
}

// sinks maps the integer the C side holds as the sink's `user` (never a Go
// pointer) to the export it stands for.
var sinks = struct {
	sync.Mutex
	next uintptr
	m    map[uintptr]*exportSink
}{m: map[uintptr]*exportSink{}}

func registerSink(s *exportSink) uintptr {
	sinks.Lock()
	defer sinks.Unlock()
	sinks.next++
	sinks.m[sinks.next] = s
	return sinks.next
}

func forgetSink(key uintptr) {
	sinks.Lock()
	delete(sinks.m, key)
	sinks.Unlock()
}

//export complaintsGoExportChunk
func complaintsGoExportChunk(user unsafe.Pointer, chunk *C.char, size C.size_t) (rc C.int) {
	sinks.Lock()
	s := sinks.m[uintptr(user)]
	sinks.Unlock()
	if s == nil {
		return 1
	}
	// A panic must not unwind into the library's C frames: it stops the export.
	defer func() {
		if p := recover(); p != nil {
			s.err = fmt.Errorf("panic: %v", p)
			rc = 1
		}
	}()
	if _, err := s.w.Write(C.GoBytes(unsafe.Pointer(chunk), C.int(size))); err != nil {
		s.err = err
		return 1
	}
	return 0
}
