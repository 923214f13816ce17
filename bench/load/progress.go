package load

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress shows how far a long job (generating a large corpus) has come.
// It draws on standard error only when that is a terminal, so logs and CI
// output stay clean. A nil *Progress, or one made quiet, does nothing; all
// methods are safe for concurrent use.
type Progress struct {
	bar *progressbar.ProgressBar
}

// NewProgress starts a bar for total steps (-1 if unknown, for a spinner)
// described by description. quiet silences it whatever the terminal.
func NewProgress(total int64, description string, quiet bool) *Progress {
	show := !quiet && term.IsTerminal(int(os.Stderr.Fd()))
	return newProgress(os.Stderr, total, description, show)
}

func newProgress(w io.Writer, total int64, description string, show bool) *Progress {
	if !show {
		return &Progress{}
	}
	return &Progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(description),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowElapsedTimeOnFinish(),
		// Redrawing on every Add would cost more than the work it reports.
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionOnCompletion(func() { io.WriteString(w, "\n") }),
	)}
}

// Add records n more steps done.
func (p *Progress) Add(n int) {
	if p != nil && p.bar != nil {
		p.bar.Add(n)
	}
}

// Describe changes the description, for a job with phases.
func (p *Progress) Describe(description string) {
	if p != nil && p.bar != nil {
		p.bar.Describe(description)
	}
}

// Finish fills the bar and ends its line.
func (p *Progress) Finish() {
	if p != nil && p.bar != nil {
		p.bar.Finish()
	}
}
