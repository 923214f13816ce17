package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// The public side of matters: the message box anyone may write to (no
// account is ever created and nothing in a message is run: text is text,
// photos are checked by content and size), the tracking page that shows a
// matter's progress and answer by its code — never the person — and the
// citizen's word on whether it was settled. SMS to citizens are jobs of
// their own kind whose payload names the matter, not the phone: the number
// is read when the message is sent and never written to a log.

// JobCitizenSMS is the kind of the jobs that text a citizen.
const JobCitizenSMS = "citizen_sms"

// maxMatterPhotos is how many photos a matter may carry; maxPhoto their size.
const (
	maxMatterPhotos = 3
	maxPhoto        = 5 << 20
)

var photoTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true}

// storePhotos checks the photos by content and size (with the checks of
// every attachment) and stores them.
func (s *Service) storePhotos(files []Upload) ([]*StoredFile, error) {
	var out []*StoredFile
	for _, f := range files {
		if len(f.Data) > maxPhoto {
			return nil, zhengxie.FieldError("file", "每张照片不能超过%dMB", maxPhoto>>20)
		}
		// The box takes photos only: say so first, rather than the general
		// advice of attachments (PDF, Word…) that a citizen cannot use here.
		if !photoTypes[detectType(f.Data)] {
			return nil, zhengxie.FieldError("file", "只能上传照片（JPEG、PNG、GIF或WebP格式）")
		}
		sf, err := Check(&f)
		if err != nil {
			return nil, err
		}
		if !photoTypes[sf.MIME] {
			return nil, zhengxie.FieldError("file", "只能上传照片（JPEG、PNG、GIF或WebP格式）")
		}
		if s.Files == nil {
			return nil, errors.New("no file store")
		}
		if sf, err = s.Files.Put(&f); err != nil {
			return nil, err
		}
		out = append(out, sf)
	}
	return out, nil
}

type citizenSMS struct {
	MatterID    int64  `json:"matter_id"`
	CommitteeID int64  `json:"committee_id"`
	Text        string `json:"text"`
}

// queueCitizenSMS queues a text to the citizen of m, if SMS is on.
func (s *Service) queueCitizenSMS(tx *store.Tx, m *zhengxie.Matter, text string) error {
	if !s.Jobs().Channels().SMSOn() {
		return nil
	}
	body, _ := json.Marshal(citizenSMS{MatterID: m.ID, CommitteeID: m.CommitteeID, Text: text})
	return s.enqueue(tx, &store.Job{CommitteeID: m.CommitteeID, Kind: JobCitizenSMS, Payload: string(body),
		Label: "短信 → 群众（" + ntf.MaskPhone(m.CitizenPhone) + "）：" + short(m.Title, 20)})
}

// sendCitizenSMS reads the phone at send time and keeps it out of every
// error it returns (errors are logged and shown on the admin's job page).
func (r *JobRunner) sendCitizenSMS(ctx context.Context, j *store.Job) error {
	var p citizenSMS
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return ntf.Permanent(fmt.Errorf("任务内容无法解析：%w", err))
	}
	ch := r.Channels()
	if !ch.SMSOn() {
		return errors.New("未配置短信网关，配置后将自动重试")
	}
	m, err := r.svc.Store.Matter(ctx, p.CommitteeID, p.MatterID)
	if err != nil {
		return ntf.Permanent(errors.New("诉求不存在"))
	}
	if m.CitizenPhone == "" {
		return ntf.Permanent(errors.New("群众未留手机号码"))
	}
	if err := ch.SMS.SendSMS(ctx, m.CitizenPhone, p.Text); err != nil {
		msg := strings.ReplaceAll(err.Error(), m.CitizenPhone, ntf.MaskPhone(m.CitizenPhone))
		if ntf.IsPermanent(err) {
			return ntf.Permanent(errors.New(msg))
		}
		return errors.New(msg)
	}
	return nil
}

