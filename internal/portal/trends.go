package portal

// Trends are the federation's figures for every reporting cycle that is
// not a draft, in review-year order: what the admin's trends page charts.
type Trends struct {
	Cycles []CycleTrend
}

// CycleTrend is one reporting cycle's figures. The activity figures count
// the cycle's accepted reports only, as the cycle's indicators do; with no
// accepted report they have no value (Accepted is 0), which the page shows
// as a gap rather than as zero.
type CycleTrend struct {
	CycleID    int64
	ReviewYear int
	PlanYear   int
	Status     CycleStatus

	Accepted         int // accepted reports of the cycle
	Activities       int
	ActivitiesByKind map[ActivityKind]int
	ActivitiesByMode map[ActivityMode]int
	PeopleReached    int64
	WomenReached     int64

	// Attendance is present ÷ NGOs with an unwithdrawn invitation to the
	// session tied to the cycle; no value without a session or before it is
	// held (held or closed).
	Attendance Rate
	// OnTime is NGOs that reported on time ÷ NGOs expected to report. An
	// NGO is expected when it has a report in the cycle (even a draft) or
	// an unwithdrawn invitation to the cycle's session; it reported on time
	// when its report's first submission (the earliest 'submitted' event: a
	// resubmission after a return does not move it) came before the end of
	// its effective deadline day (its extension's, else the cycle's) in the
	// federation's time zone, as DeadlinePassed computes. An NGO that has
	// not submitted while its deadline has not passed is in neither count:
	// its standing is not settled yet.
	OnTime Rate
	// Plan is the outcomes, as the next cycle's accepted reports give them,
	// of the plan items for PlanYear: those of the cycle's accepted reports
	// and of the plan addenda of the cycle's session. Known is false while
	// the next cycle has no accepted report.
	Plan      OutcomeCounts
	PlanKnown bool
}

// NewCycleTrend returns a cycle's figures with its maps made.
func NewCycleTrend() CycleTrend {
	return CycleTrend{ActivitiesByKind: map[ActivityKind]int{}, ActivitiesByMode: map[ActivityMode]int{}}
}

// Counted reports whether the cycle has an accepted report, so that its
// activity and people figures have a value.
func (c CycleTrend) Counted() bool { return c.Accepted > 0 }

// Completion is the plan completion rate: plan items reported done ÷ plan
// items, known once the next cycle has an accepted report.
func (c CycleTrend) Completion() Rate {
	return Rate{Num: c.Plan.Done, Den: c.Plan.Items(), Known: c.PlanKnown}
}

// Rate is a share with the counts it is made of. It has a value when it is
// Known and its denominator is not zero.
type Rate struct {
	Num, Den int
	Known    bool
}

// Value is the rate from 0 to 1; ok is false when it has no value.
func (r Rate) Value() (v float64, ok bool) {
	if !r.Known || r.Den == 0 {
		return 0, false
	}
	return float64(r.Num) / float64(r.Den), true
}

// Percent is the rate in whole percent, rounded down as the indicators'
// shares are (so 100% means every one); ok is false when it has no value.
func (r Rate) Percent() (p int, ok bool) {
	if !r.Known || r.Den == 0 {
		return 0, false
	}
	return r.Num * 100 / r.Den, true
}
