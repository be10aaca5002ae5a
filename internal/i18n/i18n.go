// Package i18n translates the portal's interface into Simplified Chinese
// (the default) and English, from JSON message catalogues embedded in the
// binary.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Locale is one of the portal's supported languages, as a BCP 47 tag.
type Locale string

// The supported locales; ZhCN is the default.
const (
	ZhCN Locale = "zh-CN"
	En   Locale = "en"
)

// Locales lists the supported locales, default first.
var Locales = []Locale{ZhCN, En}

// Parse returns the supported locale named by s, ignoring case.
func Parse(s string) (Locale, bool) {
	for _, l := range Locales {
		if strings.EqualFold(s, string(l)) {
			return l, true
		}
	}
	return "", false
}

//go:embed locales/*.json
var catalogueFS embed.FS

// Catalogue holds every translation and picks a locale for a request.
type Catalogue struct {
	bundle  *goi18n.Bundle
	matcher language.Matcher
	keys    map[Locale][]string
	// plain holds, per locale, the messages that are not templates: T
	// returns them from here without going through go-i18n, whose
	// Localize costs a few microseconds and allocations per call (a page
	// of 100 rows calls it hundreds of times).
	plain map[Locale]map[string]string
	// simple holds, per locale, the templates whose only actions print a
	// value ({{.Count}}), cut at those actions: T fills them in itself
	// when every value is of a kind text/template prints as fmt.Sprint
	// does, and leaves anything else to go-i18n.
	simple map[Locale]map[string][]segment
	log    *slog.Logger
}

// segment is one piece of a simple template: literal text, or the name of
// a value to print.
type segment struct {
	text string
	name string
}

