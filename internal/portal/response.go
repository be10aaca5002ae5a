package portal

// ResponseStatus is where an NGO stands in answering one of the chair's
// requests addressed to it. Planned is read from the links of the NGO's
// plan items (of its report of the session's cycle, or of its plan
// addendum) to the request; Nothing from its stored answer; None is neither.
type ResponseStatus string

// The response statuses, in the order pages list them.
const (
	ResponseNone    ResponseStatus = "none"    // no answer yet
	ResponsePlanned ResponseStatus = "planned" // plan items answer the request
	ResponseNothing ResponseStatus = "nothing" // the NGO plans nothing for it, with a reason
)

// ResponseStatuses lists every response status.
var ResponseStatuses = []ResponseStatus{ResponseNone, ResponsePlanned, ResponseNothing}

// Outcome is how a plan item turned out, as the next year's report gives
// it: a ProgressStatus, or OutcomeNotReported when no accepted report of
// the next cycle gives one (no report, not accepted yet, or left blank).
type Outcome string

// The outcomes, in the order pages list them.
const (
	OutcomeDone        Outcome = Outcome(ProgressDone)
	OutcomePartly      Outcome = Outcome(ProgressPartly)
	OutcomeNotDone     Outcome = Outcome(ProgressNotDone)
	OutcomeNotReported Outcome = "not_reported"
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{OutcomeDone, OutcomePartly, OutcomeNotDone, OutcomeNotReported}

// OutcomeCounts tallies plan items by outcome.
type OutcomeCounts struct {
	Done, Partly, NotDone, NotReported int
}

// Items is the number of plan items counted.
func (c OutcomeCounts) Items() int { return c.Done + c.Partly + c.NotDone + c.NotReported }

// Add counts one item with outcome o.
func (c *OutcomeCounts) Add(o Outcome) {
	switch o {
	case OutcomeDone:
		c.Done++
	case OutcomePartly:
		c.Partly++
	case OutcomeNotDone:
		c.NotDone++
	default:
		c.NotReported++
	}
}

// CompletionRate is the share of the items reported done, from 0 to 1;
// ok is false when there are no items. An item partly done, not done or not
// reported does not count as completed: the rate answers "how much of what
// was planned was delivered", and the page shows the other counts beside it.
func (c OutcomeCounts) CompletionRate() (rate float64, ok bool) {
	if c.Items() == 0 {
		return 0, false
	}
	return float64(c.Done) / float64(c.Items()), true
}
