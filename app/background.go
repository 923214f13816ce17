package app

import (
	"context"
	"sync"
	"time"
)

// background is the service's periodic work.
type background struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Tick runs one round of periodic work: co-signing deadlines, and whatever
// else is registered in Periodic.
func (s *Service) Tick(ctx context.Context) {
	if n, err := s.CloseDueCosigns(ctx); err != nil {
		s.Log.Warn("co-sign deadlines", "err", err)
	} else if n > 0 {
		s.Log.Info("co-sign deadlines closed", "proposals", n)
	}
	for _, f := range s.Periodic {
		if err := f(ctx); err != nil {
			s.Log.Warn("periodic job", "err", err)
		}
	}
}

// StartBackground runs Tick every minute until StopBackground or ctx ends.
func (s *Service) StartBackground(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	s.bg = &background{cancel: cancel}
	s.bg.wg.Add(1)
	go func() {
		defer s.bg.wg.Done()
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		s.Tick(ctx)
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.Tick(ctx)
			}
		}
	}()
}

// StopBackground stops the periodic work and waits for it.
func (s *Service) StopBackground() {
	if s.bg != nil {
		s.bg.cancel()
		s.bg.wg.Wait()
	}
	s.Jobs().Stop()
}
