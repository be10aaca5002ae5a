package server

import (
	"net/http"
	"strconv"
	"strings"

	"ngoportal/internal/portal"
	"ngoportal/web/session"
)

// parseReplyForm reads an invitation's reply form in one pass: the values
// as typed, the reply they describe and the field errors. Blank
// representative rows are ignored. A missing or malformed version is a
// request no page of ours sends: 400.
func parseReplyForm(r *http.Request) (session.ReplyValues, portal.InvitationReply, map[string]string, error) {
	if err := r.ParseForm(); err != nil {
		return session.ReplyValues{}, portal.InvitationReply{}, nil, err
	}
	p := r.PostForm
	version, err := strconv.Atoi(p.Get("version"))
	if err != nil || version <= 0 {
		return session.ReplyValues{}, portal.InvitationReply{}, nil, errBadRequest
	}
	v := session.ReplyValues{Version: version, Reply: portal.Reply(p.Get("reply")),
		DeclineReason: portal.CleanText(p.Get("decline_reason"))}
	a := portal.InvitationReply{Reply: v.Reply, DeclineReason: v.DeclineReason, Version: version}
	errs := map[string]string{}
	for i := range v.Reps {
		n := i + 1
		rep := session.RepresentativeValues{
			Name:   portal.CleanText(p.Get(portal.RepresentativeField("name", n))),
			Title:  portal.CleanText(p.Get(portal.RepresentativeField("title", n))),
			Mobile: cleanMobile(p.Get(portal.RepresentativeField("mobile", n))),
		}
		v.Reps[i] = rep
		if rep == (session.RepresentativeValues{}) {
			continue
		}
		a.Representatives = append(a.Representatives, portal.Representative{Position: n, Name: rep.Name, Title: rep.Title, Mobile: rep.Mobile})
		if v.Reply != portal.ReplyConfirmed {
			continue
		}
		if rep.Name == "" {
			errs[portal.RepresentativeField("name", n)] = "invitation.error.rep_name_required"
		}
		if rep.Mobile == "" {
			errs[portal.RepresentativeField("mobile", n)] = "invitation.error.rep_mobile_required"
		}
	}
	switch v.Reply {
	case portal.ReplyConfirmed:
	case portal.ReplyDeclined:
		if v.DeclineReason == "" {
			errs["decline_reason"] = "invitation.error.decline_reason_required"
		}
	default:
		errs["reply"] = "invitation.error.reply_required"
	}
	mergeErrors(errs, a.Validate())
	return v, a, errs, nil
}

// cleanMobile cleans a typed mobile number and drops the spaces and
// hyphens people group its digits with.
func cleanMobile(s string) string {
	return strings.NewReplacer(" ", "", "-", "").Replace(portal.CleanText(s))
}

// replyValuesFrom fills the reply form with an invitation's saved reply.
func replyValuesFrom(inv portal.Invitation) session.ReplyValues {
	v := session.ReplyValues{Version: inv.Version, DeclineReason: inv.DeclineReason}
	if inv.Reply != portal.ReplyNone {
		v.Reply = inv.Reply
	}
	for i, r := range inv.Registered() {
		if i < portal.MaxRepresentatives {
			v.Reps[i] = session.RepresentativeValues{Name: r.Name, Title: r.Title, Mobile: r.Mobile}
		}
	}
	return v
}
