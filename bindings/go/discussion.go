package complaints

/*
#include <complaints.h>
*/
import "C"

// Discussion, attachments, watchers and links.

// AddComment adds a comment, with its attachments, to an issue the actor can
// see. A reply (ReplyTo) names a comment of the same issue the actor can
// see; every @mention must name a registered user who can see the comment.
//
// Errors: ErrInvalidInput naming the field ("body", "reply_to",
// "attachments[1].sha256"); ErrNotFound for an issue the actor cannot see.
func (d *Desk) AddComment(a *Actor, code string, req CommentRequest) (Comment, error) {
	var cs cstrings
	defer cs.free()
	ccode, doc := cs.str("code", code), cs.json("comment", req)
	return fetchJSON[Comment](d, a, &cs, "comment", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_comment_add(dp, out, ap, ccode, doc)
	})
}

// Comments returns the issue's comments in order, as the actor may see them
// (customers: public ones only).
//
// Errors: ErrNotFound.
func (d *Desk) Comments(a *Actor, code string) ([]Comment, error) {
	var cs cstrings
	defer cs.free()
	ccode := cs.str("code", code)
	return fetchJSON[[]Comment](d, a, &cs, "comments", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_comment_list(dp, out, ap, ccode)
	})
}

// Attach attaches a file to the issue itself: its bytes (req.Bytes) for the
// library to keep, or the storage key of a file the host keeps.
//
// Errors: ErrInvalidInput naming the field (a size or SHA-256 that does not
// match, a file over 10 MiB); ErrNotFound.
func (d *Desk) Attach(a *Actor, code string, req AttachmentRequest) (Attachment, error) {
	var cs cstrings
	defer cs.free()
	ccode, doc := cs.str("code", code), cs.json("attachment", req)
	return fetchJSON[Attachment](d, a, &cs, "attachment", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_attachment_add(dp, out, ap, ccode, doc)
	})
}

// Attachments returns the issue's attachments (its own and its comments'),
// without bytes, as the actor may see them.
//
// Errors: ErrNotFound.
func (d *Desk) Attachments(a *Actor, code string) ([]Attachment, error) {
	var cs cstrings
	defer cs.free()
	ccode := cs.str("code", code)
	return fetchJSON[[]Attachment](d, a, &cs, "attachments", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_attachment_list(dp, out, ap, ccode)
	})
}

// AttachmentBytes returns the bytes of an attachment the library keeps.
//
// Errors: ErrNotFound when the actor may not see it; for a file the host
// keeps, whatever the library says (its storage key is in Attachments).
func (d *Desk) AttachmentBytes(a *Actor, id int64) ([]byte, error) {
	return fetchBytes(d, a, func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.uchar, n *C.size_t) C.int {
		return C.complaints_attachment_bytes(dp, out, n, ap, C.int64_t(id))
	})
}

// fetchBytes calls a C function that gives bytes (out, len) and copies them
// into Go memory ([]byte{}, not nil, when there are none).
func fetchBytes(d *Desk, a *Actor, f func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.uchar, n *C.size_t) C.int) ([]byte, error) {
	var b []byte
	err := d.call(a, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		var out *C.uchar
		var n C.size_t
		rc := f(dp, ap, &out, &n)
		b = bytesOut(out, n)
		return rc
	})
	if err != nil {
		return nil, err
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}

func (d *Desk) setWatcher(a *Actor, code, userID string, watch C.int) ([]string, error) {
	var cs cstrings
	defer cs.free()
	ccode, cuser := cs.str("code", code), cs.str("user_id", userID)
	return fetchJSON[[]string](d, a, &cs, "watchers", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_watcher_set(dp, out, ap, ccode, cuser, watch)
	})
}

// Watch makes a registered user watch an issue and returns the watchers.
// Staff may add anyone who can see the issue; fieldworkers only themselves;
// customers nobody.
//
// Errors: ErrForbidden; ErrNotFound; ErrInvalidInput for an unregistered user.
func (d *Desk) Watch(a *Actor, code, userID string) ([]string, error) {
	return d.setWatcher(a, code, userID, 1)
}

// Unwatch stops a user watching an issue and returns the watchers.
//
// Errors: as Watch.
func (d *Desk) Unwatch(a *Actor, code, userID string) ([]string, error) {
	return d.setWatcher(a, code, userID, 0)
}

func (d *Desk) setLink(a *Actor, code, other string, kind LinkKind, link C.int) error {
	var cs cstrings
	defer cs.free()
	ccode, cother, ckind := cs.str("code", code), cs.str("other", other), cs.str("kind", string(kind))
	return d.do(a, &cs, func(dp *C.complaints_desk, ap *C.complaints_actor) C.int {
		return C.complaints_link_set(dp, ap, ccode, cother, ckind, link)
	})
}

// Link links two issues (staff only); the link shows, and is logged, on both.
//
// Errors: ErrForbidden; ErrNotFound; ErrInvalidInput for an unknown kind or
// an issue linked to itself.
func (d *Desk) Link(a *Actor, code, other string, kind LinkKind) error {
	return d.setLink(a, code, other, kind, 1)
}

// Unlink removes a link between two issues (staff only).
//
// Errors: as Link.
func (d *Desk) Unlink(a *Actor, code, other string, kind LinkKind) error {
	return d.setLink(a, code, other, kind, 0)
}

// Links returns the issue's links to issues the actor can also see.
//
// Errors: ErrNotFound.
func (d *Desk) Links(a *Actor, code string) ([]IssueLink, error) {
	var cs cstrings
	defer cs.free()
	ccode := cs.str("code", code)
	return fetchJSON[[]IssueLink](d, a, &cs, "links", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_link_list(dp, out, ap, ccode)
	})
}
