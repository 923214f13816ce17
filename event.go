package zhengxie

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Event is one entry of a committee's append-only log. Events of a
// committee are chained: each stores the hash of the previous one, so that
// changing or removing any past event breaks every hash after it.
type Event struct {
	ID          int64
	CommitteeID int64
	Seq         int64 // 1, 2, 3 … within the committee
	ProposalID  int64
	TaskID      int64
	// SubjectKind and SubjectID name what the event is about when it is not
	// a proposal or its task: an activity, a matter, a report, a
	// recommendation … ("activity", 12). Every module's events join the same
	// committee chain this way.
	SubjectKind string
	SubjectID   int64
	ActorID     int64
	ActorName   string
	Action      string
	FromState   string
	ToState     string
	Comment     string
	Payload     string // JSON
	CreatedAt   time.Time
	PrevHash    string
	Hash        string
}

// GenesisHash is the PrevHash of a committee's first event.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the hash of e given its PrevHash. Fields are written
// length-prefixed so that no two different events serialise alike.
func (e *Event) ComputeHash() string {
	h := sha256.New()
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte('|')
	}
	field(e.PrevHash)
	field(strconv.FormatInt(e.CommitteeID, 10))
	field(strconv.FormatInt(e.Seq, 10))
	field(strconv.FormatInt(e.ProposalID, 10))
	field(strconv.FormatInt(e.TaskID, 10))
	field(strconv.FormatInt(e.ActorID, 10))
	field(e.ActorName)
	field(e.Action)
	field(e.FromState)
	field(e.ToState)
	field(e.Comment)
	field(e.Payload)
	field(e.CreatedAt.UTC().Format(time.RFC3339Nano))
	// Appended only when set, so that the hashes of events written before
	// subjects existed stay what they were.
	if e.SubjectKind != "" {
		field(e.SubjectKind)
		field(strconv.FormatInt(e.SubjectID, 10))
	}
	h.Write([]byte(b.String()))
	return hex.EncodeToString(h.Sum(nil))
}

// Seal sets PrevHash, Seq and Hash of e as the successor of prev (nil for the first).
func (e *Event) Seal(prevSeq int64, prevHash string) {
	if prevHash == "" {
		prevHash = GenesisHash
	}
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.Hash = e.ComputeHash()
}

// ChainBreak describes the first broken link found by VerifyChain.
type ChainBreak struct {
	Seq    int64
	Reason string
}

// ChainVerifier checks a committee's events one by one, in Seq order.
type ChainVerifier struct {
	prevSeq  int64
	prevHash string
	Count    int64
}

// Next checks one event; it returns a non-nil break at the first bad link.
func (v *ChainVerifier) Next(e *Event) *ChainBreak {
	want := v.prevHash
	if want == "" {
		want = GenesisHash
	}
	switch {
	case e.Seq != v.prevSeq+1:
		return &ChainBreak{Seq: v.prevSeq + 1, Reason: "事件序号不连续（缺少或多出事件）"}
	case e.PrevHash != want:
		return &ChainBreak{Seq: e.Seq, Reason: "前一事件的哈希不匹配（前面的事件被修改或删除）"}
	case e.ComputeHash() != e.Hash:
		return &ChainBreak{Seq: e.Seq, Reason: "事件内容与其哈希不符（该事件被修改）"}
	}
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	v.Count++
	return nil
}

// Detail is what the timeline adds to an event's name from its payload:
// the rating given for 测评, the result class of a reply.
func (e Event) Detail() string {
	if e.Payload == "" {
		return ""
	}
	var p map[string]any
	if json.Unmarshal([]byte(e.Payload), &p) != nil {
		return ""
	}
	switch e.Action {
	case string(TaskActFeedback):
		if f, _ := p["feedback"].(string); FeedbackName(f) != "" {
			return "测评结果：" + FeedbackName(f)
		}
	case string(TaskActReply):
		if c, _ := p["result_class"].(string); c != "" {
			return "办理结果：" + ResultClassName(c)
		}
	}
	return ""
}
