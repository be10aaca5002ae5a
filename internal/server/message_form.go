package server

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"ngoportal/internal/portal"
)

// messageForm is the admin's message form as sent: what to say, to whom,
// and which button was pressed.
type messageForm struct {
	Subject  string
	Body     string
	Audience string  // as the radio sends it: "all", "no_report:12", "chosen"…
	NGOIDs   []int64 // the ticked NGOs
	// Token is the form's own: it makes a send submitted twice one message.
	Token string
	// Previewed is the recipients the preview showed (recipientKey), so
	// that a send after the choice changed shows the new list first.
	Previewed string
	Send      bool // the send button, not the preview
	badNGO    bool // a ticked value that is not an id
}

// messageTokenPattern is what newMessageToken makes (and the database
// accepts).
var messageTokenPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// newMessageToken returns a fresh form token: 16 random bytes in hex.
func newMessageToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func parseMessageForm(f url.Values) messageForm {
	mf := messageForm{
		Subject:   strings.TrimSpace(f.Get("subject")),
		Body:      strings.ReplaceAll(f.Get("body"), "\r\n", "\n"),
		Audience:  f.Get("audience"),
		Token:     f.Get("token"),
		Previewed: f.Get("previewed"),
		Send:      f.Get("action") == "send",
	}
	for _, raw := range f["ngo"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			mf.badNGO = true
			continue
		}
		mf.NGOIDs = append(mf.NGOIDs, id)
	}
	slices.Sort(mf.NGOIDs)
	mf.NGOIDs = slices.Compact(mf.NGOIDs)
	return mf
}

// draft is the message the form describes, and the form's problems by
// field as message keys. offered are the groups the form showed: another
// audience is one the form never offered (a cycle closed meanwhile).
func (f messageForm) draft(offered []portal.AudienceOption) (portal.MessageDraft, map[string]string) {
	d := portal.MessageDraft{Subject: f.Subject, Body: f.Body}
	a, ok := portal.ParseAudience(f.Audience)
	known := a.Kind == portal.AudienceChosen
	for _, o := range offered {
		known = known || o.Audience.String() == a.String()
	}
	if ok && known {
		d.Audience = a
		if a.Kind == portal.AudienceChosen {
			d.Audience.NGOIDs = f.NGOIDs
		}
	}
	errs := d.Validate()
	if f.Audience != "" && (!ok || !known) {
		errs["audience"] = "message.error.audience_invalid"
	}
	if f.badNGO && d.Audience.Kind == portal.AudienceChosen {
		errs["ngos"] = "message.error.ngos_invalid"
	}
	return d, errs
}

// recipientKey names the recipients a form chooses: the audience, and the
// ticked NGOs when they are the choice.
func (f messageForm) recipientKey() string {
	if f.Audience != string(portal.AudienceChosen) {
		return f.Audience
	}
	ids := make([]string, len(f.NGOIDs))
	for i, id := range f.NGOIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	return f.Audience + ":" + strings.Join(ids, ",")
}
