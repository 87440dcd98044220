package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/portfoliod/portfoliod"
)

// The webhook endpoints and the outbox (portfoliod.WebhookStore) in the
// tables of migration 0005. CommitBlock writes the deliveries of new
// events (follower.go); every replica claims due ones with FOR UPDATE SKIP
// LOCKED, leasing each by pushing its next_attempt ahead.
//
// Lock order, so that writers wait rather than deadlock: an endpoint's
// row, then its deliveries. UpdateWebhook and RecordAttempt lock the
// endpoint FOR NO KEY UPDATE (it conflicts with CommitBlock's FOR SHARE,
// not with the foreign-key checks of a delivery insert); claims lock
// deliveries only and never wait.

var _ portfoliod.WebhookStore = (*Store)(nil)

// webhooksLock is the advisory lock CreateWebhook holds while it counts
// the endpoints, so replicas creating at once keep MaxWebhookEndpoints.
// "portfolw" in ASCII (w for webhooks), like migrationLock.
const webhooksLock int64 = 0x706f7274666f6c77

// endpointColumns are the columns scanEndpoint reads and endpointArgs
// writes, in order.
const endpointColumns = `id, url, types, frozen_only, description, secret, previous_secret, previous_secret_until,
	disabled, disabled_reason, failing_since, created_at, updated_at`

// deliveryColumns are the columns scanDelivery reads.
const deliveryColumns = `id, endpoint_id, event_id, event_type, created_at, status, attempt_count, attempts, next_attempt`

// claimSQL leases up to $4 pending deliveries due at $1, of endpoints not
// in $3, until $2, and returns them oldest due first. A row another claim
// holds is skipped; one it leased and committed meanwhile is re-checked
// against the WHERE and dropped, as it is no longer due: no delivery is
// returned twice while its lease runs.
const claimSQL = `WITH due AS (
		SELECT id, next_attempt FROM webhook_deliveries
		WHERE status = 'pending' AND next_attempt <= $1 AND endpoint_id <> ALL($3::text[])
		ORDER BY next_attempt
		LIMIT $4
		FOR UPDATE SKIP LOCKED),
	claimed AS (
		UPDATE webhook_deliveries d SET next_attempt = $2 FROM due WHERE d.id = due.id
		RETURNING d.id, d.endpoint_id, d.event_id, d.event_type, d.created_at, d.status, d.attempt_count, d.attempts, d.next_attempt,
			due.next_attempt AS due_at, d.seq)
	SELECT ` + deliveryColumns + ` FROM claimed ORDER BY due_at, seq`

// attemptRec is the stored form of a delivery attempt, an element of
// webhook_deliveries.attempts.
type attemptRec struct {
	At         time.Time `json:"at"`
	Duration   int64     `json:"durationNs"`
	StatusCode int       `json:"statusCode,omitempty"`
	Error      string    `json:"error,omitempty"`
	Response   string    `json:"response,omitempty"`
}

// noNUL replaces NUL characters, which jsonb refuses (a receiver's
// response body may hold any byte).
func noNUL(s string) string { return strings.ReplaceAll(s, "\x00", "\uFFFD") }

func toAttemptRec(a portfoliod.DeliveryAttempt) attemptRec {
	return attemptRec{At: timestamp(a.At), Duration: int64(a.Duration), StatusCode: a.StatusCode, Error: noNUL(a.Error), Response: noNUL(a.Response)}
}

// encodeAttempts is the attempts column of as, the newest MaxKeptAttempts.
func encodeAttempts(as []attemptRec) (string, error) {
	if n := len(as) - portfoliod.MaxKeptAttempts; n > 0 {
		as = as[n:]
	}
	if as == nil {
		as = []attemptRec{}
	}
	b, err := json.Marshal(as)
	return string(b), err
}

// nullTime is t as a nullable column: NULL for the zero time.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	ts := timestamp(t)
	return &ts
}

func fromNullTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func endpointArgs(e portfoliod.WebhookEndpoint) []any {
	types := e.Types
	if types == nil {
		types = []string{}
	}
	return []any{e.ID, e.URL, types, e.FrozenOnly, e.Description, e.Secret, e.PreviousSecret, nullTime(e.PreviousSecretUntil),
		e.Disabled, e.DisabledReason, nullTime(e.FailingSince), timestamp(e.CreatedAt), timestamp(e.UpdatedAt)}
}

// stored is e as the table returns it: times at the microsecond, in UTC.
func stored(e portfoliod.WebhookEndpoint) portfoliod.WebhookEndpoint {
	e.PreviousSecretUntil, e.FailingSince = fromNullTime(nullTime(e.PreviousSecretUntil)), fromNullTime(nullTime(e.FailingSince))
	e.CreatedAt, e.UpdatedAt = timestamp(e.CreatedAt), timestamp(e.UpdatedAt)
	return e
}

// scanEndpoint reads a row of endpointColumns.
func scanEndpoint(r pgx.CollectableRow) (portfoliod.WebhookEndpoint, error) {
	var (
		e                           portfoliod.WebhookEndpoint
		previousUntil, failingSince *time.Time
	)
	if err := r.Scan(&e.ID, &e.URL, &e.Types, &e.FrozenOnly, &e.Description, &e.Secret, &e.PreviousSecret, &previousUntil,
		&e.Disabled, &e.DisabledReason, &failingSince, &e.CreatedAt, &e.UpdatedAt); err != nil {
		return e, err
	}
	e.PreviousSecretUntil, e.FailingSince = fromNullTime(previousUntil), fromNullTime(failingSince)
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return e, nil
}

// scanDelivery reads a row of deliveryColumns.
func scanDelivery(r pgx.CollectableRow) (portfoliod.Delivery, error) {
	var (
		d        portfoliod.Delivery
		status   string
		attempts []byte
		next     *time.Time
	)
	if err := r.Scan(&d.ID, &d.EndpointID, &d.EventID, &d.EventType, &d.CreatedAt, &status, &d.AttemptCount, &attempts, &next); err != nil {
		return d, err
	}
	var as []attemptRec
	if err := json.Unmarshal(attempts, &as); err != nil {
		return d, fmt.Errorf("corrupt delivery %s: %w", d.ID, err)
	}
	for _, a := range as {
		d.Attempts = append(d.Attempts, portfoliod.DeliveryAttempt{At: a.At.UTC(), Duration: time.Duration(a.Duration),
			StatusCode: a.StatusCode, Error: a.Error, Response: a.Response})
	}
	d.Status, d.CreatedAt, d.NextAttempt = portfoliod.DeliveryStatus(status), d.CreatedAt.UTC(), fromNullTime(next)
	return d, nil
}

// lockEndpoint reads endpoint id in tx, locked until tx ends;
// ErrWebhookNotFound.
func lockEndpoint(ctx context.Context, tx pgx.Tx, id string) (portfoliod.WebhookEndpoint, error) {
	rows, _ := tx.Query(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE id = $1 FOR NO KEY UPDATE`, id)
	e, err := pgx.CollectExactlyOneRow(rows, scanEndpoint)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, portfoliod.ErrWebhookNotFound
	}
	return e, err
}

// failPendingSQL fails every pending delivery of endpoint $1.
const failPendingSQL = `UPDATE webhook_deliveries SET status = 'failed', next_attempt = NULL WHERE endpoint_id = $1 AND status = 'pending'`

// enabledEndpoints returns the enabled endpoints in id order, share-locked
// until tx ends: one disabled or deleted meanwhile waits for tx to commit,
// then fails or drops the deliveries tx wrote, and one disabled or deleted
// first is not returned (READ COMMITTED re-checks a row it waited for).
func enabledEndpoints(ctx context.Context, tx pgx.Tx) ([]portfoliod.WebhookEndpoint, error) {
	rows, _ := tx.Query(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE NOT disabled ORDER BY id FOR SHARE`)
	return pgx.CollectRows(rows, scanEndpoint)
}

