package postgres_test

import (
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

func TestRecordAttendance(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	ctx := t.Context()
	// The 2027 session is held on 19 January 2027 (Shanghai).
	onTheDay := time.Date(2027, 1, 19, 14, 0, 0, 0, portal.FederationZone)
	earlyInShanghai := time.Date(2027, 1, 18, 17, 30, 0, 0, time.UTC) // 01:30 on the 19th in Shanghai
	dayBefore := time.Date(2027, 1, 18, 23, 59, 0, 0, portal.FederationZone)
	dayAfter := time.Date(2027, 1, 20, 0, 1, 0, 0, portal.FederationZone)
	f.withdraw(t, f.sched2027, 12)
	statusSession := func(day string, s portal.SessionStatus) int64 {
		id := f.session(t, day, portal.SessionDraft)
		f.invite(t, id, 1)
		f.setSessionStatus(t, id, s)
		return id
	}
	draft := statusSession("2031-03-05", portal.SessionDraft)
	cancelled := statusSession("2031-03-06", portal.SessionCancelled)
	closed := statusSession("2031-03-07", portal.SessionClosed)
	inDay := func(day string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, day, portal.FederationZone)
		return d.Add(10 * time.Hour)
	}
	// present lists the invitation's representatives at positions ps.
	present := func(inv portal.Invitation, ps ...int) []int64 {
		var ids []int64
		for _, p := range ps {
			ids = append(ids, inv.Representatives[p-1].ID)
		}
		return ids
	}
	cases := []struct {
		name        string
		session     int64
		ngo         int
		checkIn     func(inv portal.Invitation) portal.CheckIn
		now         time.Time
		wantErr     error
		wantKey     string
		wantWrite   bool // a new version and audit row
		wantStatus  portal.Attendance
		wantReason  string
		wantPresent []string // names marked attended
		wantChanges []string // audited fields
	}{
		{name: "OKPresentWithRepresentatives", session: f.sched2027, ngo: 3, now: onTheDay,
			checkIn: func(inv portal.Invitation) portal.CheckIn {
				return portal.CheckIn{Attendance: portal.AttendancePresent, Present: present(inv, 1)}
			},
			wantWrite: true, wantStatus: portal.AttendancePresent, wantPresent: []string{"蒋丽华"},
			wantChanges: []string{"attendance", "representatives_present"}},
		{name: "OKRepeatedCheckInWritesNothing", session: f.sched2027, ngo: 3, now: onTheDay,
			checkIn: func(inv portal.Invitation) portal.CheckIn {
				return portal.CheckIn{Attendance: portal.AttendancePresent, Present: present(inv, 1)}
			},
			wantStatus: portal.AttendancePresent, wantPresent: []string{"蒋丽华"}},
		{name: "OKOtherRepresentative", session: f.sched2027, ngo: 3, now: onTheDay,
			checkIn: func(inv portal.Invitation) portal.CheckIn {
				return portal.CheckIn{Attendance: portal.AttendancePresent, Present: present(inv, 2)}
			},
			wantWrite: true, wantStatus: portal.AttendancePresent, wantPresent: []string{"沈雅琴"},
			wantChanges: []string{"representatives_present"}},
		{name: "OKAbsentClearsRepresentatives", session: f.sched2027, ngo: 3, now: onTheDay,
			checkIn: func(inv portal.Invitation) portal.CheckIn {
				return portal.CheckIn{Attendance: portal.AttendanceAbsent, ExcuseReason: "dropped", Present: present(inv, 1, 2)}
			},
			wantWrite: true, wantStatus: portal.AttendanceAbsent, wantPresent: []string{},
			wantChanges: []string{"attendance", "representatives_present"}},
		{name: "OKExcusedWithReason", session: f.sched2027, ngo: 5, now: onTheDay,
			checkIn: func(inv portal.Invitation) portal.CheckIn {
				return portal.CheckIn{Attendance: portal.AttendanceExcused, ExcuseReason: "临时出差", Present: present(inv, 1)}
			},
			wantWrite: true, wantStatus: portal.AttendanceExcused, wantReason: "临时出差", wantPresent: []string{},
			wantChanges: []string{"attendance", "excuse_reason"}},
		{name: "OKReasonDroppedUnlessExcused", session: f.sched2027, ngo: 4, now: onTheDay,
			checkIn: func(inv portal.Invitation) portal.CheckIn {
				return portal.CheckIn{Attendance: portal.AttendancePresent, ExcuseReason: "不应保存", Present: present(inv, 1)}
			},
			wantWrite: true, wantStatus: portal.AttendancePresent, wantPresent: []string{"韩敏洁"},
			wantChanges: []string{"attendance", "representatives_present"}},
		{name: "OKEarlyMorningInShanghai", session: f.sched2027, ngo: 2, now: earlyInShanghai,
			checkIn: func(inv portal.Invitation) portal.CheckIn {
				return portal.CheckIn{Attendance: portal.AttendancePresent, Present: present(inv, 1)}
			},
			wantWrite: true, wantStatus: portal.AttendancePresent, wantPresent: []string{"钱文慧"},
			wantChanges: []string{"attendance", "representatives_present"}},
		{name: "OKCorrectionOnceHeld", session: f.held2021, ngo: 1, now: onTheDay,
			checkIn: func(portal.Invitation) portal.CheckIn {
				return portal.CheckIn{Attendance: portal.AttendanceAbsent}
			},
			wantWrite: true, wantStatus: portal.AttendanceAbsent, wantPresent: []string{},
			wantChanges: []string{"attendance", "representatives_present"}},
		{name: "ErrCheckInClosedDayBefore", session: f.sched2027, ngo: 6, now: dayBefore,
			checkIn:    func(portal.Invitation) portal.CheckIn { return portal.CheckIn{Attendance: portal.AttendanceAbsent} },
			wantKey:    postgres.MsgCheckInClosed,
			wantStatus: portal.AttendanceUnknown, wantPresent: []string{}},
		{name: "ErrCheckInClosedDayAfterStillScheduled", session: f.sched2027, ngo: 6, now: dayAfter,
			checkIn:    func(portal.Invitation) portal.CheckIn { return portal.CheckIn{Attendance: portal.AttendanceAbsent} },
			wantKey:    postgres.MsgCheckInClosed,
			wantStatus: portal.AttendanceUnknown, wantPresent: []string{}},
		{name: "ErrCheckInClosedDraft", session: draft, ngo: 1, now: inDay("2031-03-05"),
			checkIn:    func(portal.Invitation) portal.CheckIn { return portal.CheckIn{Attendance: portal.AttendanceAbsent} },
			wantKey:    postgres.MsgCheckInClosed,
			wantStatus: portal.AttendanceUnknown, wantPresent: []string{}},
		{name: "ErrCheckInClosedCancelled", session: cancelled, ngo: 1, now: inDay("2031-03-06"),
			checkIn:    func(portal.Invitation) portal.CheckIn { return portal.CheckIn{Attendance: portal.AttendanceAbsent} },
			wantKey:    postgres.MsgCheckInClosed,
			wantStatus: portal.AttendanceUnknown, wantPresent: []string{}},
		{name: "ErrCheckInClosedClosed", session: closed, ngo: 1, now: inDay("2031-03-07"),
			checkIn:    func(portal.Invitation) portal.CheckIn { return portal.CheckIn{Attendance: portal.AttendanceAbsent} },
			wantKey:    postgres.MsgCheckInClosed,
			wantStatus: portal.AttendanceUnknown, wantPresent: []string{}},
		{name: "ErrNotFoundWithdrawn", session: f.sched2027, ngo: 12, now: onTheDay,
			checkIn:    func(portal.Invitation) portal.CheckIn { return portal.CheckIn{Attendance: portal.AttendanceAbsent} },
			wantErr:    portal.ErrNotFound,
			wantStatus: portal.AttendanceUnknown, wantPresent: []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := f.invitationOf(t, c.session, c.ngo)
			auditsBefore := len(f.audits(t, portal.AuditAttendanceRecorded, before.ID))
			err := f.db.RecordAttendance(ctx, f.admin, c.session, before.ID, c.checkIn(before), c.now)
			switch {
			case c.wantErr != nil:
				if !errors.Is(err, c.wantErr) {
					t.Errorf("err = %v, want %v", err, c.wantErr)
				}
			case c.wantKey != "":
				ivWantField(t, err, "attendance", c.wantKey)
			case err != nil:
				t.Fatal(err)
			}
			after := f.invitationOf(t, c.session, c.ngo)
			var attended []string
			for _, r := range after.Representatives {
				if r.Attended {
					attended = append(attended, r.Name)
				}
			}
			if after.Attendance != c.wantStatus || after.ExcuseReason != c.wantReason || !slices.Equal(nonNilStrings(attended), c.wantPresent) {
				t.Errorf("attendance %s %q, present %v; want %s %q %v",
					after.Attendance, after.ExcuseReason, attended, c.wantStatus, c.wantReason, c.wantPresent)
			}
			audits := f.audits(t, portal.AuditAttendanceRecorded, before.ID)
			if !c.wantWrite {
				if after.Version != before.Version || len(audits) != auditsBefore {
					t.Errorf("nothing to write, yet version %d → %d, %d → %d audit rows",
						before.Version, after.Version, auditsBefore, len(audits))
				}
				return
			}
			if after.Version != before.Version+1 || after.CheckedInAt == nil {
				t.Errorf("version %d (was %d), checked in %v", after.Version, before.Version, after.CheckedInAt)
			}
			if len(audits) != auditsBefore+1 {
				t.Fatalf("%d attendance.recorded rows, want %d", len(audits), auditsBefore+1)
			}
			a := audits[len(audits)-1]
			var fields []string
			for k := range a.Changes {
				fields = append(fields, k)
			}
			slices.Sort(fields)
			if !slices.Equal(fields, c.wantChanges) || a.NGOID != after.NGOID || a.ActorID != f.admin.UserID {
				t.Errorf("audit fields %v (want %v), NGO %d, actor %d", fields, c.wantChanges, a.NGOID, a.ActorID)
			}
			if ch, ok := a.Changes["representatives_present"]; ok &&
				!slices.Equal(nonNilStrings(ivStrings(ch.After)), c.wantPresent) {
				t.Errorf("audit representatives_present %+v, want after %v", ch, c.wantPresent)
			}
			if ch, ok := a.Changes["attendance"]; ok && (ch.Before != string(before.Attendance) || ch.After != string(c.wantStatus)) {
				t.Errorf("audit attendance %+v", ch)
			}
		})
	}
	t.Run("ErrNotFoundOtherSession", func(t *testing.T) {
		inv := f.invitationOf(t, f.held2021, 2)
		err := f.db.RecordAttendance(ctx, f.admin, f.sched2027, inv.ID, portal.CheckIn{Attendance: portal.AttendanceAbsent}, onTheDay)
		if !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
		if after := f.invitationOf(t, f.held2021, 2); after.Attendance != portal.AttendancePresent || after.Version != inv.Version {
			t.Errorf("invitation changed: %+v", after)
		}
	})
}

