package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/federation"
	"ngoportal/web/ui"
)

// auditPerPage is the length of a page of the audit log.
const auditPerPage = 50

// auditRoutes is the audit log, under /admin; routes() has already
// required the admin role.
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
		Entries:       s.auditRows(p.T, entries),
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
// zone, names in the page's language, changes formatted.
func (s *Server) auditRows(t i18n.Translator, recs []portal.AuditEntry) []federation.AuditRow {
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
		fields := make([]string, 0, len(e.Changes))
		for k := range e.Changes {
			fields = append(fields, k)
		}
		sort.Strings(fields)
		for _, k := range fields {
			c := e.Changes[k]
			row.Changes = append(row.Changes, federation.AuditChange{
				Field:  auditFieldLabel(t, k),
				Before: auditValue(t, e.ObjectType, k, c.Before),
				After:  auditValue(t, e.ObjectType, k, c.After),
			})
		}
		out = append(out, row)
	}
	return out
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
	case typ == "":
		return "", ""
	case id != 0:
		return typ + " #" + strconv.FormatInt(id, 10), ""
	default:
		return typ, ""
	}
}

// auditFieldLabel names a changed field in the reader's language; a field
// without a label keeps its stored name.
func auditFieldLabel(t i18n.Translator, field string) string {
	return t.TOr("audit.field."+field, field)
}

// auditValue formats one side of a change; absent is a dash.
func auditValue(t i18n.Translator, objectType, field string, v any) string {
	switch x := v.(type) {
	case nil:
		return t.T("audit.value.none")
	case string:
		if field == "password" {
			// The log never holds a password; it records that one changed.
			if x == "(old)" || x == "(set)" {
				return t.T("audit.value.password_old")
			}
			return t.T("audit.value.password_new")
		}
		if objectType == portal.AuditObjectUser {
			if field == "role" && parseUserRole(x) != "" {
				return t.T("user.role." + x)
			}
			if field == "status" && parseUserStatus(x) != "" {
				return t.T("user.status." + x)
			}
		}
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return t.T("audit.value.true")
		}
		return t.T("audit.value.false")
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, auditValue(t, objectType, field, e))
		}
		return strings.Join(parts, t.Pick("、", ", "))
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return ""
		}
		return string(b)
	}
}
