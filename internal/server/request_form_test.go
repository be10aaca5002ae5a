package server

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"ngoportal/internal/portal"
	"ngoportal/web/session"
)

func TestParseRequestForm(t *testing.T) {
	officials := []session.RequestOfficialOption{{ID: 2}}
	ngos := []session.RequestNGOOption{{ID: 7}, {ID: 8}}
	valid := func() url.Values {
		return url.Values{"number": {"3"}, "text_zh": {"加强长三角女性人才交流合作。"}, "text_en": {"Strengthen exchange."},
			"made_by": {"2"}, "addressed_to": {"all"}}
	}
	named := func(ids ...string) func(url.Values) {
		return func(f url.Values) { f.Set("addressed_to", "named"); f["recipients"] = ids }
	}
	tests := []struct {
		name   string
		change func(url.Values)
		field  string // "" when the form is valid
		key    string
	}{
		{"OK", func(url.Values) {}, "", ""},
		{"OKNamed", named("7", "8"), "", ""},
		{"OKNumberMax", func(f url.Values) { f.Set("number", "999") }, "", ""},
		{"OKTextAtLimit", func(f url.Values) { f.Set("text_zh", strings.Repeat("长", portal.MaxRequestTextLen)) }, "", ""},
		{"OKNoEnglish", func(f url.Values) { f.Del("text_en") }, "", ""},
		{"OKUnofferedRecipientsIgnoredForAll", func(f url.Values) { f["recipients"] = []string{"99"} }, "", ""},
		{"ErrNumberRequired", func(f url.Values) { f.Set("number", "") }, "number", "request.error.number_required"},
		{"ErrNumberBlank", func(f url.Values) { f.Set("number", "  ") }, "number", "request.error.number_required"},
		{"ErrNumberZero", func(f url.Values) { f.Set("number", "0") }, "number", "request.error.number_invalid"},
		{"ErrNumberNegative", func(f url.Values) { f.Set("number", "-1") }, "number", "request.error.number_invalid"},
		{"ErrNumberTooLarge", func(f url.Values) { f.Set("number", "1000") }, "number", "request.error.number_invalid"},
		{"ErrNumberNotWhole", func(f url.Values) { f.Set("number", "2.5") }, "number", "request.error.number_invalid"},
		{"ErrNumberLeadingZero", func(f url.Values) { f.Set("number", "03") }, "number", "request.error.number_invalid"},
		{"ErrNumberText", func(f url.Values) { f.Set("number", "三") }, "number", "request.error.number_invalid"},
		{"ErrTextZHRequired", func(f url.Values) { f.Set("text_zh", "  ") }, "text_zh", "request.error.text_zh_required"},
		{"ErrTextZHTooLong", func(f url.Values) { f.Set("text_zh", strings.Repeat("长", portal.MaxRequestTextLen+1)) }, "text_zh", "request.error.text_too_long"},
		{"ErrTextENTooLong", func(f url.Values) { f.Set("text_en", strings.Repeat("长", 2001)) }, "text_en", "request.error.text_too_long"},
		{"ErrMadeByRequired", func(f url.Values) { f.Del("made_by") }, "made_by", "request.error.made_by_required"},
		{"ErrMadeByNotOffered", func(f url.Values) { f.Set("made_by", "999999") }, "made_by", "request.error.made_by_invalid"},
		{"ErrMadeByInvalid", func(f url.Values) { f.Set("made_by", "two") }, "made_by", "request.error.made_by_invalid"},
		{"ErrAddressedToRequired", func(f url.Values) { f.Del("addressed_to") }, "addressed_to", "request.error.addressed_to_required"},
		{"ErrAddressedToUnknown", func(f url.Values) { f.Set("addressed_to", "some") }, "addressed_to", "request.error.addressed_to_required"},
		{"ErrRecipientsRequired", named(), "recipients", "request.error.recipients_required"},
		{"ErrRecipientsBlank", named(" ", ""), "recipients", "request.error.recipients_required"},
		{"ErrRecipientsNotOffered", named("7", "9"), "recipients", "request.error.recipients_invalid"},
		{"ErrRecipientsInvalid", named("07"), "recipients", "request.error.recipients_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid()
			tt.change(f)
			_, _, errs, err := parseRequestForm(postForm("/", f), officials, ngos, 4, 0)
			if err != nil {
				t.Fatal(err)
			}
			wantOnlyError(t, errs, tt.field, tt.key)
		})
	}
	t.Run("ErrVersionMalformed", func(t *testing.T) {
		for _, version := range []string{"x", "0", ""} {
			f := valid()
			f.Set("version", version)
			if _, _, _, err := parseRequestForm(postForm("/", f), officials, ngos, 4, 0); err != errBadRequest {
				t.Errorf("version %q: err = %v, want errBadRequest", version, err)
			}
		}
	})
	t.Run("OKNoVersion", func(t *testing.T) {
		v, q, _, err := parseRequestForm(postForm("/", valid()), officials, ngos, 4, 0)
		if err != nil || v.Version != 0 || q.Version != 0 {
			t.Errorf("version %d/%d, err %v; want 0", v.Version, q.Version, err)
		}
	})
}

