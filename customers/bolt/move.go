package bolt

import (
	"context"
	"encoding/json"
	"fmt"

	bbolt "go.etcd.io/bbolt"

	"github.com/portfoliod/portfoliod"
)

// What a store move (portfoliod store copy) reads of the outbox and
// writes of the event log and the outbox, as they were in the source.

// ImportEvents appends events to the log in order, skipping ids in the log
// already, in one transaction; it writes no webhook delivery.
func (s *Store) ImportEvents(ctx context.Context, events []portfoliod.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	vals := make([][]byte, len(events))
	for i, e := range events {
		var err error
		if vals[i], err = encodeEvent(e); err != nil {
			return err
		}
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		eb, ib := tx.Bucket(eventsBucket), tx.Bucket(eventIDsBucket)
		for i, e := range events {
			if ib.Get([]byte(e.ID)) != nil {
				continue
			}
			seq, err := eb.NextSequence()
			if err != nil {
				return err
			}
			if err := eb.Put(seqKey(seq), vals[i]); err != nil {
				return err
			}
			if err := ib.Put([]byte(e.ID), seqKey(seq)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ForEachDelivery calls fn with every delivery, in endpoint id order and
// each endpoint's oldest first (the order of deliveriesBucket's keys),
// from one read transaction.
func (s *Store) ForEachDelivery(ctx context.Context, fn func(portfoliod.Delivery) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		cur := tx.Bucket(deliveriesBucket).Cursor()
		for k, v := cur.First(); k != nil; k, v = cur.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			var r deliveryRec
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("corrupt delivery %s: %w", k, err)
			}
			if err := fn(r.delivery()); err != nil {
				return err
			}
		}
		return nil
	})
}

// ImportDeliveries stores ds as they are, in one transaction; ids stored
// already are left alone.
func (s *Store) ImportDeliveries(ctx context.Context, ds []portfoliod.Delivery) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		for _, d := range ds {
			if _, err := getEndpoint(tx, d.EndpointID); err != nil {
				return err
			}
			if err := insertDelivery(tx, d); err != nil {
				return err
			}
		}
		return nil
	})
}
