package portal

import "time"

// Federation names the federation that runs the sessions, as configured.
type Federation struct {
	NameZH string
	NameEN string
}

// FederationZone is the federation's time zone, Asia/Shanghai (UTC+8). The
// calendar days of the portal are days there: a deadline day counts in
// full, the day of a session is its date there, and dates typed into forms
// are read there. A fixed offset, so that the binary needs no time zone
// database: Shanghai has kept no summer time since 1991.
var FederationZone = time.FixedZone("Asia/Shanghai", 8*60*60)
