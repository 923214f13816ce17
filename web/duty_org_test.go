package web

import (
	"net/http"
	"strings"
	"testing"

	"zhengxie/internal/testenv"
)

// TestDutyOrgAPI: the admin keeps sectors, special committees and
// stations, edits a member's 界别, 专委会 and contact details and imports a
// member list; members see only themselves, another committee nothing.
func TestDutyOrgAPI(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	admin, member, other, office := ts.session(roleAdmin), ts.session(roleProposer), ts.session(roleOther), ts.session(roleOffice)
	r := ts.do(req{Method: "POST", Path: "/api/v1/sectors", As: admin, JSON: map[string]string{"name": "医药卫生界"}})
	ts.expect(r, http.StatusCreated, "医药卫生界")
	var sec apiSector
	r.decode(t, &sec)
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/sectors", As: admin, JSON: map[string]string{"name": "医药卫生界"}}), http.StatusUnprocessableEntity, "已有同名的界别")
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/sectors", As: member, JSON: map[string]string{"name": "经济界"}}), http.StatusForbidden)
	r = ts.do(req{Method: "POST", Path: "/api/v1/special-committees", As: admin, JSON: map[string]string{"name": "社会和法制委员会"}})
	ts.expect(r, http.StatusCreated)
	var sc apiSector
	r.decode(t, &sc)
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/stations", As: admin, JSON: map[string]any{"kind": "studio", "name": "医卫界委员工作室"}}), http.StatusUnprocessableEntity, "须选择所属界别")
	r = ts.do(req{Method: "POST", Path: "/api/v1/stations", As: admin, JSON: map[string]any{"kind": "station", "name": "东湖街道委员联络站", "address": "东湖路8号"}})
	ts.expect(r, http.StatusCreated, "委员联络站")
	var st apiStation
	r.decode(t, &st)
	ts.expect(ts.do(req{Method: "PUT", Path: "/api/v1/stations/" + sid(st.ID), As: admin, JSON: map[string]any{"kind": "station", "name": "东湖委员联络站"}}), http.StatusOK, "东湖委员联络站")
	ts.expect(ts.do(req{Method: "PUT", Path: "/api/v1/stations/" + sid(st.ID), As: other, JSON: map[string]any{"kind": "station", "name": "x"}}), http.StatusForbidden)

	m := ts.users[roleProposer]
	path := "/api/v1/members/" + sid(m.ID)
	ts.expect(ts.do(req{Method: "PUT", Path: path, As: admin, JSON: map[string]any{"phone": "123"}}), http.StatusUnprocessableEntity, "手机号码应为11位")
	r = ts.do(req{Method: "PUT", Path: path, As: admin, JSON: map[string]any{"sector_id": sec.ID, "gender": "女", "employer": "区人民医院主任医师", "phone": "13900001111",
		"memberships": []map[string]any{{"org_kind": "special_committee", "org_id": sc.ID, "role": "convener"}, {"org_kind": "station", "org_id": st.ID}}}})
	ts.expect(r, http.StatusOK, "13900001111", "社会和法制委员会", "召集人", "东湖委员联络站")
	ts.expect(ts.do(req{Method: "PUT", Path: path, As: member, JSON: map[string]any{"employer": "自己改"}}), http.StatusForbidden)
	ts.expect(ts.do(req{Method: "GET", Path: path, As: member}), http.StatusOK, "区人民医院主任医师")
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/members/" + sid(ts.users[roleMember2].ID), As: member}), http.StatusNotFound)
	ts.expect(ts.do(req{Method: "GET", Path: path, As: other}), http.StatusNotFound)
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/members", As: member}), http.StatusForbidden)
	r = ts.do(req{Method: "GET", Path: "/api/v1/members?sector=" + sid(sec.ID), As: office})
	ts.expect(r, http.StatusOK, `"total":1`, m.Name)
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/members?sector=" + sid(sec.ID), As: other}), http.StatusOK, `"total":0`)
	// The search facet by sector finds the member's proposals now.
	o := ts.build(kReview)
	r = ts.do(req{Method: "GET", Path: "/search?sector=" + sid(sec.ID), As: office})
	ts.expect(r, http.StatusOK, o.Title)
	ts.expect(ts.do(req{Method: "GET", Path: "/search?sector=999", As: office}), http.StatusOK)
	if r := ts.do(req{Method: "GET", Path: "/search?sector=999", As: office}); strings.Contains(r.Body, o.Title) {
		t.Error("the sector facet does not filter")
	}

	// Import: all or nothing, with line numbers.
	bad := "姓名,性别,界别,专委会,联络站,工作单位及职务,手机\n张三,男,医药卫生界,,东湖委员联络站,区卫健局,13700000001\n李四,未知,不存在界,,,,13700000002\n王五,女,,,,,1370000\n"
	r = ts.do(req{Method: "POST", Path: "/api/v1/members/import", As: admin, File: &fileUpload{Field: "file", Name: "委员.csv", Data: []byte(bad)}})
	ts.expect(r, http.StatusUnprocessableEntity, "第3行（性别）", "第4行（手机）")
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/members?q=张三", As: office}), http.StatusOK, `"total":0`)
	good := "姓名,性别,界别,专委会,联络站,工作单位及职务,手机\n张三,男,医药卫生界,社会和法制委员会,东湖委员联络站,区卫健局科长,13700000001\n李四,女,教育界,,,区实验小学校长,13700000002\n"
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/members/import", As: admin, File: &fileUpload{Field: "file", Name: "委员.csv", Data: []byte(good)}}),
		http.StatusUnprocessableEntity, "第3行（界别）", "“教育界”不存在")
	r = ts.do(req{Method: "POST", Path: "/api/v1/members/import", As: admin, Form: map[string][]string{"create_orgs": {"true"}}, File: &fileUpload{Field: "file", Name: "委员.csv", Data: []byte(good)}})
	ts.expect(r, http.StatusOK, `"created":2`, "界别：教育界")
	r = ts.do(req{Method: "GET", Path: "/api/v1/members?station=" + sid(st.ID), As: office})
	ts.expect(r, http.StatusOK, "张三", m.Name)
	// The sector the import created is the new member's.
	r = ts.do(req{Method: "GET", Path: "/api/v1/sectors", As: office})
	var secs struct{ Items []apiSector }
	r.decode(t, &secs)
	var edu int64
	for _, x := range secs.Items {
		if x.Name == "教育界" {
			edu = x.ID
		}
	}
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/members?sector=" + sid(edu), As: office}), http.StatusOK, `"total":1`, "李四")
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/members/import", As: office, File: &fileUpload{Field: "file", Name: "委员.csv", Data: []byte(good)}}), http.StatusForbidden)

	// Pages.
	ts.expect(ts.do(req{Method: "GET", Path: "/duty/org", As: admin}), http.StatusOK, "医药卫生界", "东湖委员联络站")
	ts.expect(ts.do(req{Method: "GET", Path: "/duty/org", As: member}), http.StatusForbidden)
	ts.expect(ts.do(req{Method: "GET", Path: "/duty/members?sector=" + sid(sec.ID), As: admin}), http.StatusOK, m.Name, "区人民医院主任医师")
	ts.expect(ts.do(req{Method: "GET", Path: "/duty/members/" + sid(m.ID) + "/edit", As: admin}), http.StatusOK, "召集人")
	r = ts.do(req{Method: "POST", Path: "/duty/members/" + sid(m.ID) + "/edit", As: admin, Form: map[string][]string{"name": {m.Name}, "phone": {"13900001112"}, "sector_id": {sid(sec.ID)}, "station": {sid(st.ID)}}})
	ts.expect(r, http.StatusSeeOther)
	ts.expect(ts.do(req{Method: "POST", Path: "/duty/org/sectors", As: admin, Form: map[string][]string{"name": {"农业界"}}}), http.StatusSeeOther)
	ts.expect(ts.do(req{Method: "POST", Path: "/duty/org/sectors", As: member, Form: map[string][]string{"name": {"农业界2"}}}), http.StatusForbidden)
	evs, err := ts.F.Svc.Store.SubjectEvents(t.Context(), ts.F.Committee.ID, "member", m.ID)
	if err != nil || len(evs) != 2 || evs[0].Action != "member.updated" {
		t.Errorf("member events %v %v", evs, err)
	}
}
