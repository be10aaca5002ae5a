package portal_test

import (
	"reflect"
	"testing"

	"ngoportal/internal/portal"
)

func TestIndicatorSetAdd(t *testing.T) {
	a := portal.NewIndicatorSet()
	a.Activities, a.PeopleReached, a.WomenReached = 2, 100, 60
	a.ActivitiesByKind["lecture"] = 2
	a.ActivitiesByMode["online"] = 2
	a.MediaItems, a.MediaReads = 4, 400
	a.MediaByChannel["wechat"] = portal.MediaFigures{Items: 4, Reads: 400}
	a.PlanItems = 1
	a.PlanItemsByTheme[7] = 1
	a.PlanItemsByProject[0] = 1
	a.PlanItemsByRequest[3] = 1

	b := portal.NewIndicatorSet()
	b.Activities, b.PeopleReached, b.WomenReached = 1, 50, 50
	b.ActivitiesByKind["training"] = 1
	b.ActivitiesByMode["online"] = 1
	b.MediaItems, b.MediaReads = 1, 10
	b.MediaByChannel["wechat"] = portal.MediaFigures{Items: 1, Reads: 10}
	b.PlanItems = 2
	b.PlanItemsByTheme[7] = 2
	b.PlanItemsByProject[5] = 2
	b.PlanItemsByRequest[3] = 1

	total := portal.NewIndicatorSet()
	total.Add(a)
	total.Add(b)
	want := portal.IndicatorSet{
		Activities: 3, PeopleReached: 150, WomenReached: 110,
		ActivitiesByKind: map[portal.ActivityKind]int{"lecture": 2, "training": 1},
		ActivitiesByMode: map[portal.ActivityMode]int{"online": 3},
		MediaItems:       5, MediaReads: 410,
		MediaByChannel:     map[portal.MediaChannel]portal.MediaFigures{"wechat": {Items: 5, Reads: 410}},
		PlanItems:          3,
		PlanItemsByTheme:   map[int64]int{7: 3},
		PlanItemsByProject: map[int64]int{0: 1, 5: 2},
		PlanItemsByRequest: map[int64]int{3: 2},
	}
	if !reflect.DeepEqual(total, want) {
		t.Errorf("got  %+v\nwant %+v", total, want)
	}
	if a.Activities != 2 || a.ActivitiesByKind["training"] != 0 {
		t.Error("Add changed its argument")
	}
}

func TestWomenSharePercent(t *testing.T) {
	tests := []struct {
		name          string
		people, women int64
		want          int
	}{
		{"OKNobodyReached", 0, 0, 0},
		{"OKAllWomen", 40, 40, 100},
		{"OKRoundsDown", 3, 2, 66},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := portal.IndicatorSet{PeopleReached: tc.people, WomenReached: tc.women}
			if got := s.WomenSharePercent(); got != tc.want {
				t.Errorf("WomenSharePercent = %d, want %d", got, tc.want)
			}
		})
	}
}
