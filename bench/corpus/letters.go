package corpus

// Reply letters (答复) of handling units and the proposers' feedback
// comments (满意度测评), from our own templates.

var (
	replyCommon = compileAll([]string{
		"我们高度重视您的提案，{x}专门召开会议研究，明确由相关业务处室具体承办。",
		"办理过程中，我们通过{y}与您进行了沟通，详细听取了您的意见和建议。",
		"近年来，我们围绕{s}做了大量工作，{g}。",
		"{Y}年以来，我们会同{B}{M}，{g}。",
		"您在提案中指出的{P}的问题，确实是当前工作中的薄弱环节。",
		"针对您提出的建议，我们逐条进行了研究，并结合工作实际作了安排。",
		"我们组织人员赴{l}进行了实地调研，掌握了第一手情况。",
	})
	replyByClass = map[string][]tmpl{
		"A": compileAll([]string{
			"您提出的{M}的建议已被我们采纳，并在今年的工作中予以落实。",
			"目前，我们已{M}，相关工作取得了阶段性成效。",
			"按照您的建议，我们会同{B}出台了具体实施办法，{g}。",
			"{O}的相关问题已基本解决，{G}反映良好。",
		}),
		"B": compileAll([]string{
			"您提出的{M}的建议，已列入我们的年度工作计划，正在抓紧推进。",
			"下一步，我们将{M}，力争尽快取得实效。",
			"目前，相关方案已经形成初稿，正在征求{B}的意见。",
			"预计到明年年底，相关工作将覆盖{O}{N}个。",
		}),
		"C": compileAll([]string{
			"您提出的{M}的建议很有见地，但受{w}等条件限制，目前实施尚有一定困难。",
			"我们将把您的建议留作参考，在今后制定相关规划和政策时统筹考虑。",
			"待条件成熟时，我们将积极研究推进。",
			"对此，我们将加强与{B}的沟通，争取上级支持。",
		}),
	}
	replyLeaders     = frags([]string{"单位主要负责同志", "分管负责同志", "领导班子"})
	replyContacts    = frags([]string{"电话", "登门拜访", "座谈会", "当面交流"})
	replyConstraints = frags([]string{"资金", "用地指标", "现行政策", "法律法规", "技术条件", "事权划分"})
	replyClosings    = frags([]string{"感谢您对我们工作的关心和支持，希望继续给予关注并提出宝贵意见。",
		"再次感谢您的关心和支持，欢迎继续对我们的工作提出意见和建议。",
		"感谢您对相关工作的关心，我们将认真抓好落实。"})
)

var (
	fSalutation = frag{"：\n您提出的《", 6}
	fReceived   = frag{"》收悉，现将办理情况答复如下：\n", 15}
	fContactBy  = frag{"\n联系人：", 4}
	fPhone      = frag{"，联系电话：", 6}
)

// Reply writes a unit's reply letter to proposal p: addressed to to (a
// member with title, "张伟委员", or a body), signed by unit, worded for the
// result class "A" (已解决或采纳), "B" (正在解决或列入计划) or "C" (因条件限制
// 留作参考). The letter's substance has the measured length of written
// government replies; salutation, closing and signature come on top. It
// panics on another class.
func (g *Generator) Reply(p Proposal, to, unit, class string) string {
	byClass, ok := replyByClass[class]
	if !ok {
		panic("corpus: result class must be A, B or C, not " + class)
	}
	ci, ok := byCategory[p.Category]
	if !ok {
		ci = g.weighted(categoryCum)
	}
	g.cur = &compiled[ci]
	g.subj = g.pick(g.cur.subjects)
	g.buf, g.n = g.buf[:0], 0
	g.buf = append(g.buf, to...)
	g.put(fSalutation)
	g.buf = append(g.buf, p.Title...)
	g.put(fReceived)

	want := g.quantile(&ReplyLenPercentiles)
	start := g.n
	// The first common sentence, then common and class sentences mixed,
	// each at most once.
	g.render(replyCommon[0])
	pc := g.permute(&g.perm, len(replyCommon)-1)
	pk := g.permute(&g.perm2, len(byClass))
	g.render(byClass[pk[0]])
	for i, j := 0, 1; g.n-start+halfSentence < want && (i < len(pc) || j < len(pk)); {
		if j < len(pk) && (i == len(pc) || g.r.intn(2) == 0) {
			g.render(byClass[pk[j]])
			j++
		} else {
			g.render(replyCommon[pc[i]+1])
			i++
		}
	}
	g.buf = append(g.buf, '\n')
	g.put(g.pick(replyClosings))
	if g.r.intn(2) == 0 {
		g.put(fContactBy)
		g.buf = append(g.buf, g.Name()...)
		g.put(fPhone)
		g.putInt(80000000 + g.r.intn(9999999))
	}
	g.buf = append(g.buf, '\n')
	g.buf = append(g.buf, unit...)
	return string(g.buf)
}

func init() {
	lists['x'] = replyLeaders
	lists['y'] = replyContacts
	lists['w'] = replyConstraints
}

var feedbackParts = map[string][3][]string{
	"satisfied": {
		{"承办单位高度重视，", "办理态度认真负责，", "承办单位主要负责同志亲自过问，", "答复及时，"},
		{"办理前多次与本人沟通，", "主动上门听取意见，", "提出的主要建议已被采纳，", "答复内容具体详实，"},
		{"对办理结果表示满意。", "措施具体可行，表示满意。", "办理成效明显，非常满意。"},
	},
	"basically": {
		{"承办单位与本人进行了沟通，", "答复较为及时，", "办理态度较好，"},
		{"但部分建议尚未落实到位，", "但有些措施还不够具体，", "但落实的时间表还不明确，"},
		{"希望继续跟踪推进，总体基本满意。", "基本满意。", "希望加强后续落实，基本满意。"},
	},
	"unsatisfied": {
		{"答复内容较为笼统，", "办理前未与本人进行有效沟通，", "答复未针对提案提出的问题，"},
		{"没有提出具体的解决措施，", "只介绍了已有工作，", "对建议的采纳情况未作说明，"},
		{"表示不满意，希望重新办理。", "不满意。", "希望承办单位认真研究、重新答复。"},
	},
}

// Feedback writes a proposer's comment on a reply for rating "satisfied"
// (满意), "basically" (基本满意) or "unsatisfied" (不满意), the domain's
// feedback codes. It panics on another rating.
func (g *Generator) Feedback(rating string) string {
	parts, ok := feedbackParts[rating]
	if !ok {
		panic("corpus: rating must be satisfied, basically or unsatisfied, not " + rating)
	}
	b := make([]byte, 0, 128)
	for _, l := range parts {
		b = append(b, l[g.r.intn(len(l))]...)
	}
	return string(b)
}