// LeaveMessage takes a message from the public box of a committee, for one
// of its stations or studios (stationID) or the committee itself (0). It
// returns the matter, whose Code the citizen is shown.
func (s *Service) LeaveMessage(ctx context.Context, committeeID int64, in MatterInput) (*zhengxie.Matter, error) {
	in.Category = ""
	if err := in.normalize(); err != nil {
		return nil, err
	}
	var stationName string
	if in.StationID != 0 {
		st, err := s.Store.Station(ctx, committeeID, in.StationID)
		if err != nil {
			return nil, zhengxie.FieldError("station_id", "所选联络站或工作室不存在")
		}
		stationName = st.Name
	}
	if _, err := s.Store.Committee(ctx, committeeID); err != nil {
		return nil, err
	}
	photos, err := s.storePhotos(in.Files)
	if err != nil {
		return nil, err
	}
	code, err := s.newCode(ctx)
	if err != nil {
		return nil, err
	}
	m := &zhengxie.Matter{CommitteeID: committeeID, Code: code, Source: zhengxie.SourceMessage, StationID: in.StationID,
		Title: in.Title, Body: in.Body, Urgency: zhengxie.UrgencyNormal, CitizenName: in.CitizenName, CitizenPhone: in.CitizenPhone,
		Address: in.Address, State: zhengxie.MatterReceived}
	if sg, err := s.SuggestMatterCategory(ctx, committeeID, in.Title, in.Body); err == nil && len(sg) > 0 && sg[0].Confidence >= 0.5 {
		m.Category = sg[0].Value
	}
	public := zhengxie.Actor{CommitteeID: committeeID, Name: "公众留言"}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		return s.afterCreate(tx, public, m, photos, stationName)
	})
	return m, err
}

// PublicMatter is what the tracking code shows: the matter and its answer,
// never the person.
type PublicMatter struct {
	Code        string
	Title       string
	Body        string
	Station     string
	State       zhengxie.MatterState
	Unit        string
	Due         string
	Answer      string
	AnsweredBy  string
	AnsweredAt  time.Time
	CreatedAt   time.Time
	CanFeedback bool // the citizen may say whether it is settled
	Steps       []PublicStep
}

// PublicStep is one step of a matter's history as the citizen sees it.
type PublicStep struct {
	At   time.Time
	What string
}

var publicSteps = map[string]string{
	"matter.created": "已受理", "matter.forward": "已转交承办单位办理", "matter.sign": "承办单位已签收", "matter.reply": "承办单位已答复",
	"matter.answer": "已答复", "matter.settle": "您确认问题已解决", "matter.rehandle": "您反映问题未解决，已退回承办单位重新办理",
	"matter.reopen": "您反映问题未解决，已重新办理", "matter.dispute": "您反映问题仍未解决，已报政协机关研究决定",
	"matter.decide": "政协机关已作出处理决定", "matter.close": "已办结", "matter.reject": "不予受理",
	"matter.to_report": "委员已将您反映的问题写成社情民意信息报送", "matter.to_draft": "委员已将您反映的问题作为提案素材跟进",
	"matter.return": "原承办单位退回，正在另行转办",
}

// TrackMatter returns the matter a tracking code names.
func (s *Service) TrackMatter(ctx context.Context, code string) (*PublicMatter, error) {
	code = zhengxie.NormalizeTrackingCode(code)
	if code == "" {
		return nil, zhengxie.FieldError("code", "查询码为8位字母和数字，如K7M2-Q9XA")
	}
	m, err := s.Store.MatterByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	// The code shows the answer, not the person: the texts are redacted as
	// for publication, since a code may be passed on or guessed.
	red := redactor(m)
	p := &PublicMatter{Code: m.Code, Title: red(m.Title), Body: red(m.Body), Station: m.StationName, State: m.State, Unit: m.UnitName, Due: m.Due,
		AnsweredBy: m.AnsweredBy, AnsweredAt: m.AnsweredAt, CreatedAt: m.CreatedAt, CanFeedback: m.State == zhengxie.MatterAnswered}
	if m.State != zhengxie.MatterForwarded && m.State != zhengxie.MatterHandling && m.State != zhengxie.MatterReceived {
		p.Answer = red(m.Answer)
	}
	if m.State == zhengxie.MatterClosed && m.Answer == "" {
		p.Answer = red(m.Decision)
	}
	evs, err := s.Store.SubjectEvents(ctx, m.CommitteeID, "matter", m.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		if w, ok := publicSteps[e.Action]; ok {
			p.Steps = append(p.Steps, PublicStep{At: e.CreatedAt, What: w})
		}
	}
	return p, nil
}

