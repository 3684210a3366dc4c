package complaints

// #include <complaints.h>
import "C"

import (
	"encoding/json"
	"time"
)

// DashboardOptions says which issues a dashboard counts: those reported in
// [From, To) matching every filter set. Zero values take the library's
// defaults (RepeatDays 30, Top 10, StalledAfterHours 336).
type DashboardOptions struct {
	From, To          time.Time  `json:"-"`
	Workflow          string     `json:"workflow,omitempty"`
	RecordKind        RecordKind `json:"record_kind,omitempty"`
	Type              string     `json:"type,omitempty"`
	Fieldworker       string     `json:"fieldworker,omitempty"` // a responsible fieldworker
	Stage             string     `json:"stage,omitempty"`       // the current stage
	RepeatDays        int        `json:"repeat_days,omitempty"` // 1 to 366
	Top               int        `json:"top,omitempty"`         // 1 to 100
	StalledAfterHours int        `json:"stalled_after_hours,omitempty"`
}

// MarshalJSON writes the options document, with instants as the library reads them.
func (o DashboardOptions) MarshalJSON() ([]byte, error) {
	type plain DashboardOptions
	return json.Marshal(struct {
		plain
		From string `json:"from"`
		To   string `json:"to"`
	}{plain(o), formatInstant(o.From), formatInstant(o.To)})
}

// DashboardCount is a name and how many issues have it.
type DashboardCount struct {
	Name   string `json:"name"`
	Issues int64  `json:"issues"`
}

// DurationStats describes durations, in milliseconds (nearest-rank percentiles).
type DurationStats struct {
	Count    int64 `json:"count"`
	MeanMS   int64 `json:"mean_ms"`
	MedianMS int64 `json:"median_ms"`
	P90MS    int64 `json:"p90_ms"`
}

// StageFigures are one stage's figures.
type StageFigures struct {
	Workflow  string `json:"workflow"`
	Stage     string `json:"stage"`
	Active    int64  `json:"active"`
	Resolved  int64  `json:"resolved"`
	Escalated int64  `json:"escalated"`
}

// SLAFigures are one SLA policy's clocks, as of the dashboard.
type SLAFigures struct {
	Policy   string `json:"policy"`
	Met      int64  `json:"met"`
	Breached int64  `json:"breached"`
	Running  int64  `json:"running"`
	AtRisk   int64  `json:"at_risk"`
}

// Dashboard holds every figure docs/reporting.md ("Dashboards") describes.
type Dashboard struct {
	From              time.Time                `json:"from"`
	To                time.Time                `json:"to"`
	AsOf              time.Time                `json:"as_of"`
	Issues            int64                    `json:"issues"`
	Resolved          int64                    `json:"resolved"`
	Active            int64                    `json:"active"`
	Escalated         int64                    `json:"escalated"`
	ByStatus          []DashboardCount         `json:"by_status"`
	ByCategory        []DashboardCount         `json:"by_category"`
	ByType            []DashboardCount         `json:"by_type"`
	ByStage           []DashboardCount         `json:"by_stage"`
	Stages            []StageFigures           `json:"stages"`
	TimeInStatus      map[string]DurationStats `json:"time_in_status"`
	Resolution        DurationStats            `json:"resolution"`
	ResolutionBuckets []int64                  `json:"resolution_buckets"`
	TopTypes          []DashboardCount         `json:"top_types"`
	TopRecords        []DashboardCount         `json:"top_records"`
	TopCustomers      []DashboardCount         `json:"top_customers"`
	TopFieldworkers   []DashboardCount         `json:"top_fieldworkers"`
	Repeats           int64                    `json:"repeats"`
	SLAs              []SLAFigures             `json:"slas"`
	Holds             struct {
		Withheld      int64           `json:"withheld"`
		Amounts       []CurrencyTotal `json:"amounts"`
		WithoutAmount int64           `json:"without_amount"`
		Stalled       int64           `json:"stalled"`
	} `json:"holds"`
}

// Dashboard counts the issues reported in [o.From, o.To) that match o's
// filters, within what the actor may see: staff everything, a fieldworker
// their own issues and holds.
//
// Errors: ErrForbidden for customers; ErrInvalidInput naming the option out
// of range ("to", "repeat_days", "top", "stalled_after", a filter).
func (d *Desk) Dashboard(a *Actor, o DashboardOptions) (Dashboard, error) {
	var cs cstrings
	defer cs.free()
	doc := cs.json("dashboard", o)
	return fetchJSON[Dashboard](d, a, &cs, "dashboard", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_dashboard(dp, out, ap, doc)
	})
}
