package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/search"
	"zhengxie/store"
)

// The segmentation dictionary of a deployment is the embedded one, the
// file given with -dict, and the words committee admins add in the pages
// (a district's place names, its programmes). The segmenter is one per
// process, so an admin's words take effect for every committee this server
// hosts; a committee's rebuild re-segments that committee's texts. A
// rebuild is a persistent job (it survives a restart and is retried), and
// its progress is a row the pages and the API read.

// JobReindex rebuilds the search index of a committee (or of all).
const JobReindex = "reindex"

// MaxDictWords is how many words one request may add.
const MaxDictWords = 500

// defaultWriteTimeout bounds a bookkeeping write after the job's context ended.
const defaultWriteTimeout = 10 * time.Second

var zeroTime time.Time

// reindexTimeout bounds one run of a rebuild (a million proposals take
// about an hour on a small server).
const reindexTimeout = 6 * time.Hour

type reindexPayload struct {
	RebuildID int64 `json:"rebuild_id"`
}

// LoadDictionary adds every committee's stored words to this process's
// segmenter; the server calls it at start (and a rebuild before it runs,
// so that a rebuild on another server uses words added here).
func (s *Service) LoadDictionary(ctx context.Context) (int, error) {
	words, err := s.Store.DictWords(ctx, 0)
	if err != nil || len(words) == 0 {
		return 0, err
	}
	var b strings.Builder
	for _, w := range words {
		b.WriteString(w.Word + "\n")
	}
	return search.AddWords(strings.NewReader(b.String()))
}

// LoadDictionaryFile adds the words of the -dict file and, the first time
// this file's content is seen, rebuilds the index of every committee in the
// background, since texts indexed before do not have its words.
func (s *Service) LoadDictionaryFile(ctx context.Context, path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("用户词典无法打开：%w", err)
	}
	n, err := search.LoadUserDict(path)
	if err != nil {
		return n, err
	}
	sum := sha256.Sum256(b)
	reason := "dict:" + hex.EncodeToString(sum[:8])
	seen, err := s.Store.RebuildWithReason(ctx, reason)
	if err != nil || seen {
		return n, err
	}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		_, err := s.queueRebuild(tx, 0, reason)
		return err
	})
	return n, err
}

// DictionaryView is a committee's words and its latest rebuild.
type DictionaryView struct {
	Words   []store.DictWord
	Rebuild *store.IndexRebuild // nil: never rebuilt
}

func requireDictAdmin(a zhengxie.Actor) error {
	return requireRole(a, "维护分词词典", zhengxie.RoleAdmin)
}

// Dictionary is the admin's view of the committee's words.
func (s *Service) Dictionary(ctx context.Context, a zhengxie.Actor) (*DictionaryView, error) {
	if err := requireDictAdmin(a); err != nil {
		return nil, err
	}
	words, err := s.Store.DictWords(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	rb, err := s.Store.LatestRebuild(ctx, a.CommitteeID)
	return &DictionaryView{Words: words, Rebuild: rb}, err
}

// RebuildStatus is the committee's latest rebuild (nil when none).
func (s *Service) RebuildStatus(ctx context.Context, a zhengxie.Actor) (*store.IndexRebuild, error) {
	if err := requireDictAdmin(a); err != nil {
		return nil, err
	}
	return s.Store.LatestRebuild(ctx, a.CommitteeID)
}

// ParseDictWords splits what an admin typed (one word a line, or separated
// by spaces, commas or 、) and checks every word; the error lists every
// bad word at once.
func ParseDictWords(words []string) ([]string, error) {
	var out, bad []string
	seen := map[string]bool{}
	for _, line := range words {
		for _, w := range strings.FieldsFunc(line, func(r rune) bool {
			return r == '\n' || r == '\r' || r == ' ' || r == '\t' || r == ',' || r == '，' || r == '、' || r == ';' || r == '；'
		}) {
			n, err := search.CheckWord(w)
			if err != nil {
				bad = append(bad, err.Error())
				continue
			}
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	if len(bad) > 0 {
		return nil, zhengxie.FieldError("words", "%s", strings.Join(bad, "；"))
	}
	if len(out) == 0 {
		return nil, zhengxie.FieldError("words", "请填写要加入词典的词，每行一个，如“生物岛”“横沙书香街”")
	}
	if len(out) > MaxDictWords {
		return nil, zhengxie.FieldError("words", "一次最多添加%d个词，本次有%d个", MaxDictWords, len(out))
	}
	return out, nil
}

// AddDictWords adds words to the committee's dictionary and queues a
// rebuild of its index, in one transaction; the words join this server's
// segmenter once it commits. It returns the words that were new.
func (s *Service) AddDictWords(ctx context.Context, a zhengxie.Actor, words []string) ([]string, *store.IndexRebuild, error) {
	if err := requireDictAdmin(a); err != nil {
		return nil, nil, err
	}
	ws, err := ParseDictWords(words)
	if err != nil {
		return nil, nil, err
	}
	var added []string
	var rb *store.IndexRebuild
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		for _, w := range ws {
			ok, err := tx.AddDictWord(a.CommitteeID, w, a.UserID)
			if err != nil {
				return err
			}
			if ok {
				added = append(added, w)
			}
		}
		if len(added) == 0 {
			return nil
		}
		if err := s.event(tx, a, a.CommitteeID, 0, 0, "dict_words_added", "", "", strings.Join(added, "、"), map[string]int{"words": len(added)}); err != nil {
			return err
		}
		lines := strings.Join(added, "\n")
		tx.AfterCommit(func() {
			if _, err := search.AddWords(strings.NewReader(lines)); err != nil {
				s.Log.Warn("dictionary words", "err", err)
			}
		})
		rb, err = s.queueRebuild(tx, a.CommitteeID, "words")
		return err
	})
	if err == nil && rb == nil {
		rb, err = s.Store.LatestRebuild(ctx, a.CommitteeID)
	}
	return added, rb, err
}

// RequestRebuild queues a rebuild of the committee's index (the admin's
// button, e.g. after words were added on another server).
func (s *Service) RequestRebuild(ctx context.Context, a zhengxie.Actor) (*store.IndexRebuild, error) {
	if err := requireDictAdmin(a); err != nil {
		return nil, err
	}
	var rb *store.IndexRebuild
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if rb, err = s.queueRebuild(tx, a.CommitteeID, "manual"); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "index_rebuild_requested", "", "", "", map[string]int64{"rebuild": rb.ID})
	})
	return rb, err
}

