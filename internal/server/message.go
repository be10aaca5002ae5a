package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/i18n"
	"ngoportal/internal/markdown"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/web/message"
	"ngoportal/web/ui"
)

// messagesPerPage is how many messages one page of the list shows.
const messagesPerPage = 50

const (
	adminMessagesPath   = adminHomePath + "/messages"
	adminMessageNewPath = adminMessagesPath + "/new"
)

func adminMessagePath(id int64) string { return adminMessagesPath + "/" + strconv.FormatInt(id, 10) }
func staffMessagePath(id int64) string { return ngoHomePath + "/messages/" + strconv.FormatInt(id, 10) }

// messageFederationRoutes are the admins' messages to chosen NGOs as every
// federation official may read them, under /admin.
func (s *Server) messageFederationRoutes(r chi.Router) {
	r.Get("/messages", s.handle(s.handleMessageIndex))
	r.Get("/messages/{id}", s.handle(s.handleMessageShow))
}

// messageAdminRoutes write and send a message; routes.go has already
// required the admin role.
func (s *Server) messageAdminRoutes(r chi.Router) {
	r.Get("/messages/new", s.handle(s.handleMessageNew))
	r.Post("/messages", s.handle(s.handleMessageCreate))
}

// messageStaffRoutes are the messages as NGO staff read them, under /ngo;
// the handler reads the NGO from the viewer, so another NGO's message is a
// page that does not exist.
func (s *Server) messageStaffRoutes(r chi.Router) {
	r.Get("/messages/{id}", s.handle(s.handleStaffMessageShow))
}

func (s *Server) handleMessageIndex(w http.ResponseWriter, r *http.Request) error {
	pager := ui.Pager{Page: ui.ParsePage(r.URL.Query()), PerPage: messagesPerPage, Path: adminMessagesPath, Query: url.Values{}}
	list, total, err := s.db.AdminMessages(r.Context(), pager.PerPage, pager.Offset())
	if err != nil {
		return err
	}
	pager.Total = total
	p := s.page(r, "")
	p.Title = p.T.T("message.title")
	groups, err := s.db.MessageAudiences(r.Context())
	if err != nil {
		return err
	}
	v := message.IndexView{Page: p, Pager: pager, NewPath: adminMessageNewPath}
	for _, m := range list {
		v.Rows = append(v.Rows, message.Row{AdminMessage: m, ShowPath: adminMessagePath(m.ID), Audience: audienceLabel(p.T, m.Audience, groups)})
	}
	return s.render(w, r, http.StatusOK, message.Index(v))
}

func (s *Server) handleMessageNew(w http.ResponseWriter, r *http.Request) error {
	return s.renderMessageForm(w, r, http.StatusOK, messageForm{Token: newMessageToken()}, nil, nil)
}

// handleMessageCreate previews or sends the message. A send goes ahead
// only when the preview of the same recipients was shown; otherwise (the
// preview button, or a choice changed since the preview) the form comes
// back with the list of NGOs the message would reach.
func (s *Server) handleMessageCreate(w http.ResponseWriter, r *http.Request) error {
	form, err := parsePostForm(r)
	if err != nil {
		return err
	}
	f := parseMessageForm(form)
	if !messageTokenPattern.MatchString(f.Token) {
		return errBadRequest // every form this page sends carries one
	}
	groups, err := s.db.MessageAudiences(r.Context())
	if err != nil {
		return err
	}
	d, errs := f.draft(groups)
	var pv *message.Preview
	if _, bad := errs["audience"]; !bad && d.Audience.Kind != "" && errs["ngos"] == "" {
		ngos, err := s.db.MessageRecipients(r.Context(), d.Audience)
		if err != nil {
			return err
		}
		pv = &message.Preview{NGOs: ngos}
		if len(ngos) == 0 {
			errs[noRecipientsField(d.Audience)] = "message.error.no_recipients"
		}
	}
	if len(errs) > 0 {
		return s.renderMessageForm(w, r, http.StatusUnprocessableEntity, f, errs, pv)
	}
	if !f.Send || f.Previewed != f.recipientKey() {
		pv.Changed = f.Send
		f.Previewed = f.recipientKey()
		return s.renderMessageForm(w, r, http.StatusOK, f, nil, pv)
	}
	id, err := s.db.SendAdminMessage(r.Context(), s.actor(r), d, f.Token)
	var ve *portal.ValidationError
	switch {
	case errors.Is(err, postgres.ErrMessageResent):
		return s.redirectFlash(w, r, adminMessagePath(id), "message.flash.already_sent")
	case errors.As(err, &ve):
		// The group emptied between the preview and the send.
		f.Previewed = ""
		return s.renderMessageForm(w, r, http.StatusUnprocessableEntity, f, ve.Fields, &message.Preview{})
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminMessagePath(id), "message.flash.sent")
}

// noRecipientsField is the field an audience that reaches no NGO is told
// at: the ticked NGOs, or the group.
func noRecipientsField(a portal.Audience) string {
	if a.Kind == portal.AudienceChosen {
		return "ngos"
	}
	return "audience"
}

