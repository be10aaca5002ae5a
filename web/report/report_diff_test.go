package report

import (
	"strings"
	"testing"
)

// render writes a word diff as text: [-deleted-] and {+inserted+}.
func render(parts []DiffPart) string {
	var b strings.Builder
	for _, p := range parts {
		switch p.Op {
		case DiffDeleted:
			b.WriteString("[-" + p.Text + "-]")
		case DiffInserted:
			b.WriteString("{+" + p.Text + "+}")
		default:
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

func TestWordDiff(t *testing.T) {
	for _, tc := range []struct {
		name, before, after, want string
	}{
		{"ChineseByCharacter", "为女性提供法律咨询一千二百人次。", "为女性提供法律咨询一千五百人次。",
			"为女性提供法律咨询一千[-二-]{+五+}百人次。"},
		{"ChineseInsertion", "线上普法直播", "线上普法直播（第二季）", "线上普法直播{+（第二季）+}"},
		{"EnglishByWord", "Legal advice for 1200 women", "Legal advice for 1500 women",
			"Legal advice for [-1200-]{+1500+} women"},
		{"EnglishWordNotLetters", "monthly lectures", "weekly lectures", "[-monthly-]{+weekly+} lectures"},
		{"Mixed", "举办WeChat讲座", "举办Weibo讲座", "举办[-WeChat-]{+Weibo+}讲座"},
		{"Same", "不变", "不变", "不变"},
		{"FromNothing", "", "新增内容", "{+新增内容+}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(WordDiff(tc.before, tc.after)); got != tc.want {
				t.Errorf("WordDiff(%q, %q) = %s, want %s", tc.before, tc.after, got, tc.want)
			}
		})
	}
}
