package app_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/sheet"
	"zhengxie/internal/testenv"
)

// FuzzImportCSV feeds arbitrary files to the historical importer (parse and
// validate, as a dry run): it never panics, and what it refuses it refuses
// with row errors or a clear invalid-input message, never an internal error.
func FuzzImportCSV(f *testing.F) {
	for _, seed := range []string{
		"案由,正文,提案人,类别,编号\n关于加强社区养老服务的建议,调研情况：老年人口增多。具体建议：增加照料中心。,陈委员,社会事业,0001\n",
		"reason,content,personnel_name,type,proposal_number\n\"关于\"\"引号\"\"的建议\",\"多行\n正文\",民革,教育事业,12\n",
		"案由\n\n",
		"\xef\xbb\xbf案由,正文\n,空案由\n",
		"a\tb\tc\n1\t2\t3\n",
		"案由,正文,编号\n关于x的建议,正文正文正文正文正文,abc\n",
		"\x00\xff\xfe,\"\n",
	} {
		f.Add([]byte(seed))
	}
	st := testenv.Open(f, testenv.SQLiteDSN(f))
	fx := testenv.Seed(f, st)
	office := fx.Actor(fx.Office)
	f.Fuzz(func(t *testing.T, data []byte) {
		table, err := sheet.ReadCSV(bytes.NewReader(data))
		if err != nil {
			if zhengxie.ErrorCode(err) == zhengxie.EInternal {
				t.Fatalf("ReadCSV: internal error %v for %q", err, data)
			}
			return
		}
		_, err = fx.Svc.ImportProposals(context.Background(), office, table, app.ImportOptions{
			CommitteeID: fx.Committee.ID, Session: "二届三次会议", Year: 2026, DryRun: true})
		var ie *app.ImportError
		if err != nil && !errors.As(err, &ie) && zhengxie.ErrorCode(err) == zhengxie.EInternal {
			t.Fatalf("import: internal error %v for %q", err, data)
		}
	})
}
