package postgres

import (
	"context"

	"ngoportal/internal/portal"
)

// ReportLabels loads what the rows of a cycle's reports refer to: every
// theme and key project, retired or not, and the requests of the session
// (0 when the cycle has none).
func (db *DB) ReportLabels(ctx context.Context, sessionID int64) (portal.ReportLabels, error) {
	l := portal.ReportLabels{Themes: map[int64]portal.Theme{}, Projects: map[int64]portal.KeyProject{},
		Requests: map[int64]portal.Request{}}
	themes, err := db.ListThemes(ctx, false)
	if err != nil {
		return l, err
	}
	for _, t := range themes {
		l.Themes[t.ID] = t
	}
	projects, err := db.ListKeyProjects(ctx, false)
	if err != nil {
		return l, err
	}
	for _, p := range projects {
		l.Projects[p.ID] = p
	}
	if sessionID == 0 {
		return l, nil
	}
	reqs, err := db.ListRequests(ctx, sessionID)
	if err != nil {
		return l, err
	}
	for _, q := range reqs {
		l.Requests[q.ID] = q
	}
	return l, nil
}
