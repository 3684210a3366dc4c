package complaints

/*
#include <complaints.h>
*/
import "C"

// Records and issues.

// PutRecord registers or updates a record: its customer and assigned
// fieldworkers. Staff only (admin, supervisor, office, system).
//
// Errors: ErrForbidden for other roles; ErrInvalidInput for a bad id, kind
// or visibility (the message names the field).
func (d *Desk) PutRecord(a *Actor, r Record) error {
	var cs cstrings
	defer cs.free()
	doc := cs.json("record", r)
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_record_put(dp, ap, doc)
	})
}

// Record returns a registered record, if the actor may see it (staff, its
// customer, an assigned fieldworker).
//
// Errors: ErrNotFound when it is unknown or not visible to the actor.
func (d *Desk) Record(a *Actor, ref RecordRef) (Record, error) {
	var cs cstrings
	defer cs.free()
	kind, id := cs.str("kind", string(ref.Kind)), cs.str("id", ref.ID)
	return fetchJSON[Record](d, a, &cs, "record", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_record_get(dp, out, ap, kind, id)
	})
}

// Relink moves every issue of one record to another (a quote became a
// booking), logging it on each issue's timeline. Staff only. It returns the
// moved issues.
//
// Errors: ErrNotFound when `to` is not registered; ErrForbidden for non-staff.
func (d *Desk) Relink(a *Actor, from, to RecordRef) ([]Issue, error) {
	var cs cstrings
	defer cs.free()
	fk, fi := cs.str("from.kind", string(from.Kind)), cs.str("from.id", from.ID)
	tk, ti := cs.str("to.kind", string(to.Kind)), cs.str("to.id", to.ID)
	return fetchJSON[[]Issue](d, a, &cs, "issues", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_record_relink(dp, out, ap, fk, fi, tk, ti)
	})
}

// Report logs a complaint on a registered record and returns it, with its
// new code ("CMP-00001"), in its workflow's first status. Allowed for staff
// and the record's own customer, whose request may not set Fieldworkers,
// HoldAmounts, ToFollow, DeferredDate or FollowUpDate (staff business:
// ErrForbidden naming the field). Runs the workflow's on-report effects
// (field-service: withholds the responsible fieldworkers' payouts).
//
// Errors: ErrInvalidInput for a bad field (Where names it: "type",
// "follow_up_date"...); ErrNotFound for an unknown record or workflow;
// ErrForbidden for an actor who may not report on the record.
func (d *Desk) Report(a *Actor, req ReportRequest) (Issue, error) {
	var cs cstrings
	defer cs.free()
	doc := cs.json("request", req)
	return fetchJSON[Issue](d, a, &cs, "issue", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_issue_report(dp, out, ap, doc)
	})
}

// Act takes a workflow action on an issue and returns the issue as changed.
//
// Errors: ErrForbidden when the actor's role and permissions match none of
// the action's rules; ErrInvalidState when the action does not apply to the
// current status; ErrConflict when req.ExpectedVersion is stale;
// ErrInvalidInput for a bad or undeclared input (Where names it);
// ErrNotFound for an issue the actor cannot see; ErrInvalidWorkflow when the
// action uses an effect this version cannot run.
func (d *Desk) Act(a *Actor, code string, req ActionRequest) (Issue, error) {
	var cs cstrings
	defer cs.free()
	ccode, doc := cs.str("code", code), cs.json("request", req)
	return fetchJSON[Issue](d, a, &cs, "issue", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_issue_act(dp, out, ap, ccode, doc)
	})
}

// Edit changes an issue's type, description, To Follow flag and dates; each
// changed field is logged with its values before and after. Needs
// PermEditIssues.
//
// Errors: ErrForbidden without the permission; ErrInvalidInput for a bad
// value (Where names the field); ErrConflict on a stale ExpectedVersion;
// ErrNotFound.
func (d *Desk) Edit(a *Actor, code string, edit IssueEdit) (Issue, error) {
	var cs cstrings
	defer cs.free()
	ccode, doc := cs.str("code", code), cs.json("edit", edit)
	return fetchJSON[Issue](d, a, &cs, "issue", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_issue_edit(dp, out, ap, ccode, doc)
	})
}

// Get returns the issue with this code.
//
// Errors: ErrNotFound when there is none or the actor may not see it;
// ErrInvalidInput for a malformed code.
func (d *Desk) Get(a *Actor, code string) (Issue, error) {
	var cs cstrings
	defer cs.free()
	ccode := cs.str("code", code)
	return fetchJSON[Issue](d, a, &cs, "issue", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_issue_get(dp, out, ap, ccode)
	})
}

