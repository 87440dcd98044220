package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/portfoliod/portfoliod"
)

// What a store move (portfoliod store copy) reads of the outbox and
// writes of the event log and the outbox, as they were in the source.

// ImportEvents appends events to the log in order (seq follows the
// order given), skipping ids in the log already, in one transaction under
// the follower's lock, so that no CommitBlock interleaves; it writes no
// webhook delivery.
func (s *Store) ImportEvents(ctx context.Context, events []portfoliod.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	payloads := make([]string, len(events))
	for i, e := range events {
		var err error
		if payloads[i], err = encodePayload(e); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		b := new(pgx.Batch)
		b.Queue(`SELECT pg_advisory_xact_lock($1)`, followerLock)
		for i, e := range events {
			b.Queue(appendEventSQL, e.ID, e.Type, timestamp(e.CreatedAt), e.Data.CustomerID, e.Data.Token.Bytes(), payloads[i])
		}
		return tx.SendBatch(ctx, b).Close()
	})
}

// ForEachDelivery calls fn with every delivery, in endpoint id order and
// each endpoint's oldest first, from one snapshot (a read-only repeatable
// read transaction).
func (s *Store) ForEachDelivery(ctx context.Context, fn func(portfoliod.Delivery) error) error {
	return forEachRow(ctx, s, `SELECT `+deliveryColumns+` FROM webhook_deliveries ORDER BY endpoint_id, seq`, scanDelivery, fn)
}

// importDeliverySQL stores a delivery as it is ($1 to $9), unless its id
// is stored; seq follows the order of the inserts.
const importDeliverySQL = `INSERT INTO webhook_deliveries (` + deliveryColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`

// ImportDeliveries stores ds as they are, in one transaction; ids stored
// already are left alone; ErrWebhookNotFound when an endpoint is not
// stored.
func (s *Store) ImportDeliveries(ctx context.Context, ds []portfoliod.Delivery) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	args := make([][]any, len(ds))
	for i, d := range ds {
		as := make([]attemptRec, 0, len(d.Attempts))
		for _, a := range d.Attempts {
			as = append(as, toAttemptRec(a))
		}
		attempts, err := encodeAttempts(as)
		if err != nil {
			return err
		}
		var next any // NULL unless pending, as the table's CHECK asks
		if d.Status == portfoliod.DeliveryPending {
			next = timestamp(d.NextAttempt)
		}
		args[i] = []any{d.ID, d.EndpointID, d.EventID, d.EventType, timestamp(d.CreatedAt), string(d.Status), d.AttemptCount, attempts, next}
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b := new(pgx.Batch)
		for _, a := range args {
			b.Queue(importDeliverySQL, a...)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23503" { // foreign_key_violation: no such endpoint
		return portfoliod.ErrWebhookNotFound
	}
	return err
}