// CreateWebhook stores a new endpoint; ErrTooManyWebhooks when
// MaxWebhookEndpoints are stored, however many replicas create at once.
func (s *Store) CreateWebhook(ctx context.Context, e portfoliod.WebhookEndpoint) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, webhooksLock); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM webhook_endpoints`).Scan(&n); err != nil {
			return err
		}
		if n >= portfoliod.MaxWebhookEndpoints {
			return portfoliod.ErrTooManyWebhooks
		}
		tag, err := tx.Exec(ctx, `INSERT INTO webhook_endpoints (`+endpointColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING`, endpointArgs(e)...)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("webhook endpoint %s exists", e.ID)
		}
		return nil
	})
}

// Webhook returns an endpoint; ErrWebhookNotFound.
func (s *Store) Webhook(ctx context.Context, id string) (portfoliod.WebhookEndpoint, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.WebhookEndpoint{}, err
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE id = $1`, id)
	e, err := pgx.CollectExactlyOneRow(rows, scanEndpoint)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, portfoliod.ErrWebhookNotFound
	}
	return e, err
}

// Webhooks returns a page of endpoints in id order, and whether more
// follow.
func (s *Store) Webhooks(ctx context.Context, opts portfoliod.ListOptions) ([]portfoliod.WebhookEndpoint, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	limit := opts.Size()
	rows, _ := s.pool.Query(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE id > $1 ORDER BY id LIMIT $2`,
		opts.StartingAfter, limit+1)
	page, err := pgx.CollectRows(rows, scanEndpoint)
	if err != nil {
		return nil, false, err
	}
	if len(page) > limit {
		return page[:limit], true, nil
	}
	return page, false, nil
}

// UpdateWebhook applies fn to the stored endpoint, locked until the
// result is stored, and fails its pending deliveries if fn disables it,
// in one transaction; fn's error aborts.
func (s *Store) UpdateWebhook(ctx context.Context, id string, fn func(*portfoliod.WebhookEndpoint) error) (portfoliod.WebhookEndpoint, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.WebhookEndpoint{}, err
	}
	var out portfoliod.WebhookEndpoint
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockEndpoint(ctx, tx, id)
		if err != nil {
			return err
		}
		e := old
		if err := fn(&e); err != nil {
			return err
		}
		e.ID = id
		if _, err := tx.Exec(ctx, `UPDATE webhook_endpoints SET url = $2, types = $3, frozen_only = $4, description = $5, secret = $6,
			previous_secret = $7, previous_secret_until = $8, disabled = $9, disabled_reason = $10, failing_since = $11,
			created_at = $12, updated_at = $13 WHERE id = $1`, endpointArgs(e)...); err != nil {
			return err
		}
		if e.Disabled && !old.Disabled {
			if _, err := tx.Exec(ctx, failPendingSQL, id); err != nil {
				return err
			}
		}
		out = stored(e)
		return nil
	})
	if err != nil {
		return portfoliod.WebhookEndpoint{}, err
	}
	return out, nil
}

// DeleteWebhook removes an endpoint and (by the foreign key's cascade)
// its deliveries; ErrWebhookNotFound.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `DELETE FROM webhook_endpoints WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return portfoliod.ErrWebhookNotFound
	}
	return nil
}

// EnqueueDelivery adds d, pending and due at d.NextAttempt, unless a
// delivery with its id is stored; ErrWebhookNotFound when its endpoint
// is not.
func (s *Store) EnqueueDelivery(ctx context.Context, d portfoliod.Delivery) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var as []attemptRec
	for _, a := range d.Attempts {
		as = append(as, toAttemptRec(a))
	}
	attempts, err := encodeAttempts(as)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, created_at, status, attempt_count, attempts, next_attempt)
		VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
		d.ID, d.EndpointID, d.EventID, d.EventType, timestamp(d.CreatedAt), d.AttemptCount, attempts, timestamp(d.NextAttempt))
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23503" { // foreign_key_violation: no such endpoint
		return portfoliod.ErrWebhookNotFound
	}
	return err
}

