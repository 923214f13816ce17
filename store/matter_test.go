package store_test

import (
	"sync"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestContactStore: matters, reception days, reports and issues as the
// store keeps them, on both engines.
func TestContactStore(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid := w.f.Committee.ID
		st := &zhengxie.Station{CommitteeID: cid, Kind: zhengxie.StationLiaison, Name: "城南街道委员联络站"}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.SaveStation(st) }))

		// A reception day with its members on duty.
		r := &zhengxie.Reception{CommitteeID: cid, StationID: st.ID, Day: zhengxie.MakeDate(2026, 3, 5), Start: "09:00", End: "11:30",
			State: zhengxie.ReceptionScheduled, MemberIDs: []int64{w.f.Members[0].ID, w.f.Members[1].ID}, CreatedBy: w.f.Office.ID}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.CreateReception(r) }))
		got, err := w.st.Reception(w.ctx, cid, r.ID)
		w.must(err)
		if got.StationName != st.Name || len(got.MemberNames) != 2 || got.Day != r.Day {
			t.Errorf("reception %+v", got)
		}
		if rs, err := w.st.Receptions(w.ctx, store.ReceptionFilter{CommitteeID: cid, MemberID: w.f.Members[1].ID, From: "2026-03-01"}); err != nil || len(rs) != 1 {
			t.Errorf("member's days: %d %v", len(rs), err)
		}
		if rs, _ := w.st.Receptions(w.ctx, store.ReceptionFilter{CommitteeID: cid, From: "2026-03-06"}); len(rs) != 0 {
			t.Errorf("days after the 6th: %d", len(rs))
		}

		// A matter: created, changed, found by its code in any committee.
		m := &zhengxie.Matter{CommitteeID: cid, Code: zhengxie.NewTrackingCode(), Source: zhengxie.SourceReception, StationID: st.ID, ReceptionID: r.ID,
			MemberID: w.f.Members[0].ID, Title: "路灯不亮", Body: "城南路路灯不亮已有两周。", Urgency: zhengxie.UrgencyNormal,
			CitizenName: "王阿姨", CitizenPhone: "13712345678", State: zhengxie.MatterReceived}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.CreateMatter(m) }))
		dup := *m
		dup.ID = 0
		if err := w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.CreateMatter(&dup) }); zhengxie.ErrorCode(err) != zhengxie.EConflict {
			t.Errorf("a second matter with the same code: %v", err)
		}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			x, err := tx.LockMatter(cid, m.ID)
			if err != nil {
				return err
			}
			x.State, x.UnitID, x.Due, x.Rehandled, x.Published = zhengxie.MatterForwarded, w.f.Units[0].ID, "2026-03-20", true, true
			return tx.UpdateMatter(x)
		}))
		byCode, err := w.st.MatterByCode(w.ctx, m.Code)
		w.must(err)
		if byCode.ID != m.ID || byCode.UnitName != w.f.Units[0].Name || !byCode.Rehandled || !byCode.Published || byCode.CitizenPhone != "13712345678" {
			t.Errorf("by code: %+v", byCode)
		}
		if _, err := w.st.Matter(w.ctx, cid+1000, m.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Errorf("another committee's id: %v", err)
		}
		for _, c := range []struct {
			f    store.MatterFilter
			want int
		}{
			{store.MatterFilter{CommitteeID: cid, UnitID: w.f.Units[0].ID}, 1},
			{store.MatterFilter{CommitteeID: cid, UnitID: w.f.Units[1].ID}, 0},
			{store.MatterFilter{CommitteeID: cid, StationIDs: []int64{st.ID}, Open: true}, 1},
			{store.MatterFilter{CommitteeID: cid, OnlyStation: true}, 0},
			{store.MatterFilter{CommitteeID: cid, Published: true}, 1},
			{store.MatterFilter{CommitteeID: cid, State: zhengxie.MatterSettled}, 0},
		} {
			if ms, err := w.st.Matters(w.ctx, c.f); err != nil || len(ms) != c.want {
				t.Errorf("Matters(%+v): %d (%v), want %d", c.f, len(ms), err, c.want)
			}
		}
		// Alerts are recorded once per kind and day.
		for i, want := range []bool{true, false} {
			var added bool
			w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
				var err error
				added, err = tx.AddMatterAlert(cid, m.ID, store.AlertRemind, "2026-03-17", "2026-03-20")
				return err
			}))
			if added != want {
				t.Errorf("alert %d added %v", i, added)
			}
		}

		// A report with its versions, records and an issue.
		rep := &zhengxie.Report{CommitteeID: cid, Title: "关于路灯维护的建议", Body: "正文原稿。", ReporterID: w.f.Members[0].ID,
			MemberIDs: []int64{w.f.Members[0].ID}, State: zhengxie.ReportSubmitted, MatterID: m.ID}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.CreateReport(rep, "陈委员") }))
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			x, err := tx.LockReport(cid, rep.ID)
			if err != nil {
				return err
			}
			x.Body, x.Version, x.MemberIDs = "正文修改稿。", 2, append(x.MemberIDs, w.f.Members[1].ID)
			if err := tx.AddReportVersion(&zhengxie.ReportVersion{ReportID: x.ID, N: 2, Title: x.Title, Body: x.Body, Editor: "信息科"}, cid); err != nil {
				return err
			}
			return tx.UpdateReport(x)
		}))
		vs, err := w.st.ReportVersions(w.ctx, cid, rep.ID)
		w.must(err)
		if len(vs) != 2 || vs[0].Body != "正文原稿。" || vs[1].Body != "正文修改稿。" {
			t.Errorf("versions %+v", vs)
		}
		// Issues compiled at once get consecutive numbers.
		var wg sync.WaitGroup
		nums := make([]int, 4)
		errs := make([]error, 4)
		for i := range nums {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				iss := &zhengxie.Issue{CommitteeID: cid, Year: 2026, Recipients: []string{"区委"}, ReportIDs: []int64{rep.ID}}
				errs[i] = w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.CreateIssue(iss) })
				nums[i] = iss.Number
			}(i)
		}
		wg.Wait()
		seen := map[int]bool{}
		for i, n := range nums {
			if errs[i] != nil {
				t.Fatalf("issue %d: %v", i, errs[i])
			}
			seen[n] = true
		}
		for n := 1; n <= 4; n++ {
			if !seen[n] {
				t.Errorf("issue numbers %v: %d missing", nums, n)
			}
		}
		is, err := w.st.Issues(w.ctx, cid)
		w.must(err)
		if len(is) != 4 || is[0].Number != 4 || is[0].Label() != "2026年第4期" {
			t.Errorf("issues %+v", is)
		}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			x, err := tx.LockReport(cid, rep.ID)
			if err != nil {
				return err
			}
			x.IssueID, x.State = is[0].ID, zhengxie.ReportCompiled
			if err := tx.UpdateReport(x); err != nil {
				return err
			}
			return tx.AddReportRecord(&zhengxie.ReportRecord{CommitteeID: cid, ReportID: x.ID, Kind: zhengxie.RecordAdoption, Level: zhengxie.LevelCity,
				Place: "市政协", On: zhengxie.MakeDate(2026, 4, 1), By: "信息科"})
		}))
		got2, err := w.st.Report(w.ctx, cid, rep.ID)
		w.must(err)
		if got2.IssueLabel != "2026年第4期" || len(got2.MemberIDs) != 2 || got2.MatterID != m.ID {
			t.Errorf("report %+v", got2)
		}
		recs, err := w.st.ReportRecords(w.ctx, cid, rep.ID)
		w.must(err)
		if len(recs) != 1 || recs[0].On != zhengxie.MakeDate(2026, 4, 1) || recs[0].Level != zhengxie.LevelCity {
			t.Errorf("records %+v", recs)
		}
	})
}
