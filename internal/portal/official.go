package portal

import "time"

// Position is an official's post in the federation.
type Position string

// Positions, in order of precedence.
const (
	PositionChair     Position = "chairperson"
	PositionViceChair Position = "vice_chairperson"
	PositionSecretary Position = "secretary_general"
	PositionOther     Position = "other"
)

// Official is one of the federation's officials on the roster.
type Official struct {
	ID        int64
	NameZH    string
	NameEN    string
	Position  Position
	TermStart time.Time
	TermEnd   *time.Time
}