// ClaimDeliveries leases up to limit pending deliveries due at now,
// oldest due first, skipping the endpoints in skip, until now+lease, in
// one statement (claimSQL): concurrent claims, on any replica, never
// return one delivery twice while its lease runs.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int, skip []string) ([]portfoliod.Delivery, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		return nil, nil
	}
	if skip == nil {
		skip = []string{} // <> ALL(NULL) is never true
	}
	rows, _ := s.pool.Query(ctx, claimSQL, timestamp(now), timestamp(now.Add(lease)), skip, limit)
	return pgx.CollectRows(rows, scanDelivery)
}

// RecordAttempt stores an attempt of delivery id and its outcome, and its
// endpoint's FailingSince, disabling the endpoint (and failing its
// pending deliveries) when o says so, in one transaction;
// ErrDeliveryNotFound when the delivery (or its endpoint) is gone.
func (s *Store) RecordAttempt(ctx context.Context, id string, o portfoliod.DeliveryOutcome) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		// The endpoint first (the lock order), found through the delivery.
		rows, _ := tx.Query(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints
			WHERE id = (SELECT endpoint_id FROM webhook_deliveries WHERE id = $1) FOR NO KEY UPDATE`, id)
		ep, err := pgx.CollectExactlyOneRow(rows, scanEndpoint)
		if errors.Is(err, pgx.ErrNoRows) {
			return portfoliod.ErrDeliveryNotFound
		}
		if err != nil {
			return err
		}
		var raw []byte
		err = tx.QueryRow(ctx, `SELECT attempts FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2 FOR UPDATE`, id, ep.ID).Scan(&raw)
		if errors.Is(err, pgx.ErrNoRows) {
			return portfoliod.ErrDeliveryNotFound
		}
		if err != nil {
			return err
		}
		var as []attemptRec
		if err := json.Unmarshal(raw, &as); err != nil {
			return fmt.Errorf("corrupt delivery %s: %w", id, err)
		}
		attempts, err := encodeAttempts(append(as, toAttemptRec(o.Attempt)))
		if err != nil {
			return err
		}
		// Disabled while the attempt ran: no retry goes back in the
		// outbox of an endpoint that gets no deliveries.
		if ep.Disabled && o.Status == portfoliod.DeliveryPending {
			o.Status = portfoliod.DeliveryFailed
		}
		var next *time.Time // NULL unless pending
		if o.Status == portfoliod.DeliveryPending {
			t := timestamp(o.NextAttempt)
			next = &t
		}
		switch {
		case o.Status == portfoliod.DeliveryDelivered:
			ep.FailingSince = time.Time{}
		case ep.FailingSince.IsZero():
			ep.FailingSince = o.Attempt.At
		}
		disable := o.Disable != "" && !ep.Disabled
		if disable {
			ep.Disabled, ep.DisabledReason, ep.UpdatedAt = true, o.Disable, o.Attempt.At
		}
		b := new(pgx.Batch)
		b.Queue(`UPDATE webhook_deliveries SET status = $2, attempt_count = attempt_count + 1, attempts = $3, next_attempt = $4 WHERE id = $1`,
			id, string(o.Status), attempts, next)
		b.Queue(`UPDATE webhook_endpoints SET failing_since = $2, disabled = $3, disabled_reason = $4, updated_at = $5 WHERE id = $1`,
			ep.ID, nullTime(ep.FailingSince), ep.Disabled, ep.DisabledReason, timestamp(ep.UpdatedAt))
		if disable {
			b.Queue(failPendingSQL, ep.ID)
		}
		return tx.SendBatch(ctx, b).Close()
	})
}

// Deliveries returns a page of endpointID's deliveries, newest first,
// from one snapshot; StartingAfter must be one of its delivery ids.
func (s *Store) Deliveries(ctx context.Context, endpointID string, opts portfoliod.ListOptions) ([]portfoliod.Delivery, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	limit := opts.Size()
	var page []portfoliod.Delivery
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM webhook_endpoints WHERE id = $1`, endpointID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return portfoliod.ErrWebhookNotFound
		}
		if err != nil {
			return err
		}
		var before *int64 // NULL: from the newest
		if opts.StartingAfter != "" {
			err := tx.QueryRow(ctx, `SELECT seq FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2`, opts.StartingAfter, endpointID).Scan(&before)
			if errors.Is(err, pgx.ErrNoRows) {
				return portfoliod.Invalidf("startingAfter", "startingAfter must be a delivery id of this endpoint")
			}
			if err != nil {
				return err
			}
		}
		rows, _ := tx.Query(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries
			WHERE endpoint_id = $1 AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3`, endpointID, before, limit+1)
		page, err = pgx.CollectRows(rows, scanDelivery)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	if len(page) > limit {
		return page[:limit], true, nil
	}
	return page, false, nil
}

// Delivery returns one of endpointID's deliveries; ErrDeliveryNotFound.
func (s *Store) Delivery(ctx context.Context, endpointID, id string) (portfoliod.Delivery, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Delivery{}, err
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2`, id, endpointID)
	d, err := pgx.CollectExactlyOneRow(rows, scanDelivery)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, portfoliod.ErrDeliveryNotFound
	}
	return d, err
}

