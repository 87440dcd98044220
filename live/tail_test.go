package live

import (
	"context"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/bolt"
)

// tailCommit stores block n with k events in s, as the follower does.
func tailCommit(t *testing.T, s *bolt.Store, n uint64, k int) []portfoliod.Event {
	t.Helper()
	b := portfoliod.Block{Number: n, Hash: common.BigToHash(big.NewInt(int64(n) + 1000)), Time: time.Unix(int64(1_800_000_000+n), 0).UTC()}
	c := portfoliod.BlockCommit{Block: b, Parent: common.BigToHash(big.NewInt(int64(n) + 999))}
	token := common.HexToAddress("0x00000000000000000000000000000000000000a1")
	for i := range k {
		w := common.BigToAddress(big.NewInt(int64(n)*100 + int64(i)))
		f := portfoliod.Figures{Total: big.NewInt(int64(n)), Frozen: big.NewInt(0), Available: big.NewInt(int64(n))}
		c.Events = append(c.Events, portfoliod.Event{ID: portfoliod.EventID(b.Hash, token, w), Type: portfoliod.EventBalanceUpdated, CreatedAt: b.Time,
			Data: portfoliod.BalanceChange{CustomerID: "customer_000000000001", Wallet: w, Token: token, Block: b, Previous: f, Balances: f}})
	}
	if err := s.CommitBlock(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c.Events
}

// The tailer publishes what the log gains after it starts, in log order,
// once each, whoever appended it; history before it started is not
// published; a woken tailer publishes at once, without waiting for its
// poll.
func TestTailerPublishesTheLog(t *testing.T) {
	s, err := bolt.Open(filepath.Join(t.TempDir(), "s.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tailCommit(t, s, 1, 2) // history
	hub := NewHub()
	sub := hub.Subscribe(nil)
	batches := make(chan struct{}, 16)
	tail := NewTailer(s, hub, time.Hour, nil, func() { batches <- struct{}{} })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go tail.Run(ctx)
	// Run reads the newest event first: wait until it has.
	time.Sleep(100 * time.Millisecond)

	var want []portfoliod.Event
	want = append(want, tailCommit(t, s, 2, 3)...)
	want = append(want, tailCommit(t, s, 3, 1)...)
	tail.Wake()
	select {
	case <-batches:
	case <-time.After(2 * time.Second):
		t.Fatal("a woken tailer published nothing (its poll is an hour)")
	}
	for i, w := range want {
		select {
		case e := <-sub.Events():
			if e.ID != w.ID {
				t.Fatalf("event %d is %s, want %s (log order)", i, e.ID, w.ID)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("event %d of %d not published", i, len(want))
		}
	}
	// Woken again with nothing new: nothing is published twice.
	tail.Wake()
	select {
	case e := <-sub.Events():
		t.Fatalf("published again: %s", e.ID)
	case <-time.After(200 * time.Millisecond):
	}
	// The follower's Publish only wakes it: the events come from the log.
	more := tailCommit(t, s, 4, 1)
	tail.Publish(nil)
	select {
	case e := <-sub.Events():
		if e.ID != more[0].ID {
			t.Errorf("published %s, want %s", e.ID, more[0].ID)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Publish did not wake the tailer")
	}
}

// When retention removes the last event the tailer published (no event
// for longer than the retention), it publishes what the log holds now,
// all of it newer, rather than stopping or skipping it.
func TestTailerSurvivesRetention(t *testing.T) {
	s, err := bolt.Open(filepath.Join(t.TempDir(), "s.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hub := NewHub()
	sub := hub.Subscribe(nil)
	tail := NewTailer(s, hub, time.Hour, nil, nil)
	first := tailCommit(t, s, 1, 1)
	last := tail.drain(context.Background(), "")
	if last != first[0].ID {
		t.Fatalf("drain returned %q, want %s", last, first[0].ID)
	}
	<-sub.Events()
	if _, err := s.PurgeEvents(context.Background(), time.Unix(1_800_000_002, 0)); err != nil {
		t.Fatal(err)
	}
	second := tailCommit(t, s, 5, 1)
	if got := tail.drain(context.Background(), last); got != second[0].ID {
		t.Errorf("after the purge drain returned %q, want %s", got, second[0].ID)
	}
	select {
	case e := <-sub.Events():
		if e.ID != second[0].ID {
			t.Errorf("published %s, want %s", e.ID, second[0].ID)
		}
	case <-time.After(time.Second):
		t.Fatal("the event appended after the purge was not published")
	}
}
