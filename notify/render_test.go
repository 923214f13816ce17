package notify

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

type chineseDate struct{}

func (chineseDate) Chinese() string { return "2026年10月8日" }

func sampleData() Data {
	return Data{
		Committee:   "某某区政协",
		Recipient:   "区住房和城乡建设局",
		Number:      "第0012号",
		Title:       "关于加快推进老旧小区加装电梯工作的建议",
		Proposer:    "张明",
		Unit:        "区住房和城乡建设局",
		Role:        "主办",
		Due:         "2026-10-08",
		PreviousDue: "2026-09-08",
		Activity:    "座谈：加装电梯推进情况",
		DaysLeft:    15,
		DaysOverdue: 7,
		Leader:      "李华副主席",
		Reason:      "内容属于个人诉求，建议通过信访渠道反映",
		Result:      "基本满意",
		URL:         "https://zx.example.cn/tasks/12",
		Place:       "城东街道委员联络站",
		Time:        "5月12日 09:00",
		Items:       "报送社情民意信息（还差1件）\n为群众办实事（还差1件）",
		Subject:     "转办群众诉求：路灯不亮",
		Body:        "请签收并于2026年10月8日前答复。",
	}
}

func TestEveryTemplateRenders(t *testing.T) {
	want := map[string][]string{
		TaskAssigned:        {"新的交办任务：第0012号《关于加快推进老旧小区加装电梯工作的建议》", "交由贵单位主办", "办理期限：2026年10月8日前"},
		DeadlineReminder:    {"办理期限提醒：第0012号", "还剩15天", "距到期还有15天"},
		TaskOverdue:         {"已超期：第0012号", "已超期7天", "超期督办名单"},
		Escalation:          {"超期督办：区住房和城乡建设局办理的第0012号", "已超期7天", "督促办理"},
		ReplyReceived:       {"答复已送达：您的提案第0012号", "答复类别为“基本满意”", "满意度测评"},
		FeedbackReceived:    {"测评结果：第0012号", "结果为“基本满意”", "提案者意见"},
		ProposalRejected:    {"提案不予立案：《关于加快推进老旧小区加装电梯工作的建议》", "理由：内容属于个人诉求"},
		KeyProposalApproved: {"重点提案确定：第0012号", "由李华副主席领衔督办", "座谈、视察、调研和面商"},
		ContactNotice:       {"转办群众诉求：路灯不亮", "请签收并于2026年10月8日前答复。"},
		TokenExpiring:       {"API令牌即将到期：《关于加快推进老旧小区加装电梯工作的建议》还剩15天", "将于2026年10月8日到期", "创建新的令牌"},
		ActivityInvited:     {"活动邀请：关于加快推进老旧小区加装电梯工作的建议", "时间：5月12日 09:00", "地点：城东街道委员联络站", "请假"},
		DutyReminder:        {"履职提醒：您今年还有15项作业未完成", "报送社情民意信息（还差1件）"},
		CosignInvited:       {"附议邀请：《关于加快推进老旧小区加装电梯工作的建议》", "张明委员邀请您附议", "2026年10月8日前"},
		ProposalAccepted:    {"提案已立案：《关于加快推进老旧小区加装电梯工作的建议》第0012号", "予以立案，编号第0012号"},
		ProposalConverted:   {"提案转为意见建议：", "说明：内容属于个人诉求"},
		ProposalMerged:      {"提案已并案：", "合并办理：内容属于个人诉求"},
		ProposalConcluded:   {"提案已办结：", "已办结"},
		ProposalAssigned:    {"提案已交办：", "承办单位：区住房和城乡建设局"},
		TaskReturned:        {"交办退回：区住房和城乡建设局申请退回第0012号", "（主办）不当", "理由：内容属于个人诉求"},
		RehandleRequested:   {"重新办理：提案者对第0012号", "测评为“不满意”", "2026年10月8日前重新书面答复"},
		ExtensionRequested:  {"延期申请：区住房和城乡建设局申请延期办理第0012号", "由2026年9月8日延至2026年10月8日", "理由："},
		ExtensionApproved:   {"延期申请已同意：第0012号", "由2026年9月8日延至2026年10月8日"},
		ExtensionRefused:    {"延期申请未获同意：第0012号", "不同意", "原期限2026年9月8日不变", "理由："},
		KeyProposalProposed: {"重点提案建议待审定：第0012号", "建议将第0012号提案", "主席会议审定"},
		KeyStepPlanned:      {"重点提案督办安排：第0012号", "李华副主席计划于2026年10月8日", "进行座谈：加装电梯推进情况"},
		TaskClosed:          {"办理任务已关闭：第0012号《关于加快推进老旧小区加装电梯工作的建议》已办结", "尚未完成的主办任务随之关闭", "无需再办理"},
		LeadReleased:        {"可先行答复：第0012号", "准予贵单位不等全部会办单位意见", "理由：内容属于个人诉求"},
		TopicReturned:       {"订单基本满意：《关于加快推进老旧小区加装电梯工作的建议》", "理由：内容属于个人诉求"},
		TopicPublished:      {"订单已发布：", "征集截止日期为2026年10月8日", "联合调研"},
		TopicNew:            {"新的订单式提案：区住房和城乡建设局《", "征集截止日期为2026年10月8日", "一个订单可以由多位委员分别认领"},
		TopicClaimed:        {"订单已被认领：", "已由张明主办", "请做好对接"},
		StudyRequested:      {"联合调研申请：", "张明申请与贵单位开展联合调研", "申请内容：内容属于个人诉求"},
		StudyAnswered:       {"联合调研申请已答复：", "联合调研申请答复：基本满意。", "说明：内容属于个人诉求"},
	}
	files, _ := os.ReadDir("templates")
	if len(files) != len(want) || !slices.Equal(Names(), sortedKeys(want)) {
		t.Fatalf("templates %v, tested %v", Names(), sortedKeys(want))
	}
	for _, name := range Names() {
		subject, text, err := Render(name, sampleData())
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		all := subject + "\n" + text
		for _, w := range want[name] {
			if !strings.Contains(all, w) {
				t.Errorf("%s lacks %q:\n%s", name, w, all)
			}
		}
		if strings.Contains(all, "<no value>") || strings.Contains(text, "\n\n\n") || strings.Contains(subject, "\n") {
			t.Errorf("%s renders badly:\n%s", name, all)
		}
		if !strings.Contains(text, "https://zx.example.cn/tasks/12") {
			t.Errorf("%s has no link", name)
		}
		if n := len([]rune(subject)); n > 70 {
			t.Errorf("%s subject is %d characters", name, n)
		}
	}
}

