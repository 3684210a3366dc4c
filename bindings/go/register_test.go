package complaints_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	complaints "github.com/complaints-lib/complaints/bindings/go"
)

// The register export: the CSV reads back with encoding/csv, commas, quotes
// and newlines inside values included; JSON lines decode; a writer's error
// stops it; only staff export.
func TestExportRegister(t *testing.T) {
	f := newFixture(t)
	descriptions := []string{"Scratched the bench, \"badly\"\nand the oven door.", "Plain", "Late;\r\nagain"}
	for _, d := range descriptions {
		f.report(d)
	}
	path := filepath.Join(t.TempDir(), "register.csv")
	summary, err := f.desk.ExportFile(f.office, path, complaints.ExportOptions{PageIssues: 2})
	f.must(err)
	if summary.Rows != 3 || summary.LastNumber != 3 {
		t.Fatalf("summary %+v", summary)
	}
	file, err := os.Open(path)
	f.must(err)
	defer file.Close()
	rows, err := csv.NewReader(file).ReadAll()
	f.must(err)
	if len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(summary.Columns, ",") {
		t.Fatalf("rows %q", rows)
	}
	for i, d := range descriptions {
		// encoding/csv reads a quoted CRLF as LF.
		if want := strings.ReplaceAll(d, "\r\n", "\n"); rows[i+1][7] != want {
			t.Errorf("row %d description %q, want %q", i+1, rows[i+1][7], want)
		}
	}

	var out bytes.Buffer
	_, err = f.desk.ExportIssues(f.admin, &out, complaints.ExportOptions{Format: complaints.ExportJSONLines,
		Filter: complaints.IssueFilter{AfterNumber: 1}})
	f.must(err)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("lines %q", lines)
	}
	var row struct {
		Code        string `json:"code"`
		Description string `json:"description"`
	}
	f.must(json.Unmarshal([]byte(lines[1]), &row))
	if row.Code != "CMP-00003" || row.Description != descriptions[2] {
		t.Errorf("row %+v", row)
	}

	stop := errors.New("disk full")
	_, err = f.desk.ExportIssues(f.office, failingWriter{stop}, complaints.ExportOptions{})
	if !errors.Is(err, stop) {
		t.Errorf("a writer's error: got %v", err)
	}
	_, err = f.desk.ExportIssues(f.tech, &out, complaints.ExportOptions{})
	if !errors.Is(err, complaints.ErrForbidden) {
		t.Errorf("a fieldworker: got %v", err)
	}
	_, err = f.desk.ExportIssues(f.office, &out, complaints.ExportOptions{Format: "xlsx"})
	var e *complaints.Error
	if !errors.As(err, &e) || e.Where != "format" {
		t.Errorf("a bad format: got %v", err)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }
