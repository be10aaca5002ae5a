package server

import (
	"net/url"
	"strings"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// prefsForm is the notification settings form as sent.
type prefsForm struct {
	Locale   string
	EmailOn  map[portal.NotificationKind]bool
	Unknown  bool // an email.<kind> field that is not one of the viewer's kinds
	Selected []portal.NotificationKind
	Digest   bool // an official's opt-in to the daily digest; staff have none
}

func parsePrefsForm(f url.Values, role portal.Role) prefsForm {
	pf := prefsForm{Locale: strings.TrimSpace(f.Get("locale")), EmailOn: map[portal.NotificationKind]bool{}}
	pf.Digest = role.Official() && f.Get("daily_digest") == "on"
	kinds := portal.KindsFor(role)
	for name := range f {
		k, ok := strings.CutPrefix(name, "email.")
		if !ok {
			continue
		}
		known := false
		for _, mine := range kinds {
			known = known || string(mine) == k
		}
		if !known {
			pf.Unknown = true
			continue
		}
		pf.EmailOn[portal.NotificationKind(k)] = f.Get(name) == "on"
	}
	return pf
}

// Validate returns the form's problems, by field name, as message keys.
func (f prefsForm) Validate() map[string]string {
	errs := map[string]string{}
	if _, ok := i18n.Parse(f.Locale); !ok || f.Locale != string(i18n.ZhCN) && f.Locale != string(i18n.En) {
		errs["locale"] = "notification.prefs.error.language"
	}
	if f.Unknown {
		errs["email"] = "notification.prefs.error.kind"
	}
	return errs
}
