package portal

// Indicators are the figures of one reporting cycle, NGO by NGO and in
// total, counted over ACCEPTED reports only: a draft, a submission still
// under review or a returned report does not count until the federation has
// accepted it.
type Indicators struct {
	CycleID    int64
	ReviewYear int
	PlanYear   int
	// NGOCount is the number of NGOs counted: those with an accepted report.
	NGOCount int
	// Total is the sum of every NGO's figures.
	Total IndicatorSet
	// NGOs holds one entry per NGO counted, by Chinese name (pinyin).
	NGOs []NGOIndicators
	// The themes, key projects and requests the counts refer to, for
	// labels: every theme and key project (retired ones included, ordered
	// by position), and the requests at least one plan item answers (by
	// session, then number).
	Themes   []IndicatorLabel
	Projects []IndicatorLabel
	Requests []IndicatorRequest
}

// NGOIndicators are one NGO's figures in a cycle.
type NGOIndicators struct {
	NGOID     int64
	NGONameZH string
	NGONameEN string
	ReportID  int64
	IndicatorSet
}

// IndicatorSet is one set of figures: an NGO's, or the total.
//
// Keys: themes, key projects and requests are ids, with 0 for plan items that have none. A
// plan item tagged with two themes counts once under each, so the counts by
// theme (and by request) may add up to more than PlanItems.
type IndicatorSet struct {
	Activities       int
	ActivitiesByKind map[ActivityKind]int
	ActivitiesByMode map[ActivityMode]int
	PeopleReached    int64
	WomenReached     int64

	MediaItems     int64
	MediaReads     int64
	MediaByChannel map[MediaChannel]MediaFigures

	PlanItems          int
	PlanItemsByTheme   map[int64]int
	PlanItemsByProject map[int64]int
	PlanItemsByRequest map[int64]int
}

// MediaFigures are the items published and their reads on one channel.
type MediaFigures struct {
	Items int64
	Reads int64
}

// IndicatorLabel names a theme or key project in both languages.
type IndicatorLabel struct {
	ID     int64
	NameZH string
	NameEN string
	Active bool
}

// IndicatorRequest names a session request a plan item answers.
type IndicatorRequest struct {
	ID        int64
	SessionID int64
	Number    int
	TextZH    string
	TextEN    string
}

// NewIndicatorSet returns an empty set with every map made, so that
// readers may index it without checks.
func NewIndicatorSet() IndicatorSet {
	return IndicatorSet{
		ActivitiesByKind:   map[ActivityKind]int{},
		ActivitiesByMode:   map[ActivityMode]int{},
		MediaByChannel:     map[MediaChannel]MediaFigures{},
		PlanItemsByTheme:   map[int64]int{},
		PlanItemsByProject: map[int64]int{},
		PlanItemsByRequest: map[int64]int{},
	}
}

// Add adds o's figures to s. The maps of s must have been made (see
// NewIndicatorSet).
func (s *IndicatorSet) Add(o IndicatorSet) {
	s.Activities += o.Activities
	s.PeopleReached += o.PeopleReached
	s.WomenReached += o.WomenReached
	s.MediaItems += o.MediaItems
	s.MediaReads += o.MediaReads
	s.PlanItems += o.PlanItems
	for k, n := range o.ActivitiesByKind {
		s.ActivitiesByKind[k] += n
	}
	for k, n := range o.ActivitiesByMode {
		s.ActivitiesByMode[k] += n
	}
	for k, m := range o.MediaByChannel {
		t := s.MediaByChannel[k]
		t.Items += m.Items
		t.Reads += m.Reads
		s.MediaByChannel[k] = t
	}
	for k, n := range o.PlanItemsByTheme {
		s.PlanItemsByTheme[k] += n
	}
	for k, n := range o.PlanItemsByProject {
		s.PlanItemsByProject[k] += n
	}
	for k, n := range o.PlanItemsByRequest {
		s.PlanItemsByRequest[k] += n
	}
}

// WomenSharePercent is the share of women among the people reached, in
// whole percent rounded down; 0 when nobody was reached.
func (s IndicatorSet) WomenSharePercent() int {
	if s.PeopleReached == 0 {
		return 0
	}
	return int(s.WomenReached * 100 / s.PeopleReached)
}
