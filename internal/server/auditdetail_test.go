package server

import (
	"net/http"
	"strconv"
	"testing"

	"ngoportal/internal/portal"
)

// An audit entry's details read as sentences in the reader's language:
// field names and enumerated values through the catalogue, ids as names or
// "Session #3", a report's table rows decoded into labelled parts, a
// summary's body by its length; nothing of the stored keys shows. A key
// no catalogue knows still renders, as stored.
func TestAuditDetailsReadable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := createUser(t, h, portal.RoleAdmin, 0, "details@example.org", "管理员")
	var chair int64
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT id FROM officials WHERE name_en = 'Xu Feng'`).Scan(&chair); err != nil {
		t.Fatal(err)
	}
	insert := func(action, objectType string, objectID int64, changes string) {
		t.Helper()
		if _, err := h.db.Pool().Exec(t.Context(), `
			INSERT INTO audit_log (action, object_type, object_id, changes) VALUES ($1, $2, $3, $4)`,
			action, objectType, objectID, changes); err != nil {
			t.Fatal(err)
		}
	}
	insert("session.copied", "session", 9, `{"copied_from": {"before": null, "after": 3}, "invitations": {"before": null, "after": 17},
		"level": {"before": null, "after": "municipal"}, "held_on": {"before": null, "after": "2022-01-19"}}`)
	insert("attendance.recorded", "invitation", 4, `{"attendance": {"before": "unknown", "after": "absent"},
		"representatives_present": {"before": ["王芳"], "after": []}}`)
	insert("report.saved", "report", 5, `{"media": {"before": [], "after": ["wechat|120|358000"]},
		"activities": {"before": ["春季讲座|lecture|online|2020-03-01|2020-03-05|120|100|复旦大学|"], "after": []}}`)
	insert("summary.saved", "summary", 6, `{"body_zh": {"before": "1800 characters, sha256 0a1b2c3d4e5f", "after": "1837 characters, sha256 abcdefabcdef"},
		"status": {"before": "draft", "after": "published"}}`)
	insert("report.exported", "cycle", 1, `{"format": {"before": null, "after": "xlsx"}, "file": {"before": null, "after": "reports-2020.xlsx"}}`)
	insert("attachment.deleted", "attachment", 7, `{"kind": {"before": "cover", "after": null}, "sha256": {"before": "0123456789abcdef0123456789abcdef", "after": null},
		"size_bytes": {"before": 204800, "after": null}}`)
	insert("request.created", "request", 8, `{"made_by": {"before": null, "after": `+strconv.FormatInt(chair, 10)+`}, "number": {"before": null, "after": 2}}`)
	insert("report.returned", "report", 5, `{"comment.narrative": {"before": null, "after": "请补充数据。"}, "declaration": {"before": true, "after": false}}`)
	insert("ngo.updated", "ngo", 1, `{"website": {"before": "", "after": "https://example.org"}, "future_key": {"before": "x", "after": {"a": 1}}}`)
	insert("cycle.updated", "cycle", 2, `{"session_id": {"before": 4, "after": 0}}`)
	c := h.sessionCookie(t, admin)

	zh := h.as(t, c, get("/admin/audit"))
	if zh.status != http.StatusOK {
		t.Fatalf("status %d", zh.status)
	}
	wantContains(t, zh.body,
		"<li>复制自：会议 #3</li>", "<li>复制的邀请数：17</li>", "<li>级别：市级</li>", "<li>会议日期：2022年1月19日</li>",
		"<li>出席：由未登记改为缺席</li>", "<li>到会代表：由王芳改为无</li>",
		"<li>新媒体工作，新增一行：微信公众号：发布120条，阅读358000次</li>",
		"<li>活动，删除一行：《春季讲座》，讲座，线上，2020年3月1日至2020年3月5日，覆盖120人（其中女性100人），合作方：复旦大学，主题：无</li>",
		"<li>正文（中文）已修改（现共1837字）</li>", "<li>状态：由草稿（未公开）改为已发布</li>",
		"<li>格式：Excel 工作簿（XLSX）</li>",
		"<li>附件类型（删除前）：封面</li>", "<li>校验值（SHA-256）（删除前）：0123456789ab…</li>",
		"<li>编号：第2条</li>", "<li>提出人：徐枫</li>",
		"<li>对“年度工作综述”部分的意见：请补充数据。</li>", "<li>真实性承诺：由是改为否</li>",
		"<li>网站：https://example.org</li>", "future_key", "<li>会议：由会议 #4改为无</li>")
	wantAbsent(t, zh.body, "copied_from", "representatives_present", "unknown", "municipal", "wechat|", "sha256 ",
		"characters", "（无）", "：xlsx", "comment.narrative", "lecture")

	en := h.as(t, c, get("/admin/audit", "Accept-Language", "en"))
	wantContains(t, en.body,
		"<li>Copied from: Session #3</li>", "<li>Attendance: changed from Not recorded to Absent</li>",
		"<li>New-media work, row added: WeChat official account: 120 items published, 358000 reads</li>",
		"<li>Body (Chinese) was edited (now 1837 characters)</li>", "<li>Format: Excel workbook (XLSX)</li>",
		"<li>Made by: Xu Feng</li>", "Comment on “Narrative of the year”: 请补充数据。</li>")
	wantAbsent(t, en.body, "copied_from", "wechat|", "sha256 ", "(none)")
}