func (s *Server) renderMessageForm(w http.ResponseWriter, r *http.Request, status int, f messageForm, errs map[string]string, pv *message.Preview) error {
	groups, err := s.db.MessageAudiences(r.Context())
	if err != nil {
		return err
	}
	ngos, err := s.db.ActiveNGONames(r.Context())
	if err != nil {
		return err
	}
	p := s.page(r, "")
	p.Title = p.T.T("message.new.title")
	v := message.FormView{
		Page: p, Token: f.Token, Previewed: f.Previewed, Preview: pv, Action: adminMessagesPath, ListPath: adminMessagesPath,
		Sendable: status == http.StatusOK && pv != nil && len(pv.NGOs) > 0,
		Subject: ui.Field{Name: "subject", Label: "message.field.subject", Value: f.Subject, Error: errs["subject"],
			Required: true, MaxLength: portal.MessageSubjectMax},
		Body: ui.Field{Name: "body", Label: "message.field.body", Hint: "message.field.body_hint", Value: f.Body, Error: errs["body"],
			Required: true, MaxLength: portal.MessageBodyMax},
		Audience: ui.Field{Name: "audience", Label: "message.field.audience", Hint: "message.field.audience_hint",
			Error: errs["audience"], Required: true},
		NGOs: ui.Field{Name: "ngo", Label: "message.field.ngos", Hint: "message.field.ngos_hint", Error: errs["ngos"]},
	}
	for _, g := range groups {
		v.Audiences = append(v.Audiences, message.Choice{Value: g.Audience.String(), Label: audienceOptionLabel(p.T, g), Checked: g.Audience.String() == f.Audience})
	}
	chosen := portal.Audience{Kind: portal.AudienceChosen}.String()
	v.Audiences = append(v.Audiences, message.Choice{Value: chosen, Label: p.T.T("message.audience.chosen"), Checked: f.Audience == chosen})
	for _, n := range ngos {
		c := message.Choice{Value: strconv.FormatInt(n.ID, 10), Label: p.T.Pick(n.NameZH, n.NameEN)}
		for _, id := range f.NGOIDs {
			c.Checked = c.Checked || id == n.ID
		}
		if p.T.Locale == i18n.En && n.NameEN == "" {
			c.Lang = string(i18n.ZhCN)
		}
		v.NGOList = append(v.NGOList, c)
	}
	// The error summary links to the fieldsets, whose ids follow the
	// fields' names.
	v.Errors = ui.Errors(v.Subject, v.Body, v.Audience, v.NGOs)
	return s.render(w, r, status, message.New(v))
}

// audienceOptionLabel names a group the form offers, in t's language.
func audienceOptionLabel(t i18n.Translator, g portal.AudienceOption) string {
	switch g.Kind {
	case portal.AudienceNoReport:
		return t.T("message.audience.no_report", "Year", g.Year)
	case portal.AudienceNoReply:
		return t.T("message.audience.no_reply", "Session", t.Pick(g.SessionZH, g.SessionEN))
	case portal.AudienceNoAnswer:
		return t.T("message.audience.no_answer", "Session", t.Pick(g.SessionZH, g.SessionEN))
	case portal.AudienceChosen:
		return t.T("message.audience.chosen_sent")
	}
	return t.T("message.audience.all")
}

// audienceLabel names the audience a message was sent to (as recorded),
// with the group's cycle or session when it is still offered, else by
// kind alone.
func audienceLabel(t i18n.Translator, recorded string, groups []portal.AudienceOption) string {
	a, ok := portal.ParseAudience(recorded)
	if !ok {
		return recorded
	}
	for _, g := range groups {
		if g.Audience.String() == a.String() {
			return audienceOptionLabel(t, g)
		}
	}
	if a.Kind == portal.AudienceAll || a.Kind == portal.AudienceChosen {
		return audienceOptionLabel(t, portal.AudienceOption{Audience: a})
	}
	return t.T("message.audience.kind." + string(a.Kind))
}

func (s *Server) handleMessageShow(w http.ResponseWriter, r *http.Request) error {
	m, err := rowFromURL(r, s.db.AdminMessageByID)
	if err != nil {
		return err
	}
	groups, err := s.db.MessageAudiences(r.Context())
	if err != nil {
		return err
	}
	p := s.page(r, "")
	p.Title = m.Subject
	return s.render(w, r, http.StatusOK, message.Show(message.ShowView{
		Page: p, Message: m, BodyHTML: markdown.Render(m.Body), Audience: audienceLabel(p.T, m.Audience, groups), ListPath: adminMessagesPath,
	}))
}

func (s *Server) handleStaffMessageShow(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	m, err := s.db.NGOMessage(r.Context(), id, v.NGOID)
	if err != nil {
		return err
	}
	p := s.page(r, "")
	p.Title = m.Subject
	return s.render(w, r, http.StatusOK, message.StaffShow(message.StaffShowView{
		Page: p, Message: m, BodyHTML: markdown.Render(m.Body), NoticesPath: notificationsPath(v),
	}))
}
