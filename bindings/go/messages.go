package complaints

/*
#include <complaints.h>
*/
import "C"

// Customer messages (docs/messages.md) and the outbox.

// The built-in templates.
const (
	TemplateAcknowledgement        = "acknowledgement"
	TemplateComplaintDetails       = "complaint_details"
	TemplateFinalResolution        = "final_resolution"
	TemplateOpenComplaintsReminder = "open_complaints_reminder"
	TemplateLayout                 = "layout"
)

// SaveTemplate saves a template for this database (a custom one, or a
// built-in one customised). It is checked first; on failure the template in
// force stays. Needs PermManageSettings.
//
// Errors: ErrInvalidInput naming the template, part, line and column of a
// parse error or unknown merge tag; ErrForbidden.
func (d *Desk) SaveTemplate(a *Actor, t MessageTemplate) error {
	var cs cstrings
	defer cs.free()
	doc := cs.json("template", t)
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_template_save(dp, ap, doc)
	})
}

// ResetTemplate goes back to a template's built-in version, or removes a
// custom template. Needs PermManageSettings.
//
// Errors: ErrInvalidState for a custom template a workflow still sends;
// ErrNotFound; ErrForbidden.
func (d *Desk) ResetTemplate(a *Actor, name string) error {
	var cs cstrings
	defer cs.free()
	cname := cs.str("name", name)
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_template_reset(dp, ap, cname)
	})
}

// Template returns the template in force. Staff only.
//
// Errors: ErrNotFound; ErrForbidden.
func (d *Desk) Template(a *Actor, name string) (MessageTemplate, error) {
	var cs cstrings
	defer cs.free()
	cname := cs.str("name", name)
	return fetchJSON[MessageTemplate](d, a, &cs, "template", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_template_get(dp, out, ap, cname)
	})
}

// Templates returns the names of the built-in and saved templates,
// ascending. Staff only.
//
// Errors: ErrForbidden.
func (d *Desk) Templates(a *Actor) ([]string, error) {
	var cs cstrings
	return fetchJSON[[]string](d, a, &cs, "template names", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_template_list(dp, out, ap)
	})
}

// SetMessageSettings replaces the message settings. Needs PermManageSettings.
//
// Errors: ErrInvalidInput naming the field (a bad colour or URL); ErrForbidden.
func (d *Desk) SetMessageSettings(a *Actor, s MessageSettings) error {
	var cs cstrings
	defer cs.free()
	doc := cs.json("settings", s)
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_message_settings_set(dp, ap, doc)
	})
}

// MessageSettings returns the message settings.
//
// Errors: ErrForbidden.
func (d *Desk) MessageSettings(a *Actor) (MessageSettings, error) {
	var cs cstrings
	return fetchJSON[MessageSettings](d, a, &cs, "message settings", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_message_settings_get(dp, out, ap)
	})
}

func (d *Desk) render(a *Actor, code, name string, audience Audience, send C.int) ([]RenderedMessage, error) {
	if audience == "" {
		audience = AudienceCustomer
	}
	var cs cstrings
	defer cs.free()
	ccode, cname, caud := cs.str("code", code), cs.str("name", name), cs.str("audience", string(audience))
	return fetchJSON[[]RenderedMessage](d, a, &cs, "messages", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_message_render(dp, out, ap, ccode, cname, caud, send)
	})
}

// PreviewMessage renders template name for the audience (the
// customer, or each responsible fieldworker; "" means the customer) without
// queuing anything. Staff only.
//
// Errors: ErrNotFound for an unknown issue or template; ErrForbidden;
// ErrInvalidInput for an unknown audience.
func (d *Desk) PreviewMessage(a *Actor, code, name string, audience Audience) ([]RenderedMessage, error) {
	return d.render(a, code, name, audience, 0)
}

// SendMessage renders template name for the audience and queues it
// in the outbox, logged on the timeline. Staff only.
//
// Errors: as PreviewMessage.
func (d *Desk) SendMessage(a *Actor, code, name string, audience Audience) ([]RenderedMessage, error) {
	return d.render(a, code, name, audience, 1)
}

func (d *Desk) reminder(a *Actor, fieldworker string, send C.int) (RenderedMessage, error) {
	var cs cstrings
	defer cs.free()
	cfw := cs.str("fieldworker", fieldworker)
	return fetchJSON[RenderedMessage](d, a, &cs, "message", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_message_reminder(dp, out, ap, cfw, send)
	})
}

// PreviewReminder renders the Open Complaints Reminder for a fieldworker
// (their open complaints) without queuing it. Staff only.
//
// Errors: ErrForbidden; ErrInvalidInput for a bad id.
func (d *Desk) PreviewReminder(a *Actor, fieldworker string) (RenderedMessage, error) {
	return d.reminder(a, fieldworker, 0)
}

// SendReminder renders the Open Complaints Reminder and queues it.
//
// Errors: as PreviewReminder.
func (d *Desk) SendReminder(a *Actor, fieldworker string) (RenderedMessage, error) {
	return d.reminder(a, fieldworker, 1)
}

// OutboxPending returns up to limit unacknowledged outbox items with an id
// above afterID, oldest first. The actor must have RoleSystem (the host's
// delivery process).
//
// The last ID of a page, as afterID, gives the next.
//
// Errors: ErrForbidden for other roles; ErrInvalidInput when limit is outside 1 to 10,000.
func (d *Desk) OutboxPending(a *Actor, limit int, afterID int64) ([]OutboxItem, error) {
	var cs cstrings
	return fetchJSON[[]OutboxItem](d, a, &cs, "outbox items", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_outbox_pending(dp, out, ap, cInt(limit), C.int64_t(afterID))
	})
}

// OutboxAck acknowledges delivered items and returns how many of them were
// still pending; unknown ids are ignored. The actor must have RoleSystem.
//
// Errors: ErrForbidden for other roles.
func (d *Desk) OutboxAck(a *Actor, ids ...int64) (int, error) {
	var acked C.size_t
	cids := make([]C.int64_t, len(ids)+1) // never empty: the C API wants a pointer
	for i, id := range ids {
		cids[i] = C.int64_t(id)
	}
	err := d.call(a, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_outbox_ack(dp, &acked, ap, &cids[0], C.size_t(len(ids)))
	})
	if err != nil {
		return 0, err
	}
	return int(acked), nil
}
