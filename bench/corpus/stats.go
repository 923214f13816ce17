package corpus

import "unicode"

// The numbers below were measured from ../shared/data/proposals_jiangsu_2019.csv
// (436 proposals filed at the 2019 session of a provincial CPPCC committee)
// and, for replies, ../shared/data/citizen_messages_with_replies.csv; they are
// facts about those files, none of their text is kept. TestMeasuredStats
// recomputes every one of them.
//
// How they were measured: the files are read with encoding/csv (LazyQuotes)
// and every cell is trimmed. A length is the number of runes that are not
// white space (the texts carry line breaks from PDF extraction, which say
// nothing about their size). Percentiles are given at 0, 5, 10, …, 100 %,
// taking the element at index p·(n−1)/100 (rounded down) of the sorted sample.

// MeasuredProposals is the number of proposals measured.
const MeasuredProposals = 436

// BodyLenLogMu and BodyLenLogSigma fit a log-normal to body lengths: mean
// and sample standard deviation of ln(length). The generator samples from
// the percentiles instead, which follow the real long tail more closely.
const (
	BodyLenLogMu    = 7.3281
	BodyLenLogSigma = 0.4697
)

// BodyLenPercentiles are body lengths at 0, 5, …, 100 %.
var BodyLenPercentiles = [21]int{228, 652, 815, 957, 1050, 1166, 1282, 1392, 1443, 1505,
	1570, 1654, 1782, 1897, 2008, 2098, 2221, 2374, 2550, 2912, 5510}

// TitleLenPercentiles are title (案由) lengths at 0, 5, …, 100 %.
var TitleLenPercentiles = [21]int{6, 13, 15, 15, 16, 17, 17, 18, 19, 19,
	20, 21, 21, 22, 23, 24, 25, 26, 28, 30, 41}

// StructuredProposals is how many bodies contain 调研情况, then 问题分析, then
// 具体建议 (416 of 436, 95.4 %).
const StructuredProposals = 416

// SectionShares are, over the structured bodies, the median share of the
// length of the 调研情况, 问题分析 and 具体建议 sections (headings excluded).
var SectionShares = [3]float64{0.168, 0.2766, 0.5284}

// SuggestionCounts[k] is how many structured bodies have k suggestions in
// their 具体建议 section: the longest run of markers 1, 2, 3 … in order over
// the numbering styles in use (1. 1． 1、 (1) 一、 （一） 一是 第一，). A
// section with no such run of two counts as one unnumbered suggestion
// (index 1 holds those 38).
var SuggestionCounts = []int{0, 38, 16, 130, 121, 66, 30, 10, 4, 1}

// TitleForms counts the titles that read 关于…的建议, those that start with
// 关于 but end otherwise (…的提案, …的几点建议), and the others (slogans such
// as "甲，乙").
var TitleForms = [3]int{280, 45, 111}

// ProposerKinds counts the proposals by a single member, jointly by several
// members ("某某等N人") and by a body (a party, a special committee, a
// federation).
var ProposerKinds = [3]int{268, 82, 86}

// JointSizePercentiles are the numbers of signers (lead included) of joint
// proposals at 0, 5, …, 100 %.
var JointSizePercentiles = [21]int{2, 2, 2, 2, 3, 3, 4, 4, 4, 5,
	6, 8, 9, 11, 11, 11, 12, 13, 16, 21, 31}

// MeasuredReplies is the number of written government replies measured.
const MeasuredReplies = 120

// ReplyLenPercentiles are the lengths of government replies to citizens at
// 0, 5, …, 100 %; they stand in for the length of a unit's reply letter.
var ReplyLenPercentiles = [21]int{10, 22, 37, 55, 72, 90, 104, 128, 151, 169,
	197, 213, 233, 269, 310, 327, 355, 411, 461, 750, 1272}

// CategoryCount is how many measured proposals fell in a category.
type CategoryCount struct {
	Category string
	Count    int
}

// CategoryCounts is the category mix, in the order the generator uses.
var CategoryCounts = []CategoryCount{
	{"社会事业", 77}, {"教育事业", 58}, {"经济发展", 52}, {"医卫体育", 45},
	{"工业商贸", 34}, {"文化宣传", 34}, {"城乡建设", 25}, {"科学技术", 25},
	{"法制建设", 24}, {"资源环境", 24}, {"政治建设", 18}, {"财税金融", 12},
	{"农林水利", 4}, {"统战综合", 4},
}

// Section headings of a structured body.
const (
	headSurvey   = "调研情况"
	headAnalysis = "问题分析"
	headSuggest  = "具体建议"
)

// textLen is the length measure used throughout: runes that are not space.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// Title forms, indexes into TitleForms.
const (
	titleAboutSuggestion = iota
	titleAboutOther
	titleOther
)

// Proposer kinds, indexes into ProposerKinds.
const (
	proposerIndividual = iota
	proposerJoint
	proposerBody
)
