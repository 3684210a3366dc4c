package complaints

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// The documents of the C API (docs/c-api.md), as Go values. They mirror the
// C++ structs of include/complaints/ and their field names. All are plain
// values, safe to copy and share.

// MarshalJSON writes the role's name.
func (r Role) MarshalJSON() ([]byte, error) {
	b, err := r.MarshalText()
	if err != nil {
		return nil, err
	}
	return json.Marshal(string(b))
}

// UnmarshalJSON reads a role's name (or its number).
func (r *Role) UnmarshalJSON(b []byte) error {
	if n, err := strconv.Atoi(string(b)); err == nil {
		*r = Role(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("complaints: role: %w", err)
	}
	return r.UnmarshalText([]byte(s))
}

// Date is a calendar day with no time zone (deferred and follow-up dates),
// written "YYYY-MM-DD". The library checks the day exists: a Date such as
// {2026, February, 30} is sent as written and refused with ErrInvalidInput
// naming the field.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, &Error{Code: CodeInvalidInput, Message: fmt.Sprintf("%q is not a date (YYYY-MM-DD)", s), Where: "date"}
	}
	return DateOf(t), nil
}

// String is "YYYY-MM-DD".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// MarshalText writes "YYYY-MM-DD".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "YYYY-MM-DD" as written (not checking the day exists).
func (d *Date) UnmarshalText(b []byte) error {
	var y, m, day int
	if n, err := fmt.Sscanf(string(b), "%4d-%2d-%2d", &y, &m, &day); err != nil || n != 3 || len(b) != 10 {
		return fmt.Errorf("complaints: %q is not a date (YYYY-MM-DD)", b)
	}
	*d = Date{y, time.Month(m), day}
	return nil
}

// RecordKind is the kind of a host record a complaint is about.
type RecordKind string

// The record kinds.
const (
	Quote   RecordKind = "quote"
	Booking RecordKind = "booking"
	Invoice RecordKind = "invoice"
)

// RecordRef names a record by kind and the host's own id.
type RecordRef struct {
	Kind RecordKind `json:"kind"`
	ID   string     `json:"id"`
}

// BookingRef names a booking.
func BookingRef(id string) RecordRef { return RecordRef{Booking, id} }

// QuoteRef names a quote.
func QuoteRef(id string) RecordRef { return RecordRef{Quote, id} }

// InvoiceRef names an invoice.
func InvoiceRef(id string) RecordRef { return RecordRef{Invoice, id} }

// String is "booking:B-1042".
func (r RecordRef) String() string { return string(r.Kind) + ":" + r.ID }

// RecordVisibility says who besides office staff and the customer sees a
// quote's or invoice's issues. Bookings ignore it: their assigned
// fieldworkers always see their issues.
type RecordVisibility string

// The record visibilities.
const (
	VisibilityRestricted RecordVisibility = "restricted" // office and customer only
	VisibilityAll        RecordVisibility = "all"        // assigned fieldworkers too
)

// Record is what the library knows of a host record: its customer and
// assigned fieldworkers. Its kind and id are written at the top level of the
// JSON document, as the C API wants them.
type Record struct {
	RecordRef
	CustomerID   string           `json:"customer_id"`
	Fieldworkers []string         `json:"fieldworkers"`
	Visibility   RecordVisibility `json:"visibility,omitempty"` // default restricted
	PaidOut      bool             `json:"paid_out"`             // fieldworkers were already paid for it
	InvoiceID    string           `json:"invoice_id,omitempty"` // a booking's invoice ("" if none)
}

// StatusCategory is where a status sits in a complaint's life.
type StatusCategory string

// The status categories. Open issues are those of any category but closed.
const (
	CategoryOpen     StatusCategory = "open"
	CategoryActive   StatusCategory = "active"
	CategoryPending  StatusCategory = "pending"
	CategoryResolved StatusCategory = "resolved"
	CategoryClosed   StatusCategory = "closed"
)

// Channel is how a complaint reached the business.
type Channel string

// The channels.
const (
	ChannelOffice         Channel = "office"
	ChannelCustomerPortal Channel = "customer_portal"
	ChannelCalendar       Channel = "calendar"
	ChannelImport         Channel = "import"
)

