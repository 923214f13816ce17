package zhengxie

import "strings"

// Viewer is who looks at a proposal, for the next-step hint: the parties
// the viewer is in and, for a unit, which unit.
type Viewer struct {
	Parties []Party
	UnitID  int64
	// Missing is what still stops a draft's submission (DraftProblems),
	// for its proposer.
	Missing []string
}

// NextStep says in one sentence what comes next on a proposal for the
// viewer: what the transition tables let the viewer do now, less what the
// facts rule out (a rated reply, a published proposal), or whom the
// proposal waits for. Pages show it instead of deciding in templates.
func NextStep(p *Proposal, ts []Task, v Viewer) string {
	may := func(a Action) bool {
		_, err := Next(p.State, a, v.Parties...)
		return err == nil
	}
	switch p.State {
	case StateDraft:
		if may(ActSubmit) && len(v.Missing) > 0 {
			return "本提案是草稿，尚未提交，只有您本人可以看到。提交前还需：" + strings.Join(v.Missing, "；") + "。请点击“修改草稿”补充后提交。"
		}
		if may(ActSubmit) {
			return "本提案是草稿，尚未提交，只有您本人可以看到。可以继续修改，确认无误后点击“提交”。"
		}
		return "本提案是草稿，尚未提交。"
	case StateSubmitted:
		if may(ActCosign) {
			return p.ProposerName + "邀请您作为本提案的附议人。请阅读正文后点击“确认附议”或“谢绝附议”。"
		}
		due := ""
		if !p.CosignDue.IsZero() {
			due = "（附议截止：" + p.CosignDue.In(ChinaTime()).Format("2006-01-02 15:04") + "）"
		}
		return "提案已提交，等待附议人确认" + due + "。附议人全部答复或附议截止后，提案进入审查。"
	case StateUnderReview:
		if may(ActAccept) {
			return "请审阅提案正文，在下方“审查”中作出处理：立案、不予立案、并案或转为意见建议。"
		}
		return "提案已进入审查，提案委员会将决定是否立案。"
	case StateAccepted:
		if may(ActAssign) {
			return "已立案。请在下方“交办”中确定主办单位，以及需要时的会办、分办单位。"
		}
		return "已立案，等待交办承办单位。"
	case StateHandling:
		if t := ownTask(ts, v); t != nil {
			if CheckLeadReply(t, ts) != nil && t.State != TaskPending {
				return "本单位为主办单位，请在收到全部会办意见后答复；会办意见见下方“办理情况”。"
			}
			return "本提案已交本单位办理。请在下方“办理情况”中签收、与提案人沟通并按期答复。"
		}
		for _, t := range ts {
			if t.State == TaskReturned {
				if may(ActAssign) {
					return "有承办单位申请退回，请在下方“改办”中改交其他单位。"
				}
				return "有承办单位申请退回，等待提案委员会改办。"
			}
		}
		if rateable(ts, v) {
			return "承办单位正在办理；已答复的部分可先行测评。"
		}
		return "承办单位正在办理。"
	case StateReplied:
		if rateable(ts, v) {
			return "承办单位已答复。请阅读答复，在下方对答复进行满意度测评。"
		}
		rated := CheckConclude(ts) == nil
		switch {
		case may(ActConclude) && rated:
			return "承办单位已全部答复，提案人已完成满意度测评。请点击“办结”。"
		case may(ActConclude):
			return "承办单位已全部答复，等待提案人进行满意度测评；测评完成后可以办结。"
		case rated:
			return "承办单位已全部答复，提案人已完成满意度测评，等待提案委员会办结。"
		}
		return "承办单位已全部答复，等待提案人进行满意度测评。"
	case StateConcluded:
		switch {
		case may(ActPublish) && !p.Published:
			return "已办结。可点击“公开”向公众公开提案和答复，然后点击“归档”。"
		case may(ActArchive):
			return "已办结，提案和答复已公开。请点击“归档”，归档后案卷不可再更改。"
		case p.Published:
			return "已办结，提案和答复已公开。"
		}
		return "已办结。"
	case StateArchived:
		return "已归档，案卷不可再更改。"
	case StateRejected:
		return "提案未予立案。"
	case StateMerged:
		return "提案已并入其他提案办理。"
	case StateConverted:
		return "提案已转为意见建议办理。"
	case StateWithdrawn:
		if p.SubmittedAt.IsZero() {
			return "这份草稿已由提案人作废，未曾提交。"
		}
		return "提案已由提案人撤回。"
	}
	return ""
}

// ownTask is the viewer's unit's task still waiting for the unit, if any.
func ownTask(ts []Task, v Viewer) *Task {
	if !hasParty(v.Parties, PartyUnit) {
		return nil
	}
	for i := range ts {
		t := &ts[i]
		if t.UnitID == v.UnitID && len(AllowedTask(t, PartyUnit)) > 0 {
			return t
		}
	}
	return nil
}

// rateable reports whether the viewer may rate a reply now.
func rateable(ts []Task, v Viewer) bool {
	for i := range ts {
		t := &ts[i]
		if t.Feedback == "" {
			if _, err := NextTask(t, TaskActFeedback, v.Parties...); err == nil {
				return true
			}
		}
	}
	return false
}
