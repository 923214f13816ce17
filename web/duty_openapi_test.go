package web

import (
	"reflect"
	"testing"
)

// TestDutyOpenAPISchemasMatchStructs holds openapi/duty.json to the Go
// types the duty API encodes and decodes, as TestOpenAPISchemasMatchStructs
// does for the lifecycle: same names, same types, required = never omitted.
func TestDutyOpenAPISchemasMatchStructs(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		schema string
		typ    reflect.Type
		output bool
	}{
		{"NamedItem", reflect.TypeOf(apiSector{}), true},
		{"Station", reflect.TypeOf(apiStation{}), true},
		{"StationInput", reflect.TypeOf(apiStationInput{}), false},
		{"Membership", reflect.TypeOf(apiMembership{}), true},
		{"Member", reflect.TypeOf(apiMember{}), true},
		{"MemberInput", reflect.TypeOf(apiMemberInput{}), false},
		{"Activity", reflect.TypeOf(apiActivity{}), true},
		{"ActivityDetail", reflect.TypeOf(apiActivityDetail{}), true},
		{"Attendance", reflect.TypeOf(apiAttendance{}), true},
		{"ActivityLink", reflect.TypeOf(apiLink{}), true},
		{"Invitation", reflect.TypeOf(apiInvitation{}), false},
		{"ActivityInput", reflect.TypeOf(apiActivityInput{}), false},
		{"ActivityActionInput", reflect.TypeOf(apiActivityAction{}), false},
		{"DutyItem", reflect.TypeOf(apiDutyItem{}), true},
		{"PointLine", reflect.TypeOf(apiPointLine{}), true},
		{"TaskProgress", reflect.TypeOf(apiTaskProgress{}), true},
		{"DutyRecordYear", reflect.TypeOf(apiDutyRecordYear{}), true},
		{"RankRow", reflect.TypeOf(apiRankRow{}), true},
		{"DutyRules", reflect.TypeOf(apiRulesBody{}), false},
		{"DutyRun", reflect.TypeOf(apiRun{}), true},
		{"DutyRecordEntry", reflect.TypeOf(apiRecord{}), true},
	}
	for _, c := range cases {
		t.Run(c.schema, func(t *testing.T) {
			ref := doc.Components.Schemas[c.schema]
			if ref == nil {
				t.Fatalf("schema %s missing", c.schema)
			}
			props, required := flatten(ref.Value)
			fields := jsonFields(c.typ)
			for name, f := range fields {
				p := props[name]
				if p == nil {
					t.Errorf("field %s of %s is not in schema %s", name, c.typ, c.schema)
					continue
				}
				if want := schemaType(f.typ); want != "" && p.Value.Type != nil && !p.Value.Type.Is(want) && len(p.Value.AllOf) == 0 {
					t.Errorf("%s.%s: schema type %v, Go type %s wants %s", c.schema, name, p.Value.Type, f.typ, want)
				}
				if c.output && !f.omit && !required[name] {
					t.Errorf("%s.%s is always present but not required", c.schema, name)
				}
				if c.output && f.omit && required[name] {
					t.Errorf("%s.%s may be omitted but is required", c.schema, name)
				}
			}
			for name := range props {
				if _, ok := fields[name]; !ok {
					t.Errorf("schema %s has %s, which %s does not have", c.schema, name, c.typ)
				}
			}
			if !c.output && (ref.Value.AdditionalProperties.Has == nil || *ref.Value.AdditionalProperties.Has) {
				t.Errorf("input schema %s must set additionalProperties: false", c.schema)
			}
		})
	}
}
