package web

import (
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

func storeFilterMine(f *testenv.Fixture) store.ProposalFilter {
	return store.ProposalFilter{Viewer: f.Actor(f.Members[0]), Mine: true}
}
