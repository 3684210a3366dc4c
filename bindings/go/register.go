package complaints

// The complaint register export (docs/reporting.md, "Export").

/*
#include <stdint.h>
#include <complaints.h>

// The exported Go function (register_sink.go) takes a char *; the library's
// sink type takes a const char *. This wrapper has the exact type.
extern int complaintsGoExportChunk(void *user, char *chunk, size_t size);

static int complaints_go_export_sink(void *user, const char *chunk, size_t size) {
	return complaintsGoExportChunk(user, (char *)chunk, size);
}

// The key is an index into the Go side's sink registry: an integer, never a Go pointer.
static int complaints_go_export(complaints_desk *desk, char **summary, const complaints_actor *actor,
                                const char *options, uintptr_t key) {
	return complaints_export_callback(desk, summary, actor, options, complaints_go_export_sink, (void *)key);
}
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"io"
)

// ExportFormat is the text form of the export.
type ExportFormat string

const (
	// ExportCSV is RFC 4180: a header row, CRLF line ends, UTF-8 without BOM.
	ExportCSV ExportFormat = "csv"
	// ExportJSONLines is one JSON object per issue, a line each.
	ExportJSONLines ExportFormat = "json_lines"
)

// ExportOptions selects the issues and the format of an export. The filter's
// AfterNumber starts after that issue; its Limit is not used (the export runs
// to the last matching issue).
type ExportOptions struct {
	Filter     IssueFilter
	Format     ExportFormat // default ExportCSV
	PageIssues int          // issues read per read transaction: default 500, 1 to 10,000
}

// MarshalJSON writes the options document: the filter's keys with "format" and "page_issues".
func (o ExportOptions) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(o.Filter)
	if err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	if o.Format != "" {
		doc["format"], _ = json.Marshal(o.Format)
	}
	if o.PageIssues != 0 {
		doc["page_issues"], _ = json.Marshal(o.PageIssues)
	}
	return json.Marshal(doc)
}

// ExportSummary says what an export wrote.
type ExportSummary struct {
	Rows       int64    `json:"rows"`        // issues written
	LastNumber int64    `json:"last_number"` // the last issue's number (0: none)
	Columns    []string `json:"columns"`     // the CSV header's columns, in order
}

// ExportFile writes the complaint register to path, by way of
// "<path>.partial" renamed over path when complete: on failure path is as it
// was. One row per issue, by number, with its fields, SLA clocks as of now,
// case fields and resolution (docs/reporting.md names every column). Staff
// only (admin, supervisor, office, system).
//
// Errors: ErrForbidden for fieldworkers and customers; ErrInvalidInput naming
// the field ("format", "page_issues", a filter's field, "path" when the file
// cannot be created); ErrStorage when writing fails.
func (d *Desk) ExportFile(a *Actor, path string, o ExportOptions) (ExportSummary, error) {
	var cs cstrings
	defer cs.free()
	cpath := cs.str("path", path)
	doc := cs.json("options", o)
	return fetchJSON[ExportSummary](d, a, &cs, "summary", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_export_file(dp, out, ap, cpath, doc)
	})
}

// ExportIssues writes the complaint register to w, a page of rows per Write,
// in order, the CSV header with the first. Writes happen on the calling
// goroutine outside the desk's lock: w may call the desk. A Write error (or
// panic) stops the export and is returned, wrapped. Who may, and the errors:
// as ExportFile.
func (d *Desk) ExportIssues(a *Actor, w io.Writer, o ExportOptions) (ExportSummary, error) {
	if w == nil {
		return ExportSummary{}, &Error{Code: CodeMisuse, Message: "nil writer", Where: "w"}
	}
	var cs cstrings
	defer cs.free()
	doc := cs.json("options", o)
	s := &exportSink{w: w}
	key := registerSink(s)
	defer forgetSink(key)
	summary, err := fetchJSON[ExportSummary](d, a, &cs, "summary", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_go_export(dp, out, ap, doc, C.uintptr_t(key))
	})
	if s.err != nil {
		return summary, fmt.Errorf("complaints: export stopped by its writer: %w", s.err)
	}
	return summary, err
}
