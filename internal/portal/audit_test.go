package portal

import (
	"reflect"
	"testing"
)

func TestDiff(t *testing.T) {
	before := map[string]any{"name": "A", "active": true, "areas": []string{"x", "y"}, "gone": 1}
	after := map[string]any{"name": "B", "active": true, "areas": []string{"x", "y"}, "new": "n"}
	got := Diff(before, after)
	want := map[string]Change{
		"name": {Before: "A", After: "B"},
		"gone": {Before: 1, After: nil},
		"new":  {Before: nil, After: "n"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff = %#v, want %#v", got, want)
	}
	after["areas"] = []string{"y"}
	if _, ok := Diff(before, after)["areas"]; !ok {
		t.Error("a changed list is not reported")
	}
}
