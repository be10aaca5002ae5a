package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/federation"
	"ngoportal/web/ui"
)

// auditPerPage is the length of a page of the audit log.
const auditPerPage = 50

// auditRoutes is the audit log, under /admin, which every federation
// official may read; routes.go has already required an official's role.
func (s *Server) auditRoutes(r chi.Router) {
	r.Get("/audit", s.handle(s.handleAuditIndex))
}

// handleAuditIndex is the audit log, newest first, filtered by actor, NGO,
// action and dates.
func (s *Server) handleAuditIndex(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, af, errs := parseAuditFilter(q)
	kept := url.Values{}
	for k, v := range map[string]string{"actor": f.Actor, "ngo": f.NGO, "action": f.Action, "from": f.From, "to": f.To} {
		if v != "" {
			kept.Set(k, v)
		}
	}
	pager := ui.Pager{Page: ui.ParsePage(q), PerPage: auditPerPage, Path: adminAuditPath, Query: kept}
	var entries []portal.AuditEntry
	if len(errs) == 0 {
		af.Limit, af.Offset = auditPerPage, pager.Offset()
		var err error
		if entries, pager.Total, err = s.db.ListAudit(r.Context(), af); err != nil {
			return err
		}
	}
	ngos, err := s.db.AdminNGOChoices(r.Context())
	if err != nil {
		return err
	}
	p := s.page(r, "")
	p.Title = p.T.T("audit.index.title")
	v := federation.AuditIndexView{
		Page:          p,
		Actor:         ui.Field{Name: "actor", Label: "audit.filter.actor", Hint: "audit.filter.actor_hint", Value: f.Actor, MaxLength: 254},
		NGO:           ui.Field{Name: "ngo", Label: "audit.filter.ngo"},
		Action:        ui.Field{Name: "action", Label: "audit.filter.action"},
		From:          ui.Field{Name: "from", Label: "audit.filter.from", Type: "date", Value: f.From, Error: errs["from"]},
		To:            ui.Field{Name: "to", Label: "audit.filter.to", Type: "date", Value: f.To, Error: errs["to"]},
		NGOOptions:    userNGOOptions(p.T, ngos, af.NGOID, p.T.T("filter.all")),
		ActionOptions: auditActionOptions(p.T, f.Action),
		Pager:         pager,
		ListPath:      adminAuditPath,
	}
	if v.Entries, err = s.auditRows(r.Context(), p.T, entries); err != nil {
		return err
	}
	v.Errors = ui.Errors(v.From, v.To)
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, federation.AuditIndex(v))
}

func auditActionOptions(t i18n.Translator, selected string) []ui.Option {
	out := []ui.Option{{Value: "", Label: t.T("filter.all"), Selected: selected == ""}}
	for _, a := range portal.AuditActions {
		out = append(out, ui.Option{Value: a, Label: t.T("audit.action." + a), Selected: a == selected})
	}
	return out
}

// auditRows prepares audit entries for a page: times in the federation's
// zone, names in the page's language, changes as sentences (auditChanges).
func (s *Server) auditRows(ctx context.Context, t i18n.Translator, recs []portal.AuditEntry) ([]federation.AuditRow, error) {
	names, err := s.auditNames(ctx, t, recs)
	if err != nil {
		return nil, err
	}
	out := make([]federation.AuditRow, 0, len(recs))
	for _, e := range recs {
		row := federation.AuditRow{
			At:         e.At.In(portal.FederationZone),
			ActorLabel: e.ActorEmail,
			Action:     e.Action,
			NGOName:    t.Pick(e.NGOName, e.NGONameEN),
			ClientAddr: e.ClientAddr,
		}
		if e.ActorID != 0 {
			row.ActorPath = adminUserPath(e.ActorID)
			if row.ActorLabel == "" {
				row.ActorLabel = t.T("audit.object.user", "ID", e.ActorID)
			}
		} else if row.ActorLabel == "" {
			row.ActorLabel = t.T("audit.actor_none")
		}
		row.ObjectLabel, row.ObjectPath = auditObject(t, e.ObjectType, e.ObjectID)
		switch e.ObjectType {
		case portal.AuditObjectUser, portal.AuditObjectOfficial, portal.AuditObjectTheme, portal.AuditObjectKeyProject:
			row.ObjectManaged = true
		}
		row.Changes = auditChanges(t, names, e)
		out = append(out, row)
	}
	return out, nil
}

// auditNames loads the names of the NGOs and officials that entries'
// changes may refer to by id, in the reader's language; nothing when no
// entry records a change.
func (s *Server) auditNames(ctx context.Context, t i18n.Translator, recs []portal.AuditEntry) (auditNames, error) {
	n := auditNames{ngos: map[int64]string{}, officials: map[int64]string{}}
	if !slices.ContainsFunc(recs, func(e portal.AuditEntry) bool { return len(e.Changes) > 0 }) {
		return n, nil
	}
	ngos, err := s.db.AdminNGOChoices(ctx)
	if err != nil {
		return n, err
	}
	for _, g := range ngos {
		n.ngos[g.ID] = t.Pick(g.NameZH, g.NameEN)
	}
	officials, err := s.db.ListOfficials(ctx, false)
	if err != nil {
		return n, err
	}
	for _, o := range officials {
		n.officials[o.ID] = t.Pick(o.NameZH, o.NameEN)
	}
	return n, nil
}

// auditObject names an entry's object and links to its page.
func auditObject(t i18n.Translator, typ string, id int64) (label, path string) {
	switch {
	case typ == portal.AuditObjectUser && id != 0:
		return t.T("audit.object.user", "ID", id), adminUserPath(id)
	case typ == portal.AuditObjectNGO && id != 0:
		return t.T("audit.object.ngo", "ID", id), adminNGOPath(id)
	case typ == portal.AuditObjectSession && id != 0:
		return t.T("audit.object.session", "ID", id), adminSessionPath(id)
	case typ == portal.AuditObjectOfficial && id != 0:
		return t.T("audit.object.official", "ID", id), adminOfficialEditPath(id)
	case typ == portal.AuditObjectInvitation && id != 0:
		return t.T("audit.object.invitation", "ID", id), ""
	case typ == portal.AuditObjectRequest && id != 0:
		return t.T("audit.object.request", "ID", id), ""
	case typ == portal.AuditObjectCycle && id != 0:
		return t.T("audit.object.cycle", "ID", id), adminCyclePath(id)
	case typ == portal.AuditObjectTheme && id != 0:
		return t.T("audit.object.theme", "ID", id), adminTermEditPath(portal.KindTheme, id)
	case typ == portal.AuditObjectKeyProject && id != 0:
		return t.T("audit.object.key_project", "ID", id), adminTermEditPath(portal.KindProject, id)
	case typ == portal.AuditObjectReport && id != 0:
		return t.T("audit.object.report", "ID", id), reviewReportPath(id)
	case typ == portal.AuditObjectAttachment && id != 0:
		return t.T("audit.object.attachment", "ID", id), ""
	case typ == portal.AuditObjectSummary && id != 0:
		return t.T("audit.object.summary", "ID", id), ""
	case typ == portal.AuditObjectPlanAddendum && id != 0:
		return t.T("audit.object.plan_addendum", "ID", id), ""
	case typ == portal.AuditObjectMessage && id != 0:
		return t.T("audit.object.admin_message", "ID", id), adminMessagePath(id)
	case typ == "":
		return "", ""
	case id != 0:
		return typ + " #" + strconv.FormatInt(id, 10), ""
	default:
		return typ, ""
	}
}
