package postgres

import (
	"context"
	"time"

	"ngoportal/internal/portal"
)

// digestNotices writes the daily digest: from hour digestHour of each
// federation day, what changed the day before (reports submitted,
// resubmitted, returned and accepted, read from the reports' history;
// invitations confirmed and declined, as they stand; the chair's requests
// answered) to every active official (admin or reviewer) who opted in
// (users.daily_digest), once per official and day (occasion: the day told of), linked to that day's
// audit log. A day when nothing changed writes nothing. After downtime
// only the latest whole day is told: the earlier ones are in the audit log.
func digestNotices(ctx context.Context, q querier, now time.Time, digestHour int) (int, error) {
	local := now.In(portal.FederationZone)
	if local.Hour() < digestHour {
		return 0, nil
	}
	from := time.Date(local.Year(), local.Month(), local.Day()-1, 0, 0, 0, 0, portal.FederationZone)
	until := from.AddDate(0, 0, 1)
	day := from.Format(time.DateOnly)
	link := "/admin/audit?from=" + day + "&to=" + day
	return insertNoticeRows(ctx, q, portal.NotifyDailyDigest, `
		SELECT u.id AS recipient_id, 0::bigint AS object_id, $4::text AS occasion,
		       jsonb_build_object('date', $4::text, 'counts', k.counts) AS params, $5::text AS link
		FROM users u
		CROSS JOIN (
			SELECT jsonb_strip_nulls(jsonb_build_object(
				'submitted',   nullif(ev.submitted, 0),
				'resubmitted', nullif(ev.resubmitted, 0),
				'returned',    nullif(ev.returned, 0),
				'accepted',    nullif(ev.accepted, 0),
				'confirmed',   nullif(inv.confirmed, 0),
				'declined',    nullif(inv.declined, 0),
				'answered',    nullif(ans.answered, 0))) AS counts
			FROM (SELECT count(*) FILTER (WHERE e.action = 'submitted') AS submitted,
			             count(*) FILTER (WHERE e.action = 'resubmitted') AS resubmitted,
			             count(*) FILTER (WHERE e.action = 'returned') AS returned,
			             count(*) FILTER (WHERE e.action = 'accepted') AS accepted
			      FROM report_events e WHERE e.at >= $2 AND e.at < $3) ev,
			     (SELECT count(*) FILTER (WHERE i.reply = 'confirmed') AS confirmed,
			             count(*) FILTER (WHERE i.reply = 'declined') AS declined
			      FROM invitations i WHERE i.withdrawn_at IS NULL AND i.replied_at >= $2 AND i.replied_at < $3) inv,
			     (SELECT count(*) AS answered
			      FROM request_responses a WHERE a.responded_at >= $2 AND a.responded_at < $3) ans
		) k
		WHERE `+officialsSQL+` AND u.daily_digest AND k.counts <> '{}'::jsonb`,
		from, until, day, link)
}