// List returns the issues matching the filter among those the actor may
// see, by number ascending. The zero filter lists the first 100.
//
// Errors: ErrInvalidInput for a bad criterion or limit.
func (d *Desk) List(a *Actor, f IssueFilter) ([]Issue, error) {
	var cs cstrings
	defer cs.free()
	doc := cs.json("filter", f)
	return fetchJSON[[]Issue](d, a, &cs, "issues", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_issue_list(dp, out, ap, doc)
	})
}

// Search returns the issues of SearchHits for the query text, most relevant
// first: at most limit (1 to 10,000), without scores or snippets.
//
// Errors: ErrInvalidInput when the query does not parse (where "query, byte
// N"), is empty or longer than 200 bytes, or limit is outside 1 to 10,000.
func (d *Desk) Search(a *Actor, text string, limit int) ([]Issue, error) {
	var cs cstrings
	defer cs.free()
	ctext := cs.str("text", text)
	return fetchJSON[[]Issue](d, a, &cs, "issues", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_issue_search(dp, out, ap, ctext, cInt(limit))
	})
}

// SearchOptions says what SearchHits looks for and how much it returns. Zero
// values take the library's defaults (limit 50, snippet_words 16, marks "["
// and "]").
type SearchOptions struct {
	// Query is 1 to 200 bytes of words, "phrases", prefix*, AND, OR, NOT and
	// parentheses, at most 16 words and phrases (docs/reporting.md, "Search").
	Query        string `json:"query"`
	Limit        int    `json:"limit,omitempty"`         // hits, 1 to 10,000
	Offset       int    `json:"offset,omitempty"`        // hits skipped first, 0 to 10,000
	SnippetWords int    `json:"snippet_words,omitempty"` // 1 to 64
	MarkOpen     string `json:"mark_open,omitempty"`     // at most 16 bytes
	MarkClose    string `json:"mark_close,omitempty"`    // at most 16 bytes
}

// SearchHit is one issue a search found.
type SearchHit struct {
	Issue   Issue   `json:"issue"`
	Score   float64 `json:"score"`   // relevance within this search, higher first
	Snippet string  `json:"snippet"` // words around the matches, each match between the marks
}

// SearchHits runs a full-text query over the descriptions, comments and
// attachment names of the issues the actor may see (a customer's reads only
// what customers may see): most relevant first, then by issue number. Any
// actor.
//
// Errors: ErrInvalidInput when the query does not parse (where "query, byte
// N") or an option is out of range (where names it).
func (d *Desk) SearchHits(a *Actor, o SearchOptions) ([]SearchHit, error) {
	var cs cstrings
	defer cs.free()
	doc := cs.json("options", o)
	return fetchJSON[[]SearchHit](d, a, &cs, "hits", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_search(dp, out, ap, doc)
	})
}

// Actions returns the names of the actions the actor could take on the issue now.
//
// Errors: ErrNotFound.
func (d *Desk) Actions(a *Actor, code string) ([]string, error) {
	var cs cstrings
	defer cs.free()
	ccode := cs.str("code", code)
	return fetchJSON[[]string](d, a, &cs, "actions", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_issue_actions(dp, out, ap, ccode)
	})
}

// Timeline returns the issue's timeline as the actor may see it (customers:
// without internal entries), oldest first.
//
// Errors: ErrNotFound.
func (d *Desk) Timeline(a *Actor, code string) ([]TimelineEntry, error) {
	var cs cstrings
	defer cs.free()
	ccode := cs.str("code", code)
	return fetchJSON[[]TimelineEntry](d, a, &cs, "timeline", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_issue_timeline(dp, out, ap, ccode)
	})
}

// Verify recomputes the issue's timeline hash chain. Staff only.
//
// Errors: ErrForbidden for non-staff; ErrNotFound.
func (d *Desk) Verify(a *Actor, code string) (ChainCheck, error) {
	var cs cstrings
	defer cs.free()
	ccode := cs.str("code", code)
	return fetchJSON[ChainCheck](d, a, &cs, "chain check", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_issue_verify(dp, out, ap, ccode)
	})
}

// Delete erases an issue forever, with its comments, attachments, links,
// watchers, timeline and undelivered outbox items; its code is never used
// again. Needs RoleAdmin and PermDeleteIssues. Delete the files named in
// DeletedIssue.StorageKeys too. DeletedIssue.FilesScrubbed false means
// another connection's read delayed the scrub of the files (see Desk.Scrub).
//
// Errors: ErrForbidden; ErrNotFound.
func (d *Desk) Delete(a *Actor, code string) (DeletedIssue, error) {
	var cs cstrings
	defer cs.free()
	ccode := cs.str("code", code)
	return fetchJSON[DeletedIssue](d, a, &cs, "deletion", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_issue_delete(dp, out, ap, ccode)
	})
}