// nonNilStrings maps nil to the empty list, for comparisons.
func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestRecordAttendanceExport(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	cases := []struct {
		name    string
		session int64
		rows    int
	}{
		{"OK", f.held2021, 18},
		{"OKNoRows", f.sched2027, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := f.db.RecordAttendanceExport(t.Context(), f.admin, c.session, c.rows); err != nil {
				t.Fatal(err)
			}
			audits := f.audits(t, portal.AuditAttendanceExported, c.session)
			if len(audits) != 1 {
				t.Fatalf("%d attendance.exported rows, want 1", len(audits))
			}
			a := audits[0]
			if a.ObjectType != portal.AuditObjectSession || a.NGOID != 0 || a.ActorID != f.admin.UserID ||
				a.Changes["rows"].After != float64(c.rows) {
				t.Errorf("audit row %+v", a)
			}
		})
	}
}

// Walk-ins recorded at the same moment by several officials: with the same
// version only one is written and the others are told of the conflict;
// retrying on the new version, no more than portal.MaxWalkIns get in, at
// positions 4–6, each audited.
func TestRecordWalkInConcurrent(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	ctx := t.Context()
	onTheDay := time.Date(2027, 1, 19, 9, 0, 0, 0, portal.FederationZone)
	const callers = 8
	version := func(n int) (int64, int, error) {
		invs, err := f.db.SessionInvitations(ctx, f.sched2027)
		if err != nil {
			return 0, 0, err
		}
		for _, inv := range invs {
			if inv.NGOID == f.ngos[n-1] {
				return inv.ID, inv.Version, nil
			}
		}
		return 0, 0, errors.New("no invitation")
	}
	walkIn := func(i int) portal.WalkIn { return portal.WalkIn{Name: "来宾" + strconv.Itoa(i)} }

	t.Run("OneOfTheSameVersion", func(t *testing.T) {
		inv, v, err := version(7)
		if err != nil {
			t.Fatal(err)
		}
		errs := make([]error, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() { errs[i] = f.db.RecordWalkIn(ctx, f.admin, f.sched2027, inv, v, walkIn(i), onTheDay) })
		}
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, portal.ErrConflict):
				conflicts++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || conflicts != callers-1 {
			t.Errorf("%d written, %d conflicts; want 1 and %d", ok, conflicts, callers-1)
		}
	})

	t.Run("NoMoreThanTheLimit", func(t *testing.T) {
		inv, _, err := version(8)
		if err != nil {
			t.Fatal(err)
		}
		errs := make([]error, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				for {
					_, v, err := version(8)
					if err == nil {
						err = f.db.RecordWalkIn(ctx, f.admin, f.sched2027, inv, v, walkIn(i), onTheDay)
					}
					if !errors.Is(err, portal.ErrConflict) {
						errs[i] = err
						return
					}
				}
			})
		}
		wg.Wait()
		ok, refused := 0, 0
		for _, err := range errs {
			var ve *portal.ValidationError
			switch {
			case err == nil:
				ok++
			case errors.As(err, &ve) && ve.Fields["walkin_name"] == "invitation.error.walkin_limit":
				refused++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != portal.MaxWalkIns || refused != callers-portal.MaxWalkIns {
			t.Errorf("%d written, %d refused; want %d and %d", ok, refused, portal.MaxWalkIns, callers-portal.MaxWalkIns)
		}
		var positions []int
		rows, err := f.db.Pool().Query(ctx, `SELECT position FROM representatives WHERE invitation_id = $1 AND walk_in AND attended ORDER BY position`, inv)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var p int
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			positions = append(positions, p)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(positions, []int{4, 5, 6}) {
			t.Errorf("walk-in positions %v, want [4 5 6]", positions)
		}
		var audited int
		if err := f.db.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE object_id = $1 AND action = $2 AND changes ? 'walk_ins'`,
			inv, portal.AuditAttendanceRecorded).Scan(&audited); err != nil || audited != portal.MaxWalkIns {
			t.Errorf("audit rows %d, %v; want %d", audited, err, portal.MaxWalkIns)
		}
	})

	t.Run("ErrSchemaRefusesAFourth", func(t *testing.T) {
		inv, _, err := version(8)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.db.Pool().Exec(ctx, `INSERT INTO representatives (invitation_id, position, name, mobile, attended, walk_in)
			VALUES ($1, 7, '第四位', '', true, true)`, inv)
		if err == nil {
			t.Error("the schema took a walk-in at position 7")
		}
		_, err = f.db.Pool().Exec(ctx, `INSERT INTO representatives (invitation_id, position, name, mobile)
			VALUES ($1, 1, '无手机', '')`, inv)
		if err == nil {
			t.Error("the schema took a named representative without a mobile")
		}
	})
}