// queueRebuild records a rebuild and its job in tx. A rebuild that has not
// started yet will read the words added now, so it is reused.
func (s *Service) queueRebuild(tx *store.Tx, committeeID int64, reason string) (*store.IndexRebuild, error) {
	if rb, err := tx.PendingRebuild(committeeID); err != nil || rb != nil {
		return rb, err
	}
	rb := &store.IndexRebuild{CommitteeID: committeeID, Reason: reason}
	if err := tx.CreateRebuild(rb); err != nil {
		return nil, err
	}
	body, _ := json.Marshal(reindexPayload{RebuildID: rb.ID})
	label := "重建检索索引（全部委员会）"
	if committeeID != 0 {
		label = "重建检索索引"
	}
	return rb, s.enqueue(tx, &store.Job{CommitteeID: committeeID, Kind: JobReindex, DedupeKey: fmt.Sprintf("reindex:%d", rb.ID),
		Payload: string(body), Label: label})
}

// runReindex is the rebuild job: it re-reads the stored words (added
// perhaps on another server), segments every proposal of the committee
// again, and writes its progress after every page of 500.
func (r *JobRunner) runReindex(ctx context.Context, j *store.Job) error {
	var p reindexPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return ntf.Permanent(fmt.Errorf("任务内容无法解析：%w", err))
	}
	s := r.svc
	rb, err := s.Store.Rebuild(ctx, p.RebuildID)
	if err != nil {
		return ntf.Permanent(err)
	}
	if _, err := s.LoadDictionary(ctx); err != nil {
		return err
	}
	rb.State, rb.Done, rb.Error, rb.StartedAt, rb.FinishedAt = store.RebuildRunning, 0, "", s.now(), zeroTime
	if rb.Total, err = s.Store.ProposalCount(ctx, rb.CommitteeID); err != nil {
		return err
	}
	if err := s.Store.SaveRebuildProgress(ctx, rb); err != nil {
		return err
	}
	_, err = s.Reindex(ctx, rb.CommitteeID, func(done int) {
		rb.Done = done
		if _, err := s.Store.ExtendJobLease(ctx, j, r.id, s.now().Add(r.Lease)); err != nil {
			s.Log.Warn("index rebuild lease", "err", err)
		}
		if err := s.Store.SaveRebuildProgress(ctx, rb); err != nil {
			s.Log.Warn("index rebuild progress", "err", err)
		}
	})
	// The row is written even when the job's context has run out.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), defaultWriteTimeout)
	defer cancel()
	rb.FinishedAt = s.now()
	switch {
	case err == nil:
		rb.State, rb.Done = store.RebuildDone, max(rb.Done, rb.Total)
	case errors.Is(ctx.Err(), context.Canceled):
		// A shutdown: the job goes back to the queue and starts over.
		rb.State, rb.FinishedAt = store.RebuildPending, zeroTime
	default:
		rb.State, rb.Error = store.RebuildFailed, "重建索引出错，将自动重试："+err.Error()
	}
	if serr := s.Store.SaveRebuildProgress(sctx, rb); serr != nil && err == nil {
		return serr
	}
	return err
}