// TestRequestFormRoundTrip: the form's values make the request, and the
// request fills the form with the same values.
func TestRequestFormRoundTrip(t *testing.T) {
	f := url.Values{"number": {" 12 "}, "text_zh": {" 要求\x00 "}, "text_en": {"A request."}, "made_by": {"2"},
		"addressed_to": {"named"}, "recipients": {"8", " 7 ", "8"}, "version": {"3"}}
	v, q, errs, err := parseRequestForm(postForm("/", f), []session.RequestOfficialOption{{ID: 2}}, []session.RequestNGOOption{{ID: 7}, {ID: 8}}, 4, 5)
	if err != nil || len(errs) != 0 {
		t.Fatalf("errs %v, err %v", errs, err)
	}
	wantReq := portal.Request{ID: 5, SessionID: 4, Number: 12, TextZH: "要求", TextEN: "A request.", MadeBy: 2, Recipients: []int64{8, 7}, Version: 3}
	if q.ID != wantReq.ID || q.SessionID != wantReq.SessionID || q.Number != wantReq.Number || q.TextZH != wantReq.TextZH ||
		q.TextEN != wantReq.TextEN || q.MadeBy != wantReq.MadeBy || q.AddressedToAll || !slices.Equal(q.Recipients, wantReq.Recipients) || q.Version != 3 {
		t.Errorf("request = %+v, want %+v", q, wantReq)
	}
	want := session.RequestValues{Number: "12", TextZH: "要求", TextEN: "A request.", MadeBy: "2", AddressedTo: "named", Recipients: []string{"8", "7"}, Version: 3}
	if v.Number != want.Number || v.TextZH != want.TextZH || v.TextEN != want.TextEN || v.MadeBy != want.MadeBy ||
		v.AddressedTo != want.AddressedTo || !slices.Equal(v.Recipients, want.Recipients) || v.Version != want.Version {
		t.Errorf("values = %+v, want %+v", v, want)
	}
	back := requestValuesFrom(q)
	if back.Number != v.Number || back.TextZH != v.TextZH || back.MadeBy != v.MadeBy || back.AddressedTo != v.AddressedTo ||
		!slices.Equal(back.Recipients, v.Recipients) || back.Version != v.Version {
		t.Errorf("requestValuesFrom(request) = %+v, want %+v", back, v)
	}

	t.Run("ToAllNamesNobody", func(t *testing.T) {
		f.Set("addressed_to", "all")
		v, q, errs, _ := parseRequestForm(postForm("/", f), []session.RequestOfficialOption{{ID: 2}}, nil, 4, 5)
		if len(errs) != 0 || !q.AddressedToAll || len(q.Recipients) != 0 {
			t.Errorf("errs %v, request %+v; want all, no recipients", errs, q)
		}
		if len(v.Recipients) != 2 {
			t.Errorf("ticked %v, want kept as typed", v.Recipients)
		}
		if back := requestValuesFrom(q); back.AddressedTo != "all" || len(back.Recipients) != 0 {
			t.Errorf("requestValuesFrom = %+v", back)
		}
	})
	t.Run("NoOfficialRecorded", func(t *testing.T) {
		if back := requestValuesFrom(portal.Request{Number: 1, AddressedToAll: true}); back.MadeBy != "" {
			t.Errorf("made by %q, want empty", back.MadeBy)
		}
	})
}
