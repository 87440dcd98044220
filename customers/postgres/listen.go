package postgres

import (
	"context"
	"time"
)

// eventsChannel is the NOTIFY channel CommitBlock signals on when it
// appends events; the payload is the block number, for logs only.
const eventsChannel = "portfoliod_events"

// Listen calls wake each time any replica commits a block with events,
// until ctx ends. It holds one connection of its own (LISTEN). When that
// connection drops, lost is told why and Listen reconnects with backoff,
// then calls wake once: notifications sent while it was away are lost, so
// the caller re-reads the log, which is the state. A notification is a
// wake-up, never data.
func (s *Store) Listen(ctx context.Context, wake func(), lost func(error)) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		listening, err := s.listen(ctx, wake)
		if ctx.Err() != nil {
			return
		}
		if lost != nil {
			lost(err)
		}
		if listening {
			backoff = 100 * time.Millisecond
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// listen runs one LISTEN connection until it fails, reporting whether it
// got as far as listening.
func (s *Store) listen(ctx context.Context, wake func()) (bool, error) {
	pc, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, err
	}
	// Out of the pool: a connection that LISTENs must not serve queries.
	conn := pc.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+eventsChannel); err != nil {
		return false, err
	}
	wake()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return true, err
		}
		wake()
	}
}
