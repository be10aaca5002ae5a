// Package ngo holds the pages of the NGO registry, which the federation
// keeps, and the home page of an NGO's staff.
package ngo

import (
	"strconv"
	"strings"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// NGORow is one NGO in the admin's registry list, with the link to its page.
type NGORow struct {
	portal.NGOListItem
	Link string
}

// NGOListView is the admin's registry list: filters, one page of NGOs.
type NGOListView struct {
	ui.Page
	Rows     []NGORow
	Status   portal.NGOStatus
	Query    string
	Pager    ui.Pager
	ListPath string // the filter form's action and the "clear filters" link
	NewPath  string
}

// Filtered reports whether the list is narrowed beyond the default.
func (v NGOListView) Filtered() bool {
	return v.Query != "" || v.Status != portal.NGOStatusActive
}

// StatusOptions are the status filter's choices, translated.
func (v NGOListView) StatusOptions() []ui.Option {
	return []ui.Option{
		{Value: string(portal.NGOStatusActive), Label: v.T.T("ngo.filter.active"), Selected: v.Status == portal.NGOStatusActive},
		{Value: string(portal.NGOStatusInactive), Label: v.T.T("ngo.filter.inactive"), Selected: v.Status == portal.NGOStatusInactive},
		{Value: string(portal.NGOStatusAll), Label: v.T.T("ngo.filter.all"), Selected: v.Status == portal.NGOStatusAll},
	}
}

// NGOStaffRow is a staff account on an NGO's admin page, with the link to
// the account's page.
type NGOStaffRow struct {
	portal.User
	Link string
}

// NGOShowView is an NGO's page for admins: every registry field, its staff
// accounts, and the button that deactivates or reactivates it.
type NGOShowView struct {
	ui.Page
	NGO            portal.NGO
	Staff          []NGOStaffRow
	ListPath       string
	EditPath       string
	AttendancePath string
	TimelinePath   string
	DeactivatePath string
	ReactivatePath string
}

// StaffHomeView is NGO staff's home page: what needs doing, then their own
// NGO's registry entry and colleagues.
type StaffHomeView struct {
	ui.Page
	NGO          portal.NGO
	Staff        []portal.User
	PasswordPath string
	// Todos is what the NGO has to do now, the most urgent first: its
	// report, invitations to answer, the chair's requests to respond to.
	Todos []ui.TodoItem
}

// NGOValues are the registry form's values as the admin typed them
// (cleaned), so that a refused form comes back exactly as sent.
type NGOValues struct {
	NameZH          string
	NameEN          string
	ShortName       string
	CreditCode      string
	FocusAreas      string // one per line or comma-separated
	FocusAreasEN    string // one per line or semicolon-separated, in FocusAreas' order
	FoundedYear     string
	ContactPerson   string
	Phone           string
	Email           string
	Website         string
	Address         string
	AddressEN       string
	ProfileZH       string
	ProfileEN       string
	ShowInDirectory bool
	Version         int // the version the form was loaded at; 0 on create
}

// NGOFormView is the registry form, to register an NGO or edit one.
type NGOFormView struct {
	ui.Page
	Editing  bool
	NGO      portal.NGO // the saved NGO when editing
	Values   NGOValues
	Errors   map[string]string // field name → message key
	Conflict bool              // someone saved the NGO since the form was loaded
	Latest   portal.NGO        // on a conflict: the values saved meanwhile
	// Posted is, on a conflict, the entry the refused form describes,
	// compared field by field with Latest.
	Posted     portal.NGO
	Action     string
	CancelPath string
}

// NGOFormFields are the registry form's controls.
type NGOFormFields struct {
	NameZH, NameEN, ShortName                                ui.Field
	CreditCode, FoundedYear, FocusAreas, FocusAreasEN        ui.Field
	ContactPerson, Phone, Email, Website, Address, AddressEN ui.Field
	ProfileZH, ProfileEN, ShowInDirectory                    ui.Field
}

// Fields builds the controls from the form's values and errors.
func (v NGOFormView) Fields() NGOFormFields {
	f := v.Values
	field := func(name, value string, maxLen int) ui.Field {
		return ui.Field{Name: name, Label: "ngo.field." + name, Value: value, Error: v.Errors[name], MaxLength: maxLen}
	}
	out := NGOFormFields{
		NameZH:        field("name_zh", f.NameZH, portal.MaxNGONameLen),
		NameEN:        field("name_en", f.NameEN, portal.MaxNGONameLen),
		ShortName:     field("short_name", f.ShortName, portal.MaxNGOShortNameLen),
		CreditCode:    field("credit_code", f.CreditCode, 0),
		FoundedYear:   field("founded_year", f.FoundedYear, 0),
		FocusAreas:    field("focus_areas", f.FocusAreas, 0),
		FocusAreasEN:  field("focus_areas_en", f.FocusAreasEN, 0),
		ContactPerson: field("contact_person", f.ContactPerson, portal.MaxContactPersonLen),
		Phone:         field("phone", f.Phone, portal.MaxPhoneLen),
		Email:         field("email", f.Email, portal.MaxEmailLen),
		Website:       field("website", f.Website, portal.MaxWebsiteLen),
		Address:       field("address", f.Address, portal.MaxAddressLen),
		AddressEN:     field("address_en", f.AddressEN, portal.MaxAddressLen),
		ProfileZH:     field("profile_zh", f.ProfileZH, portal.MaxProfileLen),
		ProfileEN:     field("profile_en", f.ProfileEN, portal.MaxProfileLen),
	}
	out.NameZH.Required, out.NameZH.Lang = true, "zh-CN"
	out.NameEN.Required, out.NameEN.Lang, out.NameEN.Hint = true, "en", "ngo.hint.name_en"
	out.ShortName.Lang = "zh-CN"
	out.CreditCode.Hint, out.CreditCode.Autocomplete = "ngo.hint.credit_code", "off"
	out.FoundedYear.Hint, out.FoundedYear.Autocomplete = "ngo.hint.founded_year", "off"
	out.FocusAreas.Hint, out.FocusAreas.Lang = "ngo.hint.focus_areas", "zh-CN"
	out.FocusAreasEN.Hint, out.FocusAreasEN.Lang = "ngo.hint.focus_areas_en", "en"
	out.Address.Lang = "zh-CN"
	out.AddressEN.Hint, out.AddressEN.Lang = "ngo.hint.address_en", "en"
	out.ContactPerson.Autocomplete = "off"
	out.Phone.Type, out.Phone.Hint, out.Phone.Autocomplete = "tel", "ngo.hint.phone", "off"
	out.Email.Type, out.Email.Autocomplete = "email", "off"
	out.Website.Type, out.Website.Hint, out.Website.Autocomplete = "url", "ngo.hint.website", "off"
	out.ProfileZH.Lang, out.ProfileZH.Hint = "zh-CN", "ngo.hint.profile"
	out.ProfileEN.Lang, out.ProfileEN.Hint = "en", "ngo.hint.profile"
	out.ShowInDirectory = ui.Field{Name: "show_in_directory", Label: "ngo.field.show_in_directory", Hint: "ngo.hint.show_in_directory"}
	if f.ShowInDirectory {
		out.ShowInDirectory.Value = "on"
	}
	return out
}

// ErrorList is the error summary, in the order of the form.
func (v NGOFormView) ErrorList() []ui.FieldError {
	f := v.Fields()
	return ui.Errors(f.NameZH, f.NameEN, f.ShortName, f.CreditCode, f.FoundedYear, f.FocusAreas,
		f.FocusAreasEN, f.ContactPerson, f.Phone, f.Email, f.Website, f.Address, f.AddressEN, f.ProfileZH, f.ProfileEN)
}

// SavedValue is one field whose latest saved value differs from the form's.
type SavedValue struct {
	Label string // message key
	Value string // as shown
}

// ngoFieldOrder is the order fields appear in on the form.
var ngoFieldOrder = []string{"name_zh", "name_en", "short_name", "credit_code", "founded_year", "focus_areas",
	"focus_areas_en", "contact_person", "phone", "email", "website", "address", "address_en", "profile_zh", "profile_en", "show_in_directory"}

// LatestValues lists, after a conflict, the fields where what was saved
// meanwhile differs from what the form holds, with the saved value, so the
// admin can compare before saving again.
func (v NGOFormView) LatestValues() []SavedValue {
	latest := v.Latest.AuditFields()
	changed := portal.Diff(latest, v.Posted.AuditFields())
	var out []SavedValue
	for _, k := range ngoFieldOrder {
		if _, ok := changed[k]; !ok {
			continue
		}
		out = append(out, SavedValue{Label: "ngo.field." + k, Value: v.showValue(latest[k])})
	}
	return out
}

func (v NGOFormView) showValue(x any) string {
	switch x := x.(type) {
	case nil:
		return v.T.T("ngo.not_recorded")
	case bool:
		if x {
			return v.T.T("ngo.yes")
		}
		return v.T.T("ngo.no")
	case int:
		return strconv.Itoa(x)
	case []string:
		if len(x) == 0 {
			return v.T.T("ngo.not_recorded")
		}
		return strings.Join(x, "、")
	case string:
		if x == "" {
			return v.T.T("ngo.not_recorded")
		}
		return x
	default:
		return ""
	}
}
