package server

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/web/federation"
)

// parseAuditFilter reads the filters in one pass: the values to show
// again, the repository's filter and the field messages. Unknown NGOs and
// actions are taken as no filter (a select cannot send them); a malformed
// date, or a range that ends before it starts, is a field message.
func parseAuditFilter(q url.Values) (federation.AuditFilterValues, postgres.AuditFilter, map[string]string) {
	f := federation.AuditFilterValues{
		Actor:  strings.TrimSpace(q.Get("actor")),
		NGO:    strings.TrimSpace(q.Get("ngo")),
		Action: q.Get("action"),
		From:   strings.TrimSpace(q.Get("from")),
		To:     strings.TrimSpace(q.Get("to")),
	}
	af := postgres.AuditFilter{Actor: f.Actor, NGOID: parseSelectID(f.NGO)}
	if af.NGOID == 0 {
		f.NGO = ""
	}
	if slices.Contains(portal.AuditActions, f.Action) {
		af.Action = f.Action
	} else {
		f.Action = ""
	}
	errs := map[string]string{}
	var from, to time.Time
	if f.From != "" {
		d, ok := portal.ParseDay(f.From, portal.FederationZone)
		if !ok {
			errs["from"] = "audit.error.date_invalid"
		}
		from = d
	}
	if f.To != "" {
		d, ok := portal.ParseDay(f.To, portal.FederationZone)
		if !ok {
			errs["to"] = "audit.error.date_invalid"
		}
		to = d
	}
	if len(errs) == 0 && !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs["to"] = "audit.error.date_order"
	}
	af.From = from
	if !to.IsZero() {
		af.Until = to.AddDate(0, 0, 1) // the To day is included
	}
	return f, af, errs
}