// Issue is a snapshot of one complaint at one version. Changes go through
// Desk.Report, Act and Edit, which return the new snapshot.
type Issue struct {
	Code         string         `json:"code"` // "CMP-00042": unique per database, never reused
	Number       int64          `json:"number"`
	Record       RecordRef      `json:"record"`
	CustomerID   string         `json:"customer_id"`
	Fieldworkers []string       `json:"fieldworkers"` // the fieldworkers responsible
	Type         string         `json:"type"`
	Description  string         `json:"description"`
	ToFollow     bool           `json:"to_follow"`
	DeferredDate *Date          `json:"deferred_date"` // when a To Follow issue is due again
	FollowUpDate *Date          `json:"follow_up_date"`
	Workflow     string         `json:"workflow"`
	Status       string         `json:"status"`
	Category     StatusCategory `json:"category"`
	Stage        string         `json:"stage"`    // "" where the workflow has no stages
	Assignee     string         `json:"assignee"` // "" when unassigned
	ReporterID   string         `json:"reporter_id"`
	ReporterRole Role           `json:"reporter_role"`
	Channel      Channel        `json:"channel"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
	Version      int64          `json:"version"`     // 1 when reported; +1 on every change
	Timers       []IssueTimer   `json:"timers"`      // pending workflow timers
	SLAs         []SLAClock     `json:"slas"`        // SLA clocks, as of the last change
	ReminderAt   *time.Time     `json:"reminder_at"` // when the To Follow reminder goes out
	// Case fields with a value, by name, in their text form (docs/tasks.md);
	// empty in what customers read.
	Fields map[string]string `json:"fields"`
}

// IsClosed reports whether the issue's status is of category closed.
func (i Issue) IsClosed() bool { return i.Category == CategoryClosed }

// Money is an amount in integer minor units (cents) of an ISO 4217
// currency. The library checks both.
type Money struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
}

// ReportRequest is the input of Desk.Report.
type ReportRequest struct {
	Record       RecordRef // must be registered (Desk.PutRecord)
	Type         string    // one of the configured issue types
	Description  string
	ToFollow     bool
	DeferredDate *Date   // only with ToFollow
	FollowUpDate *Date   // a scheduled follow-up appointment
	Channel      Channel // default: customer_portal for customers, import for system, else office
	// The fieldworkers responsible; each must be assigned to the record.
	// nil: all assigned; an empty non-nil slice: none.
	Fieldworkers []string
	// Amounts to hold, by responsible fieldworker, where the workflow withholds payouts.
	HoldAmounts map[string]Money
	Workflow    string // default "field-service"
}

// MarshalJSON writes the request document of complaints_issue_report.
func (r ReportRequest) MarshalJSON() ([]byte, error) {
	type doc struct {
		Record       RecordRef        `json:"record"`
		Type         string           `json:"type"`
		Description  string           `json:"description"`
		ToFollow     bool             `json:"to_follow,omitempty"`
		DeferredDate *Date            `json:"deferred_date,omitempty"`
		FollowUpDate *Date            `json:"follow_up_date,omitempty"`
		Channel      Channel          `json:"channel,omitempty"`
		Fieldworkers *[]string        `json:"fieldworkers,omitempty"`
		HoldAmounts  map[string]Money `json:"hold_amounts,omitempty"`
		Workflow     string           `json:"workflow,omitempty"`
	}
	d := doc{r.Record, r.Type, r.Description, r.ToFollow, r.DeferredDate, r.FollowUpDate, r.Channel, nil,
		r.HoldAmounts, r.Workflow}
	if r.Fieldworkers != nil {
		d.Fieldworkers = &r.Fieldworkers
	}
	return json.Marshal(d)
}

// ActionRequest is the input of Desk.Act: a workflow action and its inputs
// as text (a date is "YYYY-MM-DD"), checked against the action's declaration.
type ActionRequest struct {
	Action string            `json:"action"`
	Inputs map[string]string `json:"inputs,omitempty"`
	// When not 0, the action is refused with ErrConflict unless the issue is
	// still at this version (versions start at 1).
	ExpectedVersion int64 `json:"expected_version,omitempty"`
	// Case field values the action sets (each listed in its workflow's
	// "fields" for the action; "" clears one; multi_choice: "a;b").
	Fields map[string]string `json:"fields,omitempty"`
}

// IssueEdit is the input of Desk.Edit: nil fields stay as they are.
type IssueEdit struct {
	Type              *string
	Description       *string
	ToFollow          *bool
	DeferredDate      *Date // a new deferred date
	ClearDeferredDate bool  // remove the deferred date (DeferredDate must be nil)
	FollowUpDate      *Date
	ClearFollowUpDate bool
	ExpectedVersion   int64 // not 0: refuse with ErrConflict unless the issue is at this version
	// Case field values to set (any field the workflow declares; "" clears one).
	Fields map[string]string
}

// MarshalJSON writes the edit document of complaints_issue_edit, where a
// null date clears it.
func (e IssueEdit) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	if e.Type != nil {
		m["type"] = *e.Type
	}
	if e.Description != nil {
		m["description"] = *e.Description
	}
	if e.ToFollow != nil {
		m["to_follow"] = *e.ToFollow
	}
	if e.DeferredDate != nil {
		m["deferred_date"] = *e.DeferredDate
	} else if e.ClearDeferredDate {
		m["deferred_date"] = nil
	}
	if e.FollowUpDate != nil {
		m["follow_up_date"] = *e.FollowUpDate
	} else if e.ClearFollowUpDate {
		m["follow_up_date"] = nil
	}
	if e.ExpectedVersion != 0 {
		m["expected_version"] = e.ExpectedVersion
	}
	if len(e.Fields) > 0 {
		m["fields"] = e.Fields
	}
	return json.Marshal(m)
}

// IssueFilter selects issues for Desk.List; every set criterion must hold.
// Results come by issue number, ascending; page with AfterNumber and Limit.
type IssueFilter struct {
	Open        bool             `json:"open,omitempty"` // only open issues (any category but closed)
	Record      *RecordRef       `json:"record,omitempty"`
	RecordKind  RecordKind       `json:"record_kind,omitempty"`
	Workflow    string           `json:"workflow,omitempty"`
	Status      string           `json:"status,omitempty"`
	Categories  []StatusCategory `json:"categories,omitempty"` // any of these; empty: all
	Stage       string           `json:"stage,omitempty"`
	Type        string           `json:"type,omitempty"`
	Fieldworker string           `json:"fieldworker,omitempty"` // a responsible fieldworker
	Assignee    string           `json:"assignee,omitempty"`
	Owner       string           `json:"owner,omitempty"` // reported by, or assigned to, this user
	CustomerID  string           `json:"customer_id,omitempty"`
	ToFollow    *bool            `json:"to_follow,omitempty"`
	CreatedFrom *time.Time       `json:"-"` // inclusive
	CreatedTo   *time.Time       `json:"-"` // exclusive
	AfterNumber int64            `json:"after_number,omitempty"`
	Limit       int              `json:"limit,omitempty"` // default 100, at most 10,000
	// Case fields that must have exactly these values ("": without one). Not for customers.
	Fields map[string]string `json:"fields,omitempty"`
}

// MarshalJSON writes the filter document, with instants as the library reads them.
func (f IssueFilter) MarshalJSON() ([]byte, error) {
	type plain IssueFilter
	d := struct {
		plain
		CreatedFrom string `json:"created_from,omitempty"`
		CreatedTo   string `json:"created_to,omitempty"`
	}{plain: plain(f)}
	if f.CreatedFrom != nil {
		d.CreatedFrom = formatInstant(*f.CreatedFrom)
	}
	if f.CreatedTo != nil {
		d.CreatedTo = formatInstant(*f.CreatedTo)
	}
	return json.Marshal(d)
}

// FieldChange is one field's value before and after a change ("" when it had none).
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// TimelineEntry is one entry of an issue's audit trail: who, when, what kind
// of change, and each field's value before and after.
type TimelineEntry struct {
	IssueCode string        `json:"issue_code"`
	Seq       int64         `json:"seq"` // 1, 2, 3... per issue
	At        time.Time     `json:"at"`
	ActorID   string        `json:"actor_id"`
	ActorRole Role          `json:"actor_role"`
	Kind      string        `json:"kind"`   // reported, action, edited, relinked, payment, comment, attachment, watchers, link, message
	Action    string        `json:"action"` // the workflow action, for kind "action"
	Changes   []FieldChange `json:"changes"`
	Note      string        `json:"note"`
	Internal  bool          `json:"internal"` // never shown to customers
	PrevHash  string        `json:"prev_hash"`
	Hash      string        `json:"hash"`
}

// Change returns the entry's change of field, if it has one.
func (e TimelineEntry) Change(field string) (FieldChange, bool) {
	for _, c := range e.Changes {
		if c.Field == field {
			return c, true
		}
	}
	return FieldChange{}, false
}

// ChainCheck is the result of Desk.Verify.
type ChainCheck struct {
	OK        bool   `json:"ok"`
	Entries   int64  `json:"entries"`    // entries examined
	BrokenSeq *int64 `json:"broken_seq"` // the first entry that fails, when not OK
	Reason    string `json:"reason"`
}

// DeletedIssue is what Desk.Delete erased.
type DeletedIssue struct {
	Code            string   `json:"code"`
	Comments        int64    `json:"comments"`
	Attachments     int64    `json:"attachments"`
	TimelineEntries int64    `json:"timeline_entries"`
	OutboxItems     int64    `json:"outbox_items"`
	StorageKeys     []string `json:"storage_keys"` // the host's files to delete too
	FilesScrubbed   bool     `json:"files_scrubbed"`
}

// StatusDef is a status of a workflow, for Desk.AddStatus.
type StatusDef struct {
	Name     string         `json:"name"`
	Colour   string         `json:"colour,omitempty"` // "#RRGGBB"; default "#808080"
	Category StatusCategory `json:"category"`
}

// IssueType is a configurable kind of complaint.
type IssueType struct {
	Name   string `json:"name"`
	Colour string `json:"colour"` // "#RRGGBB"
}

// WorkflowProblem is one problem found in a workflow document.
type WorkflowProblem struct {
	Path    string `json:"path"` // e.g. "$.actions[2].from[0]"
	Message string `json:"message"`
}

// NotifyScope is which events a user wants to hear about.
type NotifyScope string

// The notification scopes.
const (
	ScopeAll     NotifyScope = "all"     // every event they are a recipient of
	ScopeMine    NotifyScope = "mine"    // issues they reported, own, are responsible for, watch or are the customer of
	ScopeReplies NotifyScope = "replies" // replies to their comments and mentions of them
)

// NotificationSettings are a user's notification scope and channels.
type NotificationSettings struct {
	Scope NotifyScope `json:"scope"`
	Push  bool        `json:"push"`
	SMS   bool        `json:"sms"`
	Email bool        `json:"email"`
}

// DefaultNotificationSettings are a role's defaults: push for staff and
// fieldworkers, email for customers.
func DefaultNotificationSettings(r Role) NotificationSettings {
	if r == RoleCustomer {
		return NotificationSettings{Scope: ScopeAll, Email: true}
	}
	return NotificationSettings{Scope: ScopeAll, Push: true}
}

// User is a host user the library should know by name: admins, users who
// may be @mentioned or watch issues, users with their own settings.
type User struct {
	ID   string `json:"id"`
	Role Role   `json:"role"`
	Name string `json:"name,omitempty"` // display name, for messages: "First Last"
	// Settings: nil means the role's defaults.
	Settings *NotificationSettings `json:"settings,omitempty"`
}

// Attachment is a file attached to an issue or a comment (metadata; the
// bytes, when the library keeps them, come from Desk.AttachmentBytes).
type Attachment struct {
	ID         int64     `json:"id"`
	IssueCode  string    `json:"issue_code"`
	CommentID  *int64    `json:"comment_id"` // set when attached to a comment
	Name       string    `json:"name"`
	MediaType  string    `json:"media_type"`
	Size       int64     `json:"size"`
	SHA256     string    `json:"sha256"` // lower-case hex
	StorageKey string    `json:"storage_key"`
	Internal   bool      `json:"internal"`
	UploadedBy string    `json:"uploaded_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// AttachmentVisibility says who sees an attachment (docs/discussion.md). It
// is never widened: a file is as internal as asked, and never more public
// than its comment.
type AttachmentVisibility string

const (
	// AttachmentDefault: on a comment, as the comment; on the issue itself,
	// internal (public when a customer attaches it).
	AttachmentDefault AttachmentVisibility = ""
	// AttachmentInternal: office and fieldworkers only, even on a public
	// comment (the customer sees the comment without the file). Refused
	// (ErrInvalidInput at "attachments[i].internal") from a customer.
	AttachmentInternal AttachmentVisibility = "internal"
	// AttachmentPublic: the customer too. Refused on an internal comment.
	AttachmentPublic AttachmentVisibility = "public"
)

// AttachmentRequest is a new attachment: either Bytes for the library to
// keep (up to 10 MiB) or the StorageKey of a file the host keeps, with its
// Size and SHA256.
type AttachmentRequest struct {
	Name       string
	MediaType  string
	Bytes      []byte // the file, kept by the library
	StorageKey string // or the host's key of the file
	Size       int64  // 0 with Bytes: len(Bytes)
	SHA256     string // lower-case hex; may be "" with Bytes for the library to compute
	Visibility AttachmentVisibility
}

// MarshalJSON writes the attachment document of the C API.
func (r AttachmentRequest) MarshalJSON() ([]byte, error) {
	m := map[string]any{
		"name":       r.Name,
		"media_type": r.MediaType,
	}
	switch r.Visibility {
	case AttachmentDefault:
	case AttachmentInternal:
		m["internal"] = true
	case AttachmentPublic:
		m["internal"] = false
	default:
		return nil, fmt.Errorf("unknown attachment visibility %q (want \"\", \"internal\" or \"public\")", string(r.Visibility))
	}
	size := r.Size
	if r.Bytes != nil {
		m["bytes_base64"] = r.Bytes // encoding/json writes []byte as standard base64
		if size == 0 {
			size = int64(len(r.Bytes))
		}
	}
	if r.StorageKey != "" {
		m["storage_key"] = r.StorageKey
	}
	m["size"] = size
	if r.SHA256 != "" {
		m["sha256"] = r.SHA256
	}
	return json.Marshal(m)
}

// Comment is one comment of an issue's discussion.
type Comment struct {
	ID          int64        `json:"id"`
	IssueCode   string       `json:"issue_code"`
	AuthorID    string       `json:"author_id"`
	AuthorRole  Role         `json:"author_role"`
	Internal    bool         `json:"internal"` // office and fieldworkers only
	Body        string       `json:"body"`
	ReplyTo     *int64       `json:"reply_to"`    // the comment it answers
	Mentions    []string     `json:"mentions"`    // users @mentioned, as resolved
	Attachments []Attachment `json:"attachments"` // without bytes
	CreatedAt   time.Time    `json:"created_at"`
}

// CommentRequest is the input of Desk.AddComment. Comments are internal
// (office and fieldworkers) unless Public is set; customers' comments are
// always public.
type CommentRequest struct {
	Body        string
	Public      bool
	ReplyTo     int64 // not 0: the id of the comment it answers
	Attachments []AttachmentRequest
}

// MarshalJSON writes the comment document of the C API.
func (r CommentRequest) MarshalJSON() ([]byte, error) {
	m := map[string]any{"body": r.Body, "internal": !r.Public}
	if r.ReplyTo != 0 {
		m["reply_to"] = r.ReplyTo
	}
	if len(r.Attachments) > 0 {
		m["attachments"] = r.Attachments
	}
	return json.Marshal(m)
}

// LinkKind is how two issues are linked.
type LinkKind string

// The link kinds.
const (
	LinkRelated     LinkKind = "related"      // shown as related on both issues
	LinkDuplicateOf LinkKind = "duplicate_of" // this issue duplicates the other
)

// IssueLink is a link as seen from one issue.
type IssueLink struct {
	OtherCode string    `json:"other_code"`
	Kind      LinkKind  `json:"kind"`
	Outgoing  bool      `json:"outgoing"` // false: the other issue made the link ("duplicated by")
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// HoldState is whether a payout is withheld.
type HoldState string

// The hold states.
const (
	HoldWithheld HoldState = "withheld"
	HoldReleased HoldState = "released"
)

// HoldScope is what a held amount covers.
type HoldScope string

// The hold scopes.
const (
	ScopePortion HoldScope = "portion" // the fieldworker's portion of the payout (default)
	ScopeWhole   HoldScope = "whole"   // the record's whole payout
)

// PaymentHold is a fieldworker's payout for one record, withheld while
// complaints naming them are open.
type PaymentHold struct {
	Record      RecordRef  `json:"record"`
	Fieldworker string     `json:"fieldworker"`
	State       HoldState  `json:"state"`
	Amount      *Money     `json:"amount"` // what is held, when the host said
	Scope       HoldScope  `json:"scope"`
	Since       time.Time  `json:"since"` // when it was (last) withheld
	ReleasedAt  *time.Time `json:"released_at"`
	Issues      []string   `json:"issues"`   // every issue ever linked to it
	Blocking    []string   `json:"blocking"` // the linked issues still open
}

// PayDecision answers "may I pay this fieldworker for this record?".
type PayDecision struct {
	MayPay      bool         `json:"may_pay"`
	Record      RecordRef    `json:"record"`
	Fieldworker string       `json:"fieldworker"`
	Hold        *PaymentHold `json:"hold"`     // the hold, withheld or released, if there ever was one
	Blocking    []string     `json:"blocking"` // open issues keeping it withheld
	AgeMillis   int64        `json:"age_ms"`   // how long it has been withheld (0 when payable)
	Reason      string       `json:"reason"`   // why not, in words ("" when payable)
}

// Age is how long the payout has been withheld (0 when payable).
func (p PayDecision) Age() time.Duration { return time.Duration(p.AgeMillis) * time.Millisecond }

// PayQuery is one (record, fieldworker) pair of Desk.MayPayMany.
type PayQuery struct {
	Record      RecordRef `json:"record"`
	Fieldworker string    `json:"fieldworker"`
}

// HoldFilter selects holds for Desk.Holds; every set criterion must hold.
type HoldFilter struct {
	Record         *RecordRef `json:"record,omitempty"`
	Invoice        string     `json:"invoice,omitempty"` // holds on this invoice and the bookings it bills
	Fieldworker    string     `json:"fieldworker,omitempty"`
	State          HoldState  `json:"state,omitempty"`
	WithheldBefore *time.Time `json:"-"`               // withheld at or before this instant
	Limit          int        `json:"limit,omitempty"` // default 1,000, at most 100,000
}

// MarshalJSON writes the filter document, with the instant as the library reads it.
func (f HoldFilter) MarshalJSON() ([]byte, error) {
	type plain HoldFilter
	d := struct {
		plain
		WithheldBefore string `json:"withheld_before,omitempty"`
	}{plain: plain(f)}
	if f.WithheldBefore != nil {
		d.WithheldBefore = formatInstant(*f.WithheldBefore)
	}
	return json.Marshal(d)
}

// HoldRequest is the input of Desk.Withhold: a hold by hand (a billing
// dispute), or a new amount on an existing hold.
type HoldRequest struct {
	Record      RecordRef `json:"record"`
	Fieldworker string    `json:"fieldworker"`
	Amount      *Money    `json:"amount,omitempty"`
	Scope       HoldScope `json:"scope,omitempty"`
	Reason      string    `json:"reason"` // required
}

// ReleaseRequest is the input of Desk.Release.
type ReleaseRequest struct {
	Record      RecordRef `json:"record"`
	Fieldworker string    `json:"fieldworker"`
	Reason      string    `json:"reason"`             // required
	Override    bool      `json:"override,omitempty"` // admin only: release although issues are open
}

// LedgerAction is what a ledger line records.
type LedgerAction string

// The ledger actions.
const (
	LedgerWithheld  LedgerAction = "withheld"
	LedgerReleased  LedgerAction = "released"
	LedgerReapplied LedgerAction = "reapplied" // withheld again because an issue reopened
	LedgerAmount    LedgerAction = "amount"    // the held amount changed
)

// HoldLedgerEntry is one line of the holds ledger.
type HoldLedgerEntry struct {
	ID              int64        `json:"id"`
	Record          RecordRef    `json:"record"`
	Fieldworker     string       `json:"fieldworker"`
	Action          LedgerAction `json:"action"`
	At              time.Time    `json:"at"`
	ActorID         string       `json:"actor_id"`
	ActorRole       Role         `json:"actor_role"`
	Reason          string       `json:"reason"`
	Issues          []string     `json:"issues"`
	Amount          *Money       `json:"amount"`
	OverrideRelease bool         `json:"override_release"` // released by an admin while issues were open
}

// CurrencyTotal is a sum of amounts in one currency.
type CurrencyTotal struct {
	Currency string `json:"currency"`
	Minor    int64  `json:"minor"`
	Count    int64  `json:"count"` // ledger lines summed
}

// HoldReport is the finance report of a period.
type HoldReport struct {
	From          time.Time         `json:"from"`
	To            time.Time         `json:"to"`
	Entries       []HoldLedgerEntry `json:"entries"`
	Withheld      []CurrencyTotal   `json:"withheld"` // withheld and reapplied lines with an amount
	Released      []CurrencyTotal   `json:"released"`
	WithheldCount int64             `json:"withheld_count"`
	ReleasedCount int64             `json:"released_count"`
}

// MessageTemplate is a customer email template: Mustache subject, HTML
// body and text body.
type MessageTemplate struct {
	Name        string `json:"name"` // [a-z0-9_], e.g. "acknowledgement"
	Title       string `json:"title,omitempty"`
	Subject     string `json:"subject"`
	BodyHTML    string `json:"body_html"`
	BodyText    string `json:"body_text"`
	SingleBrace bool   `json:"single_brace,omitempty"` // written with {single} braces
	Builtin     bool   `json:"builtin,omitempty"`      // on reading: still the library's own version
}

// AcknowledgementMode is what happens when an issue is logged.
type AcknowledgementMode string

// The acknowledgement modes.
const (
	AckAutomatic AcknowledgementMode = "automatic" // queued with the report
	AckPreview   AcknowledgementMode = "preview"   // the host previews it and sends it, or not
	AckOff       AcknowledgementMode = "off"
)

// Branding is the business's details, for the layout and signatures.
type Branding struct {
	CompanyName string `json:"company_name"`
	LogoURL     string `json:"logo_url"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Website     string `json:"website"`
	Colour      string `json:"colour"` // "#RRGGBB"
	Signature   string `json:"signature"`
}

// MessageSettings are the acknowledgement mode, branding, SLA promise and
// discussion link. Read them with Desk.MessageSettings, change what you
// need, and write them back whole.
type MessageSettings struct {
	Acknowledgement AcknowledgementMode `json:"acknowledgement"`
	Branding        Branding            `json:"branding"`
	SLAPromise      string              `json:"sla_promise"`
	DiscussionURL   string              `json:"discussion_url"` // "{code}" is replaced by the issue's code
	// When ProcessDue sends the Open Complaints Reminder to every fieldworker
	// with an open complaint; nil: never by itself.
	ReminderSchedule *WeeklySchedule `json:"reminder_schedule"`
}

// Audience is who a message is for.
type Audience string

// The audiences.
const (
	AudienceCustomer     Audience = "customer"     // the issue's customer
	AudienceFieldworkers Audience = "fieldworkers" // each fieldworker responsible for the issue
)

// RenderedMessage is a message as rendered for one recipient.
type RenderedMessage struct {
	Template  string `json:"template"`
	Recipient string `json:"recipient"`
	Subject   string `json:"subject"`
	BodyHTML  string `json:"body_html"`
	BodyText  string `json:"body_text"`
	OutboxID  int64  `json:"outbox_id"` // set when queued
}

// OutboxKind is what an outbox item is.
type OutboxKind string

// The outbox kinds.
const (
	OutboxNotification OutboxKind = "notification" // an alert to a user (push, SMS or email)
	OutboxMessage      OutboxKind = "message"      // a customer email rendered from a template
)

// DeliveryChannel is how an outbox item is delivered.
type DeliveryChannel string

// The delivery channels.
const (
	DeliverPush  DeliveryChannel = "push"
	DeliverSMS   DeliveryChannel = "sms"
	DeliverEmail DeliveryChannel = "email"
)

// OutboxItem is something the host must deliver. Delivery is at least once:
// drop duplicates by IdempotencyKey.
type OutboxItem struct {
	ID             int64           `json:"id"` // for Desk.OutboxAck
	IdempotencyKey string          `json:"idempotency_key"`
	Kind           OutboxKind      `json:"kind"`
	Event          string          `json:"event"`      // the event that caused it, e.g. "status_changed"
	IssueCode      string          `json:"issue_code"` // "" when not about one issue
	Recipient      string          `json:"recipient"`  // the host's user id
	Channel        DeliveryChannel `json:"channel"`
	Subject        string          `json:"subject"`
	BodyText       string          `json:"body_text"`
	BodyHTML       string          `json:"body_html"` // "" for notifications
	CreatedAt      time.Time       `json:"created_at"`
}
