-- The trends tests' federation, on an empty database: five NGOs, cycles
-- of work of 2020 (closed, held session), 2021 (closed, no session) and
-- 2022 (open, session not held yet), and a 2023 draft. The figures it
-- yields are worked out by hand in internal/postgres/trends_test.go.
INSERT INTO ngos (slug, name_zh, name_en) VALUES
    ('ngo-a', '甲会', 'NGO A'), ('ngo-b', '乙会', 'NGO B'), ('ngo-c', '丙会', 'NGO C'),
    ('ngo-d', '丁会', 'NGO D'), ('ngo-e', '戊会', 'NGO E');
INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status) VALUES
    (2020, 2021, '2020-12-01', '2021-01-08', 'closed'),
    (2021, 2022, '2021-12-01', '2022-01-08', 'closed'),
    (2022, 2023, '2022-12-01', '2023-01-08', 'open'),
    (2023, 2024, '2023-12-01', '2024-01-08', 'draft');

CREATE FUNCTION pg_temp.ngo(s text) RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM ngos WHERE slug = s $$;
CREATE FUNCTION pg_temp.cyc(y int) RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM reporting_cycles WHERE review_year = y $$;
CREATE FUNCTION pg_temp.rep(s text, y int) RETURNS bigint LANGUAGE sql AS $$
    SELECT id FROM reports WHERE ngo_id = pg_temp.ngo(s) AND cycle_id = pg_temp.cyc(y) $$;
CREATE FUNCTION pg_temp.item(t text) RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM report_plan_items WHERE title = t $$;
CREATE FUNCTION pg_temp.sess(y int) RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM sessions WHERE cycle_id = pg_temp.cyc(y) $$;

-- Work of 2020. B has an extension to 15 January; D has no report.
INSERT INTO cycle_extensions (cycle_id, ngo_id, deadline, reason)
    VALUES (pg_temp.cyc(2020), pg_temp.ngo('ngo-b'), '2021-01-15', '延期');
INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at) VALUES
    (pg_temp.cyc(2020), pg_temp.ngo('ngo-a'), 'accepted', '2021-01-08 15:00+00', '2021-01-12 10:00+08'),
    (pg_temp.cyc(2020), pg_temp.ngo('ngo-b'), 'accepted', '2021-01-08 17:00+00', '2021-01-12 10:00+08'),
    (pg_temp.cyc(2020), pg_temp.ngo('ngo-c'), 'accepted', '2021-01-20 09:00+08', '2021-01-21 10:00+08');
INSERT INTO report_events (report_id, at, action, comment, snapshot) VALUES
    -- 23:00 on the deadline day in Shanghai: on time.
    (pg_temp.rep('ngo-a', 2020), '2021-01-08 15:00+00', 'submitted', '', '{}'),
    -- 01:00 the day after the deadline, but within B's extension: on time.
    (pg_temp.rep('ngo-b', 2020), '2021-01-08 17:00+00', 'submitted', '', '{}'),
    -- first submitted in time; returned, resubmitted after the deadline: still on time.
    (pg_temp.rep('ngo-c', 2020), '2021-01-05 09:00+08', 'submitted', '', '{}'),
    (pg_temp.rep('ngo-c', 2020), '2021-01-10 09:00+08', 'returned', '请补充', NULL),
    (pg_temp.rep('ngo-c', 2020), '2021-01-20 09:00+08', 'resubmitted', '', '{}');
INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on, people_reached, women_reached) VALUES
    (pg_temp.rep('ngo-a', 2020), 1, '讲座一', 'lecture', 'online', '2020-03-01', '2020-03-01', 10, 8),
    (pg_temp.rep('ngo-a', 2020), 2, '讲座二', 'lecture', 'online', '2020-04-01', '2020-04-01', 20, 15),
    (pg_temp.rep('ngo-a', 2020), 3, '培训', 'training', 'offline', '2020-05-01', '2020-05-02', 30, 20),
    (pg_temp.rep('ngo-b', 2020), 1, '服务', 'service', 'hybrid', '2020-06-01', '2020-06-30', 40, 40),
    (pg_temp.rep('ngo-c', 2020), 1, '讲座三', 'lecture', 'offline', '2020-07-01', '2020-07-01', 5, 5);
INSERT INTO report_plan_items (report_id, position, title) VALUES
    (pg_temp.rep('ngo-a', 2020), 1, 'p1'), (pg_temp.rep('ngo-a', 2020), 2, 'p2'),
    (pg_temp.rep('ngo-a', 2020), 3, 'p3'), (pg_temp.rep('ngo-b', 2020), 1, 'p4');
-- The session of 2020's cycle, held: A and D present, B absent, C excused,
-- E's invitation withdrawn (though marked present).
INSERT INTO sessions (slug, title_zh, title_en, level, held_on, cycle_id, status)
    VALUES ('trends-2021', '2021年会议', 'Session 2021', 'municipal', '2021-01-19', pg_temp.cyc(2020), 'closed');
