// Package harness is the benchmark of Zhengxie: it generates a corpus of
// committees, members and proposals at a named scale straight into SQLite or
// PostgreSQL (generate.go), and measures the server on it over real HTTP,
// beside a baseline handler that shows the machine's own limit
// (scenarios.go, server.go). The command `zhengxie bench` drives it.
package harness

import (
	"fmt"
	"strings"
)

// Scale is the size of a generated corpus.
type Scale struct {
	Name       string
	Committees int
	Members    int // per committee
	Years      int // sessions, one a year, the last one this year
	Proposals  int // in all, spread evenly over committees and years
	// Level is how the texts speak (区, 市 or 省); "" mixes them over the
	// committees of a nationwide deployment.
	Level string
	// The duty year (履职) of the first committee, the one the scenarios
	// work in: activities of the current year and their attendance rows.
	// None at large, whose 300 committees would each need a year of their own.
	Activities, Attendance int
}

// Scales are the sizes of DESIGN.md's Scale section.
var Scales = []Scale{
	{Name: "district", Committees: 1, Members: 300, Years: 1, Proposals: 300, Level: "区", Activities: 700, Attendance: 14000},
	{Name: "city", Committees: 1, Members: 800, Years: 10, Proposals: 10000, Level: "市", Activities: 1800, Attendance: 36000},
	// The generator knows no national units; a province's are the nearest.
	{Name: "national", Committees: 1, Members: 2200, Years: 5, Proposals: 30000, Level: "省", Activities: 5000, Attendance: 100000},
	{Name: "large", Committees: 300, Members: 300, Years: 5, Proposals: 1000000},
}

// ScaleByName finds a scale; "tiny" is district cut down for unit tests.
func ScaleByName(name string) (Scale, error) {
	if name == "tiny" {
		return Scale{Name: "tiny", Committees: 2, Members: 30, Years: 2, Proposals: 400, Level: "区", Activities: 40, Attendance: 400}, nil
	}
	var names []string
	for _, s := range Scales {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return Scale{}, fmt.Errorf("未知规模 %q（可选：%s）", name, strings.Join(names, "、"))
}

// levelOf is the text level of committee k (0-based): a nationwide
// deployment has one province, some cities and many districts.
func (s Scale) levelOf(k int) string {
	if s.Level != "" {
		return s.Level
	}
	switch {
	case k == 0:
		return "省"
	case k <= s.Committees/10:
		return "市"
	}
	return "区"
}

// committeeLevel maps a text level to the domain's committee level.
func committeeLevel(level string) string {
	switch level {
	case "省":
		return "provincial"
	case "市":
		return "city"
	}
	return "district"
}

// Code is the code of the k-th committee (0-based) of a generated corpus;
// the benchmark finds its corpus again by these codes.
func (s Scale) Code(k int) string { return fmt.Sprintf("bench-%s-%03d", s.Name, k+1) }

// Username of a generated user of the k-th committee: "office", "leader",
// "admin", "member0001" …, "unit01" ….
func Username(k int, who string) string { return fmt.Sprintf("c%03d-%s", k+1, who) }

// Password of every generated user.
const Password = "bench2026"
