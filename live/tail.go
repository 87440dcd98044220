package live

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/portfoliod/portfoliod"
)

// EventLog is the stored event log a Tailer reads.
type EventLog interface {
	Events(ctx context.Context, q portfoliod.EventQuery) ([]portfoliod.Event, bool, error)
}

// DefaultTailPoll is how often a Tailer reads the log when nothing wakes
// it: the fallback should a wake-up be lost.
const DefaultTailPoll = time.Second

// Tailer publishes the events of the stored log, in log order, as they are
// appended: by this process's follower or, on a shared store, by another
// replica's. It is what feeds the hub, so every replica's streams see
// every committed event once, whichever replica committed it. Wake it
// after a commit (Publish does) or on a notification from the store; it
// also polls.
type Tailer struct {
	log  EventLog
	pub  Publisher
	wake chan struct{}
	poll time.Duration
	lg   *slog.Logger
	// then, when set, is called after each batch published.
	then func()
}

// NewTailer returns a tailer of log publishing to pub. poll 0 means
// DefaultTailPoll; then (may be nil) is called after each published
// batch.
func NewTailer(log EventLog, pub Publisher, poll time.Duration, logger *slog.Logger, then func()) *Tailer {
	if poll <= 0 {
		poll = DefaultTailPoll
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Tailer{log: log, pub: pub, wake: make(chan struct{}, 1), poll: poll, lg: logger, then: then}
}

// Wake makes the tailer read the log now.
func (t *Tailer) Wake() {
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// Publish is the follower's Publisher: the events are in the log already,
// so it only wakes the tailer, which publishes them from there.
func (t *Tailer) Publish([]portfoliod.Event) { t.Wake() }

// Run tails the log from its newest event until ctx ends: what was
// appended before Run is history, which the streams read from the log
// themselves (Last-Event-ID).
func (t *Tailer) Run(ctx context.Context) {
	last := ""
	for {
		newest, _, err := t.log.Events(ctx, portfoliod.EventQuery{Newest: true, Limit: 1})
		if err == nil {
			if len(newest) > 0 {
				last = newest[0].ID
			}
			break
		}
		t.lg.Error("event log tail: reading the newest event failed; retrying", "err", err.Error())
		select {
		case <-ctx.Done():
			return
		case <-time.After(t.poll):
		}
	}
	tick := time.NewTicker(t.poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.wake:
		case <-tick.C:
		}
		last = t.drain(ctx, last)
	}
}

// drain publishes every event after last and returns the new last.
func (t *Tailer) drain(ctx context.Context, last string) string {
	for {
		evs, more, err := t.log.Events(ctx, portfoliod.EventQuery{After: last, Limit: portfoliod.MaxEventPage})
		switch {
		case errors.Is(err, portfoliod.ErrEventNotFound) && last != "":
			// Retention removed the last event published, and so every
			// older one: what the log still holds came after it.
			t.lg.Warn("event log tail: the last published event left the log; publishing the log from its oldest event", "event", last)
			last = ""
			continue
		case err != nil:
			if ctx.Err() == nil {
				t.lg.Error("event log tail: reading the log failed; retrying", "err", err.Error())
			}
			return last
		}
		if len(evs) > 0 {
			t.pub.Publish(evs)
			last = evs[len(evs)-1].ID
			if t.then != nil {
				t.then()
			}
		}
		if !more {
			return last
		}
	}
}