// RetryDelivery makes a failed delivery pending, due at now;
// ErrDeliveryNotFound, ErrDeliveryNotFailed.
func (s *Store) RetryDelivery(ctx context.Context, endpointID, id string, now time.Time) (portfoliod.Delivery, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Delivery{}, err
	}
	rows, _ := s.pool.Query(ctx, `UPDATE webhook_deliveries SET status = 'pending', next_attempt = $3
		WHERE id = $1 AND endpoint_id = $2 AND status = 'failed' RETURNING `+deliveryColumns, id, endpointID, timestamp(now))
	d, err := pgx.CollectExactlyOneRow(rows, scanDelivery)
	if !errors.Is(err, pgx.ErrNoRows) {
		return d, err
	}
	// Nothing updated: say why.
	if _, err := s.Delivery(ctx, endpointID, id); err != nil {
		return portfoliod.Delivery{}, err
	}
	return portfoliod.Delivery{}, portfoliod.ErrDeliveryNotFailed
}

// Event returns an event of the log by id; ErrEventNotFound.
func (s *Store) Event(ctx context.Context, id string) (portfoliod.Event, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Event{}, err
	}
	rows, _ := s.pool.Query(ctx, `SELECT id, type, created_at, customer_id, token, payload FROM events WHERE id = $1`, id)
	e, err := pgx.CollectExactlyOneRow(rows, scanEvent)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, portfoliod.ErrEventNotFound
	}
	return e, err
}

// OutboxStats counts the pending deliveries and returns the creation time
// of the oldest (zero when none).
func (s *Store) OutboxStats(ctx context.Context) (int, time.Time, error) {
	if err := ctx.Err(); err != nil {
		return 0, time.Time{}, err
	}
	var (
		n      int
		oldest *time.Time
	)
	if err := s.pool.QueryRow(ctx, `SELECT count(*), min(created_at) FROM webhook_deliveries WHERE status = 'pending'`).Scan(&n, &oldest); err != nil {
		return 0, time.Time{}, err
	}
	return n, fromNullTime(oldest), nil
}

// PurgeDeliveries deletes the delivered and failed deliveries created
// before t (to the microsecond), in chunks of purgeChunk, each its own
// statement, and returns how many.
func (s *Store) PurgeDeliveries(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	for {
		tag, err := s.pool.Exec(ctx, `DELETE FROM webhook_deliveries WHERE id IN (
			SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $1 LIMIT $2)`, timestamp(before), purgeChunk)
		if err != nil {
			return n, err
		}
		n += int(tag.RowsAffected())
		if tag.RowsAffected() < purgeChunk {
			return n, nil
		}
	}
}
