package main

import (
	"context"
	"fmt"

	"github.com/portfoliod/portfoliod"
)

// outboxStore is what store copy reads and writes of a store beyond its
// customers: the webhook endpoints, the event log and the outbox.
type outboxStore interface {
	portfoliod.WebhookStore
	portfoliod.FollowerStore
}

// outboxCounts are how many endpoints, events, deliveries and pending
// deliveries a store holds.
type outboxCounts struct {
	endpoints, events, deliveries, pending int
}

func (c outboxCounts) minus(d outboxCounts) outboxCounts {
	return outboxCounts{c.endpoints - d.endpoints, c.events - d.events, c.deliveries - d.deliveries, c.pending - d.pending}
}

// copyBatchDeliveries is how many deliveries one ImportDeliveries of
// store copy carries.
const copyBatchDeliveries = 1000

// copyOutbox copies src's webhook endpoints (with their secrets, as they
// must sign), its event log, and every delivery with its status, attempts
// and next attempt, into dst, in that order: a delivery needs its
// endpoint, and its event to be sent. The log is copied whole, not only
// the events of pending deliveries, so that a failed delivery can still
// be retried by hand and GET /events and Last-Event-ID resume across the
// move. It returns what it copied.
func copyOutbox(ctx context.Context, src, dst outboxStore) (outboxCounts, error) {
	var c outboxCounts
	after := ""
	for {
		page, more, err := src.Webhooks(ctx, portfoliod.ListOptions{Limit: portfoliod.MaxListLimit, StartingAfter: after})
		if err != nil {
			return c, err
		}
		for _, e := range page {
			if err := dst.CreateWebhook(ctx, e); err != nil {
				return c, fmt.Errorf("webhook endpoint %s: %w", e.ID, err)
			}
			c.endpoints++
		}
		if !more || len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
	}
	after = ""
	for {
		page, more, err := src.Events(ctx, portfoliod.EventQuery{After: after, Limit: portfoliod.MaxEventPage})
		if err != nil {
			return c, err
		}
		if len(page) > 0 {
			if err := dst.ImportEvents(ctx, page); err != nil {
				return c, fmt.Errorf("events: %w", err)
			}
			c.events += len(page)
			after = page[len(page)-1].ID
		}
		if !more || len(page) == 0 {
			break
		}
	}
	batch := make([]portfoliod.Delivery, 0, copyBatchDeliveries)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := dst.ImportDeliveries(ctx, batch); err != nil {
			return fmt.Errorf("webhook deliveries: %w", err)
		}
		c.deliveries += len(batch)
		batch = batch[:0]
		return nil
	}
	err := src.ForEachDelivery(ctx, func(d portfoliod.Delivery) error {
		if d.Status == portfoliod.DeliveryPending {
			c.pending++
		}
		batch = append(batch, d)
		if len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return c, err
}

// countOutbox counts what s holds of what copyOutbox copies.
func countOutbox(ctx context.Context, s outboxStore) (outboxCounts, error) {
	var c outboxCounts
	after := ""
	for {
		page, more, err := s.Webhooks(ctx, portfoliod.ListOptions{Limit: portfoliod.MaxListLimit, StartingAfter: after})
		if err != nil {
			return c, err
		}
		c.endpoints += len(page)
		if !more || len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
	}
	after = ""
	for {
		page, more, err := s.Events(ctx, portfoliod.EventQuery{After: after, Limit: portfoliod.MaxEventPage})
		if err != nil {
			return c, err
		}
		c.events += len(page)
		if !more || len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
	}
	err := s.ForEachDelivery(ctx, func(d portfoliod.Delivery) error {
		c.deliveries++
		if d.Status == portfoliod.DeliveryPending {
			c.pending++
		}
		return nil
	})
	return c, err
}
