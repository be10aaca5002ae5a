package portal

// ReportLabels names what a report's rows refer to by id: the federation's
// themes and key projects (retired ones too, so old reports still read
// well) and the requests of the cycle's session.
type ReportLabels struct {
	Themes   map[int64]Theme
	Projects map[int64]KeyProject
	Requests map[int64]Request
}

// ThemeNames returns the names of the themes with the given ids, in the
// language pick chooses (Translator.Pick); an unknown id is skipped.
func (l ReportLabels) ThemeNames(ids []int64, pick func(zh, en string) string) []string {
	var out []string
	for _, id := range ids {
		if t, ok := l.Themes[id]; ok {
			out = append(out, pick(t.NameZH, t.NameEN))
		}
	}
	return out
}

// ProjectName returns the key project's name, or "" for 0 or an unknown id.
func (l ReportLabels) ProjectName(id int64, pick func(zh, en string) string) string {
	if p, ok := l.Projects[id]; ok {
		return pick(p.NameZH, p.NameEN)
	}
	return ""
}