INSERT INTO invitations (session_id, ngo_id, attendance, withdrawn_at) VALUES
    (pg_temp.sess(2020), pg_temp.ngo('ngo-a'), 'present', NULL),
    (pg_temp.sess(2020), pg_temp.ngo('ngo-b'), 'absent', NULL),
    (pg_temp.sess(2020), pg_temp.ngo('ngo-c'), 'excused', NULL),
    (pg_temp.sess(2020), pg_temp.ngo('ngo-d'), 'present', NULL),
    (pg_temp.sess(2020), pg_temp.ngo('ngo-e'), 'present', '2021-01-10 09:00+08');
-- C answers the session's requests with an addendum of one item.
INSERT INTO plan_addenda (session_id, ngo_id) VALUES (pg_temp.sess(2020), pg_temp.ngo('ngo-c'));
INSERT INTO report_plan_items (addendum_id, position, title)
    SELECT id, 1, 'p5' FROM plan_addenda WHERE ngo_id = pg_temp.ngo('ngo-c');

-- Work of 2021: no session. A on time; B late; C late by half an hour in Shanghai.
INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at) VALUES
    (pg_temp.cyc(2021), pg_temp.ngo('ngo-a'), 'accepted', '2022-01-07 09:00+08', '2022-01-12 10:00+08'),
    (pg_temp.cyc(2021), pg_temp.ngo('ngo-b'), 'submitted', '2022-01-10 09:00+08', NULL),
    (pg_temp.cyc(2021), pg_temp.ngo('ngo-c'), 'accepted', '2022-01-08 16:30+00', '2022-01-12 10:00+08');
INSERT INTO report_events (report_id, at, action, comment, snapshot) VALUES
    (pg_temp.rep('ngo-a', 2021), '2022-01-07 09:00+08', 'submitted', '', '{}'),
    (pg_temp.rep('ngo-b', 2021), '2022-01-10 09:00+08', 'submitted', '', '{}'),
    (pg_temp.rep('ngo-c', 2021), '2022-01-08 16:30+00', 'submitted', '', '{}');
INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on, people_reached, women_reached) VALUES
    (pg_temp.rep('ngo-a', 2021), 1, '宣传', 'campaign', 'online', '2021-03-01', '2021-03-01', 100, 60),
    (pg_temp.rep('ngo-c', 2021), 1, '其他一', 'other', 'online', '2021-04-01', '2021-04-01', 10, 5),
    (pg_temp.rep('ngo-c', 2021), 2, '其他二', 'other', 'online', '2021-05-01', '2021-05-01', 10, 5);
-- Outcomes of the plans for 2021: p1 done, p2 partly, p3 left blank, p4
-- (B's report not accepted) not reported, p5 (C's addendum) done.
INSERT INTO report_progress (report_id, position, previous_plan_item_id, title, status) VALUES
    (pg_temp.rep('ngo-a', 2021), 1, pg_temp.item('p1'), 'p1', 'done'),
    (pg_temp.rep('ngo-a', 2021), 2, pg_temp.item('p2'), 'p2', 'partly'),
    (pg_temp.rep('ngo-a', 2021), 3, pg_temp.item('p3'), 'p3', ''),
    (pg_temp.rep('ngo-b', 2021), 1, pg_temp.item('p4'), 'p4', 'done'),
    (pg_temp.rep('ngo-c', 2021), 1, pg_temp.item('p5'), 'p5', 'done');
INSERT INTO report_plan_items (report_id, position, title) VALUES (pg_temp.rep('ngo-a', 2021), 1, 'q1');

-- Work of 2022, open, nothing accepted: A's draft never submitted; B
-- invited, no report, an extension to the end of 2023; C submitted in
-- time, waiting for review. The session is scheduled, not held.
INSERT INTO cycle_extensions (cycle_id, ngo_id, deadline, reason)
    VALUES (pg_temp.cyc(2022), pg_temp.ngo('ngo-b'), '2023-12-31', '延期');
INSERT INTO reports (cycle_id, ngo_id, status, submitted_at) VALUES
    (pg_temp.cyc(2022), pg_temp.ngo('ngo-a'), 'draft', NULL),
    (pg_temp.cyc(2022), pg_temp.ngo('ngo-c'), 'submitted', '2023-01-02 09:00+08');
INSERT INTO report_events (report_id, at, action, comment, snapshot) VALUES
    (pg_temp.rep('ngo-c', 2022), '2023-01-02 09:00+08', 'submitted', '', '{}');
INSERT INTO sessions (slug, title_zh, title_en, level, held_on, cycle_id, status)
    VALUES ('trends-2023', '2023年会议', 'Session 2023', 'municipal', '2023-07-19', pg_temp.cyc(2022), 'scheduled');
INSERT INTO invitations (session_id, ngo_id, attendance) VALUES
    (pg_temp.sess(2022), pg_temp.ngo('ngo-a'), 'unknown'),
    (pg_temp.sess(2022), pg_temp.ngo('ngo-b'), 'unknown');