// CitizenFeedback records the citizen's word on an answer: settled, or
// not (the first time back to handling, the second to the office).
func (s *Service) CitizenFeedback(ctx context.Context, code string, settled bool, note string) (*PublicMatter, error) {
	code = zhengxie.NormalizeTrackingCode(code)
	if code == "" {
		return nil, zhengxie.FieldError("code", "查询码为8位字母和数字，如K7M2-Q9XA")
	}
	note = strings.TrimSpace(note)
	if err := zhengxie.CheckText("note", "意见", note, 500); err != nil {
		return nil, err
	}
	found, err := s.Store.MatterByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		m, err := tx.LockMatter(found.CommitteeID, found.ID)
		if err != nil {
			return err
		}
		action := zhengxie.MatterActSettle
		if !settled {
			if note == "" {
				return zhengxie.FieldError("note", "请说明哪些问题还没有解决")
			}
			action = zhengxie.UnsettledAction(m)
		}
		from := m.State
		if m.State, err = zhengxie.MatterTable.Next(m.State, action, zhengxie.PartyCitizen); err != nil {
			return err
		}
		m.CitizenNote = note
		if action == zhengxie.MatterActRehandle || action == zhengxie.MatterActReopen {
			m.Rehandled = true
		}
		if action == zhengxie.MatterActRehandle {
			rules, cal := s.Deadlines(ctx, m.CommitteeID)
			today := zhengxie.DateOf(s.now(), s.loc(tx, m.CommitteeID))
			m.Due = zhengxie.MatterDue(rules, cal, today, m.Urgency).String()
			m.ForwardedAt = s.now()
			if err := s.contactNotifyUnit(tx, m.CommitteeID, m.UnitID, "群众反映诉求未解决，请重新办理："+m.Title, note, matterLink(m.ID)); err != nil {
				return err
			}
		}
		switch action {
		case zhengxie.MatterActReopen:
			if err := s.notifyStation(tx, m, "群众反映诉求未解决："+m.Title, note); err != nil {
				return err
			}
		case zhengxie.MatterActDispute:
			if err := s.contactNotifyOffice(tx, m.CommitteeID, "群众再次反映诉求未解决，请研究决定："+m.Title, note, matterLink(m.ID)); err != nil {
				return err
			}
		}
		if err := tx.UpdateMatter(m); err != nil {
			return err
		}
		citizen := zhengxie.Actor{CommitteeID: m.CommitteeID, Name: "反映问题的群众"}
		return s.subjectEvent(tx, citizen, "matter", m.ID, "matter."+string(action), string(from), string(m.State), note, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.TrackMatter(ctx, code)
}

// PublishedMatter is an answered message the office published, with
// personal data removed.
type PublishedMatter struct {
	ID         int64
	Title      string
	Body       string
	Category   string
	Station    string
	Answer     string
	AnsweredBy string
	AnsweredAt time.Time
	CreatedAt  time.Time
	State      zhengxie.MatterState
}

// PublishedMatters lists the published matters of a committee, redacted.
func (s *Service) PublishedMatters(ctx context.Context, committeeID int64, limit int) ([]PublishedMatter, error) {
	ms, err := s.Store.Matters(ctx, store.MatterFilter{CommitteeID: committeeID, Published: true, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := []PublishedMatter{}
	for _, m := range ms {
		out = append(out, publishedOf(&m))
	}
	return out, nil
}

// redactor removes the citizen from a text about their matter: their own
// name and address first (before Redact cuts into them), then every
// contact detail and street address.
func redactor(m *zhengxie.Matter) func(string) string {
	return func(s string) string {
		if m.CitizenName != "" {
			s = strings.ReplaceAll(s, m.CitizenName, "[姓名已隐去]")
		}
		if m.Address != "" {
			s = strings.ReplaceAll(s, m.Address, "[地址已隐去]")
		}
		return zhengxie.Redact(s)
	}
}

func publishedOf(m *zhengxie.Matter) PublishedMatter {
	red := redactor(m)
	return PublishedMatter{ID: m.ID, Title: red(m.Title), Body: red(m.Body), Category: m.Category, Station: m.StationName,
		Answer: red(m.Answer), AnsweredBy: m.AnsweredBy, AnsweredAt: m.AnsweredAt, CreatedAt: m.CreatedAt, State: m.State}
}

// PublishedMatter returns one published matter, redacted.
func (s *Service) PublishedMatter(ctx context.Context, committeeID, id int64) (*PublishedMatter, error) {
	m, err := s.Store.Matter(ctx, committeeID, id)
	if err != nil || !m.Published {
		return nil, zhengxie.NotFound("公开的群众留言")
	}
	p := publishedOf(m)
	return &p, nil
}