func sortedKeys(m map[string][]string) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	slices.Sort(k)
	return k
}

func TestRenderVariants(t *testing.T) {
	d := sampleData()
	d.DaysLeft = 0
	d.Due = chineseDate{} // what a zhengxie.Date gives
	d.URL = ""
	subject, text, err := Render(DeadlineReminder, d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(subject, "今天到期") || !strings.Contains(text, "2026年10月8日，今天到期") || strings.Contains(text, "办理页面") {
		t.Errorf("due today:\n%s\n%s", subject, text)
	}

	d = sampleData()
	d.Result = "不满意"
	_, text, _ = Render(FeedbackReceived, d)
	if !strings.Contains(text, "重新办理") {
		t.Errorf("不满意 does not mention re-handling:\n%s", text)
	}
	d.Result = "满意"
	_, text, _ = Render(FeedbackReceived, d)
	if strings.Contains(text, "重新办理") {
		t.Errorf("满意 mentions re-handling:\n%s", text)
	}

	d.Due = time.Date(2026, 2, 24, 0, 0, 0, 0, time.UTC)
	_, text, _ = Render(TaskAssigned, d)
	if !strings.Contains(text, "2026年2月24日前") {
		t.Errorf("time.Time due:\n%s", text)
	}

	if _, _, err := Render("nope", d); err == nil || !strings.Contains(err.Error(), "没有名为“nope”的消息模板") {
		t.Errorf("unknown template: %v", err)
	}
	if _, _, err := Render(TaskAssigned, map[string]any{"Title": "x"}); err == nil {
		t.Error("missing fields rendered without error")
	}
}
