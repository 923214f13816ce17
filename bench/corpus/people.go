package corpus

import "strings"

// Name generates a Chinese personal name: a surname drawn by frequency and
// a given name of one character (one time in five) or two.
func (g *Generator) Name() string {
	var b [16]byte
	s := append(b[:0], fSurnames[g.weighted(surnameCum)].s...)
	s = append(s, g.pick(fGiven).s...)
	if g.r.intn(5) != 0 {
		s = append(s, g.pick(fGiven).s...)
	}
	return string(s)
}

// Sector draws a sector (界别) from Sectors.
func (g *Generator) Sector() string { return Sectors[g.r.intn(len(Sectors))] }

// Proposer kinds, the same words as the domain's proposal kinds.
const (
	KindIndividual = "individual"
	KindJoint      = "joint"
	KindBody       = "body"
)

// Proposer says who files a proposal.
type Proposer struct {
	Kind    string // KindIndividual, KindJoint or KindBody
	Signers int    // members who sign, the lead included: 1, ≥ 2 for joint, 0 for a body
	Body    string // the body's name, for KindBody
}

var proposerCum = []int{ProposerKinds[0], ProposerKinds[0] + ProposerKinds[1],
	ProposerKinds[0] + ProposerKinds[1] + ProposerKinds[2]}

// Proposer draws who files the next proposal, with the measured shares of
// individual, joint and body proposals and the measured number of signers
// of joint ones.
func (g *Generator) Proposer() Proposer {
	switch g.weighted(proposerCum) {
	case proposerJoint:
		return Proposer{Kind: KindJoint, Signers: max(2, g.quantile(&JointSizePercentiles))}
	case proposerBody:
		return Proposer{Kind: KindBody, Body: g.BodyName()}
	}
	return Proposer{Kind: KindIndividual, Signers: 1}
}

// BodyName draws a body that files proposals in its own name at the
// generator's level (民盟市委, 市政协经济委员会 …).
func (g *Generator) BodyName() string {
	return strings.ReplaceAll(bodyNames[g.r.intn(len(bodyNames))], "{v}", Levels[g.level])
}

// Unit draws a handling unit of the generator's level.
func (g *Generator) Unit() string {
	for {
		u := units[g.r.intn(len(units))]
		if n := u.names[g.level]; n != "" {
			return Levels[g.level] + n
		}
	}
}

// UnitFor draws a handling unit that usually leads proposals of category,
// at the generator's level; any unit if none is listed for it.
func (g *Generator) UnitFor(category string) string {
	var fit [8]int
	k := 0
	for i := range units {
		if units[i].names[g.level] == "" {
			continue
		}
		for _, c := range units[i].cats {
			if c == category && k < len(fit) {
				fit[k] = i
				k++
			}
		}
	}
	if k == 0 {
		return g.Unit()
	}
	return Levels[g.level] + units[fit[g.r.intn(k)]].names[g.level]
}