// simpleAction is a template action that prints one value: {{.Name}}.
var simpleAction = regexp.MustCompile(`\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// splitSimple cuts a template whose only actions print a value into
// segments; ok is false for any other template.
func splitSimple(text string) (segs []segment, ok bool) {
	last := 0
	for _, m := range simpleAction.FindAllStringSubmatchIndex(text, -1) {
		if lit := text[last:m[0]]; lit != "" {
			segs = append(segs, segment{text: lit})
		}
		segs = append(segs, segment{name: text[m[2]:m[3]]})
		last = m[1]
	}
	if rest := text[last:]; rest != "" {
		segs = append(segs, segment{text: rest})
	}
	for _, sg := range segs {
		if strings.Contains(sg.text, "{{") || strings.Contains(sg.text, "}}") {
			return nil, false
		}
	}
	return segs, true
}

// Load reads the embedded catalogues.
func Load(log *slog.Logger) (*Catalogue, error) {
	return LoadFS(catalogueFS, log)
}

// LoadFS reads every locales/<area>.<locale>.json in fsys. Each area of the
// portal keeps its messages in a file of its own; a key may appear in only
// one area.
func LoadFS(fsys fs.FS, log *slog.Logger) (*Catalogue, error) {
	b := goi18n.NewBundle(language.MustParse(string(ZhCN)))
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalogue{bundle: b, keys: map[Locale][]string{}, plain: map[Locale]map[string]string{},
		simple: map[Locale]map[string][]segment{}, log: log}
	paths, err := fs.Glob(fsys, "locales/*.json")
	if err != nil {
		return nil, fmt.Errorf("list catalogues: %w", err)
	}
	seen := map[Locale]map[string]string{}
	for _, path := range paths {
		parts := strings.Split(strings.TrimSuffix(path[len("locales/"):], ".json"), ".")
		l, ok := Parse(parts[len(parts)-1])
		if len(parts) != 2 || !ok {
			return nil, fmt.Errorf("catalogue %s: name it locales/<area>.<locale>.json with a supported locale", path)
		}
		raw, err := fs.ReadFile(fsys, path)
		if err != nil {
			return nil, fmt.Errorf("read catalogue %s: %w", path, err)
		}
		var flat map[string]string
		if err := json.Unmarshal(raw, &flat); err != nil {
			return nil, fmt.Errorf("catalogue %s must map keys to strings: %w", path, err)
		}
		if _, err := b.ParseMessageFileBytes(raw, path); err != nil {
			return nil, fmt.Errorf("parse catalogue %s: %w", path, err)
		}
		if seen[l] == nil {
			seen[l] = map[string]string{}
			c.plain[l] = map[string]string{}
			c.simple[l] = map[string][]segment{}
		}
		for k, text := range flat {
			if !strings.Contains(text, "{{") {
				c.plain[l][k] = text
			} else if segs, ok := splitSimple(text); ok {
				c.simple[l][k] = segs
			}
			if other, dup := seen[l][k]; dup {
				return nil, fmt.Errorf("key %q is in both %s and %s", k, other, path)
			}
			seen[l][k] = path
			c.keys[l] = append(c.keys[l], k)
		}
	}
	tags := make([]language.Tag, 0, len(Locales))
	for _, l := range Locales {
		if len(c.keys[l]) == 0 {
			return nil, fmt.Errorf("no catalogue for %s under locales/", l)
		}
		sort.Strings(c.keys[l])
		tags = append(tags, language.MustParse(string(l)))
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// Keys returns the message keys of one locale's catalogue, sorted.
func (c *Catalogue) Keys(l Locale) []string { return c.keys[l] }

// Match picks the supported locale that best fits an Accept-Language header;
// zh-CN when nothing fits.
func (c *Catalogue) Match(acceptLanguage string) Locale {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return ZhCN
	}
	// The matcher returns tags such as zh-Hans-u-rg-cnzzzz; the index into
	// our own list is what counts.
	_, idx, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return ZhCN
	}
	return Locales[idx]
}

// Translator returns the translator for one locale.
func (c *Catalogue) Translator(l Locale) Translator {
	return Translator{Locale: l, loc: goi18n.NewLocalizer(c.bundle, string(l)), plain: c.plain[l], simple: c.simple[l], log: c.log}
}

// Translator turns message keys into text in one locale. The zero value is
// not usable; get one from Catalogue.Translator.
type Translator struct {
	Locale Locale
	loc    *goi18n.Localizer
	plain  map[string]string    // the locale's messages that are not templates
	simple map[string][]segment // the locale's templates that only print values
	log    *slog.Logger
}

// T translates key; kv are template values as alternating names and values,
// e.g. T("home.ngo_count", "Count", 18). A missing key is logged and shown as
// the key itself, never as an empty string.
func (t Translator) T(key string, kv ...any) string {
	if s, ok := t.plain[key]; ok {
		return s
	}
	if segs, ok := t.simple[key]; ok {
		if s, ok := fill(segs, kv); ok {
			return s
		}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	if len(kv) > 0 {
		data := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			name, _ := kv[i].(string)
			data[name] = kv[i+1]
		}
		cfg.TemplateData = data
	}
	s, err := t.loc.Localize(cfg)
	if err != nil {
		if t.log != nil {
			t.log.Error("missing translation", "locale", t.Locale, "key", key, "err", err)
		}
		return key
	}
	return s
}

// fill prints a simple template's values into it, as text/template
// would; ok is false when a value is missing or of a kind left to
// text/template.
func fill(segs []segment, kv []any) (string, bool) {
	var b strings.Builder
	for _, sg := range segs {
		if sg.name == "" {
			b.WriteString(sg.text)
			continue
		}
		var value any
		found := false
		for i := 0; i+1 < len(kv); i += 2 {
			if name, _ := kv[i].(string); name == sg.name {
				value, found = kv[i+1], true // the last one given, as in a map
			}
		}
		if !found {
			return "", false
		}
		switch v := value.(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		default:
			return "", false
		}
	}
	return b.String(), true
}

// TOr translates key like T, but returns fallback, without logging, when
// the catalogue has no such key: for labels of open-ended sets such as the
// field names recorded in the audit log.
func (t Translator) TOr(key, fallback string) string {
	if s, ok := t.plain[key]; ok {
		return s
	}
	s, err := t.loc.Localize(&goi18n.LocalizeConfig{MessageID: key})
	if err != nil {
		return fallback
	}
	return s
}

// Date formats a calendar date the way readers of the locale expect:
// 2021年1月19日, or 19 January 2021.
func (t Translator) Date(d time.Time) string {
	if t.Locale == En {
		return d.Format("2 January 2006")
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}

// Pick returns zh or en, whichever belongs to the translator's locale, and
// the other when that one is empty.
func (t Translator) Pick(zh, en string) string {
	if t.Locale == En && en != "" || zh == "" {
		return en
	}
	return zh
}
