package search

// RelevanceCase is one query of the relevance test set with the proposals
// (by proposal_number of ../shared/data/proposals_jiangsu_2019.csv) that are
// about it.
type RelevanceCase struct {
	Query string
	Want  []string
}

// RelevanceSet was written by reading the 2019 Jiangsu proposals: a proposal
// is listed when its subject is the query, not when it merely mentions it
// (0650 on biodiesel mentions 餐厨 waste but is not about kitchen waste).
// Engines are measured on it with PrecisionAtK and RecallAtK; the store
// tests run the same set against FTS5 and PostgreSQL.
var RelevanceSet = []RelevanceCase{
	{"公厕", []string{"0001"}},
	{"厕所", []string{"0001"}},
	{"光纤改造", []string{"0002"}},
	{"民营企业融资", []string{"0183", "0005", "0160", "0300"}},
	{"青少年近视", []string{"0194", "0916", "0447", "0198"}},
	{"大运河文化带", []string{"0251", "0221", "0029", "0129", "0097", "0196", "0745"}},
	{"时间银行", []string{"0404", "0086"}},
	{"垃圾分类", []string{"0407", "0376", "0286"}},
	{"餐厨垃圾", []string{"0013", "0237"}},
	{"家庭医生签约", []string{"0281", "0557"}},
	{"全科医生", []string{"0151", "0179"}},
	{"中欧班列", []string{"0579", "0833"}},
	{"航空货运枢纽", []string{"0675", "0646", "0007"}},
	{"非法集资", []string{"0021", "0018"}},
	{"文明养狗", []string{"0219", "0499"}},
	{"共享单车", []string{"0168"}},
	{"婴幼儿照护", []string{"0017", "0737", "0419", "0027"}},
	{"科技成果转化", []string{"0009", "0757", "0704", "0709", "0408", "0344"}},
	{"土壤污染", []string{"0055", "0584"}},
	{"塑料污染", []string{"0185", "0800", "0523"}},
	{"产教融合", []string{"0380", "0070"}},
	{"新乡贤", []string{"0272", "0111"}},
	{"长期护理保险", []string{"0873"}},
	{"中医药", []string{"0710", "0323", "0709", "0326", "0636", "0549"}},
	{"急救培训", []string{"0036", "0385", "0695"}},
	{"罕见病", []string{"0618", "0706"}},
	{"停车难", []string{"0633"}},
	{"僵尸车", []string{"0446"}},
	{"区块链", []string{"0831"}},
	{"工业互联网", []string{"0730", "0799"}},
	{"校外培训机构", []string{"0652", "0402", "0343", "0279"}},
	{"法律援助", []string{"0170", "0069"}},
	{"湿地保护", []string{"0543", "0073", "0122"}},
	{"太湖治理", []string{"0137", "0466"}},
	{"人工智能", []string{"0593", "0306"}},
	{"家庭教育", []string{"0895", "0034", "0630"}},
	{"居家养老", []string{"0162", "0060", "0404", "0193"}},
	{"农村养老", []string{"0125", "0138", "0175", "0426", "0062"}},
	{"心理健康教育", []string{"0853", "0749"}},
	{"中小学生减负", []string{"0592", "0741"}},
	{"预付卡", []string{"0603"}},
	{"冷链物流", []string{"0719"}},
	{"民宿", []string{"0754"}},
	{"繁体字", []string{"0681"}},
	{"自闭症", []string{"0212"}},
	{"信报箱", []string{"0580"}},
	{"光伏发电", []string{"0911"}},
	{"个人信息保护", []string{"0868"}},
	{"分娩镇痛", []string{"0415"}},
	{"快递", []string{"0033", "0580"}},
	{"特殊教育", []string{"0432", "0691"}},
	{"学校食堂", []string{"0861"}},
	{"网络安全", []string{"0920"}},
	{"集成电路", []string{"0921"}},
	{"学前教育", []string{"0399", "0429", "0087"}},
	{"医联体", []string{"0239", "0787"}},
	{"医养融合", []string{"0216", "0420"}},
}

// PrecisionAtK is the share of the first k results that are wanted (k in the
// denominator even when fewer results came back, as is usual).
func PrecisionAtK(got, want []string, k int) float64 {
	if k <= 0 {
		return 0
	}
	return float64(hits(got, want, k)) / float64(k)
}

// RecallAtK is the share of the wanted results found in the first k.
func RecallAtK(got, want []string, k int) float64 {
	if len(want) == 0 {
		return 0
	}
	return float64(hits(got, want, k)) / float64(len(want))
}

// IdealPrecisionAtK is the best PrecisionAtK any ranking can reach for a
// case with this many wanted results, to read the measured value against.
func IdealPrecisionAtK(want []string, k int) float64 {
	if k <= 0 {
		return 0
	}
	return float64(min(len(want), k)) / float64(k)
}

func hits(got, want []string, k int) int {
	w := make(map[string]bool, len(want))
	for _, id := range want {
		w[id] = true
	}
	n := 0
	for i, id := range got {
		if i >= k {
			break
		}
		if w[id] {
			n++
			delete(w, id) // a duplicate in got counts once
		}
	}
	return n
}
