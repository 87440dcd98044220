package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/portfoliod/portfoliod"
)

// The webhook endpoints and the outbox (portfoliod.WebhookStore). A
// delivery is a record in deliveriesBucket, found by id through
// deliveryIDsBucket; while pending it is also a key of outboxBucket,
// ordered by when it is due, so a claim reads only what is due.

type endpointRec struct {
	ID                  string   `json:"id"`
	URL                 string   `json:"url"`
	Types               []string `json:"types"`
	FrozenOnly          bool     `json:"frozenOnly,omitempty"`
	Description         string   `json:"description,omitempty"`
	Secret              string   `json:"secret"`
	PreviousSecret      string   `json:"previousSecret,omitempty"`
	PreviousSecretUntil int64    `json:"previousSecretUntil,omitempty"` // Unix ns
	Disabled            bool     `json:"disabled,omitempty"`
	DisabledReason      string   `json:"disabledReason,omitempty"`
	FailingSince        int64    `json:"failingSince,omitempty"` // Unix ns
	CreatedAt           int64    `json:"createdAt"`
	UpdatedAt           int64    `json:"updatedAt"`
}

type attemptRec struct {
	At         int64  `json:"at"`  // Unix ns
	Duration   int64  `json:"dur"` // ns
	StatusCode int    `json:"code,omitempty"`
	Error      string `json:"err,omitempty"`
	Response   string `json:"resp,omitempty"`
}

type deliveryRec struct {
	ID           string       `json:"id"`
	EndpointID   string       `json:"endpoint"`
	EventID      string       `json:"event"`
	EventType    string       `json:"type"`
	CreatedAt    int64        `json:"createdAt"`
	Status       string       `json:"status"`
	AttemptCount int          `json:"count,omitempty"`
	Attempts     []attemptRec `json:"attempts,omitempty"`
	NextAttempt  int64        `json:"next,omitempty"` // Unix ns, while pending
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func toEndpointRec(e portfoliod.WebhookEndpoint) endpointRec {
	return endpointRec{ID: e.ID, URL: e.URL, Types: e.Types, FrozenOnly: e.FrozenOnly, Description: e.Description,
		Secret: e.Secret, PreviousSecret: e.PreviousSecret, PreviousSecretUntil: unixNano(e.PreviousSecretUntil),
		Disabled: e.Disabled, DisabledReason: e.DisabledReason, FailingSince: unixNano(e.FailingSince),
		CreatedAt: unixNano(e.CreatedAt), UpdatedAt: unixNano(e.UpdatedAt)}
}

func (r endpointRec) endpoint() portfoliod.WebhookEndpoint {
	return portfoliod.WebhookEndpoint{ID: r.ID, URL: r.URL, Types: r.Types, FrozenOnly: r.FrozenOnly, Description: r.Description,
		Secret: r.Secret, PreviousSecret: r.PreviousSecret, PreviousSecretUntil: fromUnixNano(r.PreviousSecretUntil),
		Disabled: r.Disabled, DisabledReason: r.DisabledReason, FailingSince: fromUnixNano(r.FailingSince),
		CreatedAt: fromUnixNano(r.CreatedAt), UpdatedAt: fromUnixNano(r.UpdatedAt)}
}

func toDeliveryRec(d portfoliod.Delivery) deliveryRec {
	r := deliveryRec{ID: d.ID, EndpointID: d.EndpointID, EventID: d.EventID, EventType: d.EventType,
		CreatedAt: unixNano(d.CreatedAt), Status: string(d.Status), AttemptCount: d.AttemptCount}
	if d.Status == portfoliod.DeliveryPending {
		r.NextAttempt = d.NextAttempt.UnixNano()
	}
	for _, a := range d.Attempts {
		r.Attempts = append(r.Attempts, toAttemptRec(a))
	}
	return r
}

func toAttemptRec(a portfoliod.DeliveryAttempt) attemptRec {
	return attemptRec{At: unixNano(a.At), Duration: int64(a.Duration), StatusCode: a.StatusCode, Error: a.Error, Response: a.Response}
}

func (r deliveryRec) delivery() portfoliod.Delivery {
	d := portfoliod.Delivery{ID: r.ID, EndpointID: r.EndpointID, EventID: r.EventID, EventType: r.EventType,
		CreatedAt: fromUnixNano(r.CreatedAt), Status: portfoliod.DeliveryStatus(r.Status), AttemptCount: r.AttemptCount,
		NextAttempt: fromUnixNano(r.NextAttempt)}
	for _, a := range r.Attempts {
		d.Attempts = append(d.Attempts, portfoliod.DeliveryAttempt{At: fromUnixNano(a.At), Duration: time.Duration(a.Duration),
			StatusCode: a.StatusCode, Error: a.Error, Response: a.Response})
	}
	return d
}

func outboxKey(due int64, id string) []byte {
	return append(binary.BigEndian.AppendUint64(nil, uint64(due)), id...)
}

func deliveriesPrefix(endpointID string) []byte { return []byte(endpointID + "/") }

func getEndpoint(tx *bbolt.Tx, id string) (endpointRec, error) {
	var r endpointRec
	v := tx.Bucket(webhooksBucket).Get([]byte(id))
	if v == nil {
		return r, portfoliod.ErrWebhookNotFound
	}
	if err := json.Unmarshal(v, &r); err != nil {
		return r, fmt.Errorf("corrupt webhook endpoint %s: %w", id, err)
	}
	return r, nil
}

func putJSON(b *bbolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

// getDelivery returns delivery id and its key in deliveriesBucket.
func getDelivery(tx *bbolt.Tx, id string) (deliveryRec, []byte, error) {
	var r deliveryRec
	key := tx.Bucket(deliveryIDsBucket).Get([]byte(id))
	if key == nil {
		return r, nil, portfoliod.ErrDeliveryNotFound
	}
	key = bytes.Clone(key)
	v := tx.Bucket(deliveriesBucket).Get(key)
	if v == nil {
		return r, nil, fmt.Errorf("delivery %s is indexed but not stored", id)
	}
	if err := json.Unmarshal(v, &r); err != nil {
		return r, nil, fmt.Errorf("corrupt delivery %s: %w", id, err)
	}
	return r, key, nil
}

// insertDelivery stores d unless its id is stored already, indexing it in
// the outbox when pending.
func insertDelivery(tx *bbolt.Tx, d portfoliod.Delivery) error {
	ids := tx.Bucket(deliveryIDsBucket)
	if ids.Get([]byte(d.ID)) != nil {
		return nil
	}
	db := tx.Bucket(deliveriesBucket)
	seq, err := db.NextSequence()
	if err != nil {
		return err
	}
	key := binary.BigEndian.AppendUint64(deliveriesPrefix(d.EndpointID), seq)
	rec := toDeliveryRec(d)
	if err := putJSON(db, key, rec); err != nil {
		return err
	}
	if err := ids.Put([]byte(d.ID), key); err != nil {
		return err
	}
	if d.Status == portfoliod.DeliveryPending {
		return tx.Bucket(outboxBucket).Put(outboxKey(rec.NextAttempt, d.ID), []byte(d.EndpointID))
	}
	return nil
}

// enqueueDeliveries writes, in tx, a pending delivery of each new event
// for every endpoint that wants it, due at once: the outbox half of
// CommitBlock.
func enqueueDeliveries(tx *bbolt.Tx, events []portfoliod.Event) error {
	if len(events) == 0 {
		return nil
	}
	var endpoints []portfoliod.WebhookEndpoint
	err := tx.Bucket(webhooksBucket).ForEach(func(k, v []byte) error {
		var r endpointRec
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("corrupt webhook endpoint %s: %w", k, err)
		}
		if !r.Disabled {
			endpoints = append(endpoints, r.endpoint())
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range events {
		for _, ep := range endpoints {
			if !ep.Wants(e) {
				continue
			}
			d := portfoliod.Delivery{ID: portfoliod.DeliveryID(ep.ID, e.ID), EndpointID: ep.ID, EventID: e.ID, EventType: e.Type,
				CreatedAt: e.CreatedAt, Status: portfoliod.DeliveryPending, NextAttempt: e.CreatedAt}
			if err := insertDelivery(tx, d); err != nil {
				return err
			}
		}
	}
	return nil
}

// failPending fails every pending delivery of endpointID, in tx.
func failPending(tx *bbolt.Tx, endpointID string) error {
	ob := tx.Bucket(outboxBucket)
	var keys [][]byte
	err := ob.ForEach(func(k, v []byte) error {
		if string(v) == endpointID {
			keys = append(keys, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := ob.Delete(k); err != nil {
			return err
		}
		r, key, err := getDelivery(tx, string(k[8:]))
		if err != nil {
			return err
		}
		r.Status, r.NextAttempt = string(portfoliod.DeliveryFailed), 0
		if err := putJSON(tx.Bucket(deliveriesBucket), key, r); err != nil {
			return err
		}
	}
	return nil
}

// CreateWebhook stores a new endpoint.
func (s *Store) CreateWebhook(ctx context.Context, e portfoliod.WebhookEndpoint) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(webhooksBucket)
		if b.Get([]byte(e.ID)) != nil {
			return fmt.Errorf("webhook endpoint %s exists", e.ID)
		}
		if b.Stats().KeyN >= portfoliod.MaxWebhookEndpoints {
			return portfoliod.ErrTooManyWebhooks
		}
		return putJSON(b, []byte(e.ID), toEndpointRec(e))
	})
}

// Webhook returns an endpoint.
func (s *Store) Webhook(ctx context.Context, id string) (portfoliod.WebhookEndpoint, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.WebhookEndpoint{}, err
	}
	var r endpointRec
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		r, err = getEndpoint(tx, id)
		return err
	})
	return r.endpoint(), err
}

// Webhooks returns a page of endpoints in id order.
func (s *Store) Webhooks(ctx context.Context, opts portfoliod.ListOptions) ([]portfoliod.WebhookEndpoint, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	limit := opts.Size()
	var page []portfoliod.WebhookEndpoint
	more := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		cur := tx.Bucket(webhooksBucket).Cursor()
		k, v := cur.First()
		if opts.StartingAfter != "" {
			if k, v = cur.Seek([]byte(opts.StartingAfter)); k != nil && string(k) == opts.StartingAfter {
				k, v = cur.Next()
			}
		}
		for ; k != nil; k, v = cur.Next() {
			if len(page) == limit {
				more = true
				return nil
			}
			var r endpointRec
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("corrupt webhook endpoint %s: %w", k, err)
			}
			page = append(page, r.endpoint())
		}
		return nil
	})
	return page, more, err
}

// UpdateWebhook applies fn to the stored endpoint, failing its pending
// deliveries if fn disables it.
func (s *Store) UpdateWebhook(ctx context.Context, id string, fn func(*portfoliod.WebhookEndpoint) error) (portfoliod.WebhookEndpoint, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.WebhookEndpoint{}, err
	}
	var out portfoliod.WebhookEndpoint
	err := s.db.Update(func(tx *bbolt.Tx) error {
		r, err := getEndpoint(tx, id)
		if err != nil {
			return err
		}
		e := r.endpoint()
		if err := fn(&e); err != nil {
			return err
		}
		e.ID = id
		if e.Disabled && !r.Disabled {
			if err := failPending(tx, id); err != nil {
				return err
			}
		}
		out = e
		return putJSON(tx.Bucket(webhooksBucket), []byte(id), toEndpointRec(e))
	})
	return out, err
}

// DeleteWebhook removes an endpoint and its deliveries.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		if _, err := getEndpoint(tx, id); err != nil {
			return err
		}
		if err := failPending(tx, id); err != nil { // drops its outbox keys
			return err
		}
		ids := tx.Bucket(deliveryIDsBucket)
		cur := tx.Bucket(deliveriesBucket).Cursor()
		prefix := deliveriesPrefix(id)
		for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Seek(prefix) {
			var r deliveryRec
			if err := json.Unmarshal(v, &r); err == nil {
				if err := ids.Delete([]byte(r.ID)); err != nil {
					return err
				}
			}
			if err := cur.Delete(); err != nil {
				return err
			}
		}
		return tx.Bucket(webhooksBucket).Delete([]byte(id))
	})
}

// EnqueueDelivery adds d unless its id is stored.
func (s *Store) EnqueueDelivery(ctx context.Context, d portfoliod.Delivery) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		if _, err := getEndpoint(tx, d.EndpointID); err != nil {
			return err
		}
		return insertDelivery(tx, d)
	})
}

// ClaimDeliveries returns up to limit due deliveries, leasing each until
// now+lease.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int, skip []string) ([]portfoliod.Delivery, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Most polls find nothing due: look in a read transaction first, so
	// that they cost no write (and no fsync).
	end := binary.BigEndian.AppendUint64(nil, uint64(now.UnixNano()))
	any := false
	if err := s.db.View(func(tx *bbolt.Tx) error {
		k, _ := tx.Bucket(outboxBucket).Cursor().First()
		any = k != nil && bytes.Compare(k[:8], end) <= 0
		return nil
	}); err != nil || !any {
		return nil, err
	}
	var out []portfoliod.Delivery
	until := now.Add(lease).UnixNano()
	err := s.db.Update(func(tx *bbolt.Tx) error {
		out = nil
		ob := tx.Bucket(outboxBucket)
		var due [][]byte
		cur := ob.Cursor()
		for k, v := cur.First(); k != nil && len(due) < limit && bytes.Compare(k[:8], end) <= 0; k, v = cur.Next() {
			if !slices.Contains(skip, string(v)) {
				due = append(due, bytes.Clone(k))
			}
		}
		for _, k := range due {
			id := string(k[8:])
			r, key, err := getDelivery(tx, id)
			if err != nil {
				return err
			}
			if err := ob.Delete(k); err != nil {
				return err
			}
			r.NextAttempt = until
			if err := putJSON(tx.Bucket(deliveriesBucket), key, r); err != nil {
				return err
			}
			if err := ob.Put(outboxKey(until, id), []byte(r.EndpointID)); err != nil {
				return err
			}
			out = append(out, r.delivery())
		}
		return nil
	})
	return out, err
}

// RecordAttempt stores an attempt and its outcome.
func (s *Store) RecordAttempt(ctx context.Context, id string, o portfoliod.DeliveryOutcome) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		r, key, err := getDelivery(tx, id)
		if err != nil {
			return err
		}
		ep, err := getEndpoint(tx, r.EndpointID)
		if err != nil {
			return err
		}
		// Disabled while the attempt ran: no retry goes back in the
		// outbox of an endpoint that gets no deliveries.
		if ep.Disabled && o.Status == portfoliod.DeliveryPending {
			o.Status = portfoliod.DeliveryFailed
		}
		ob := tx.Bucket(outboxBucket)
		if r.Status == string(portfoliod.DeliveryPending) {
			if err := ob.Delete(outboxKey(r.NextAttempt, id)); err != nil {
				return err
			}
		}
		r.AttemptCount++
		r.Attempts = append(r.Attempts, toAttemptRec(o.Attempt))
		if n := len(r.Attempts) - portfoliod.MaxKeptAttempts; n > 0 {
			r.Attempts = r.Attempts[n:]
		}
		r.Status, r.NextAttempt = string(o.Status), 0
		if o.Status == portfoliod.DeliveryPending {
			r.NextAttempt = o.NextAttempt.UnixNano()
			if err := ob.Put(outboxKey(r.NextAttempt, id), []byte(r.EndpointID)); err != nil {
				return err
			}
		}
		if err := putJSON(tx.Bucket(deliveriesBucket), key, r); err != nil {
			return err
		}
		switch {
		case o.Status == portfoliod.DeliveryDelivered:
			ep.FailingSince = 0
		case ep.FailingSince == 0:
			ep.FailingSince = unixNano(o.Attempt.At)
		}
		if o.Disable != "" && !ep.Disabled {
			ep.Disabled, ep.DisabledReason, ep.UpdatedAt = true, o.Disable, unixNano(o.Attempt.At)
			if err := failPending(tx, ep.ID); err != nil {
				return err
			}
		}
		return putJSON(tx.Bucket(webhooksBucket), []byte(ep.ID), ep)
	})
}

// Deliveries returns a page of an endpoint's deliveries, newest first.
func (s *Store) Deliveries(ctx context.Context, endpointID string, opts portfoliod.ListOptions) ([]portfoliod.Delivery, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	limit := opts.Size()
	var page []portfoliod.Delivery
	more := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		if _, err := getEndpoint(tx, endpointID); err != nil {
			return err
		}
		prefix := deliveriesPrefix(endpointID)
		cur := tx.Bucket(deliveriesBucket).Cursor()
		var k, v []byte
		if opts.StartingAfter != "" {
			key := tx.Bucket(deliveryIDsBucket).Get([]byte(opts.StartingAfter))
			if key == nil || !bytes.HasPrefix(key, prefix) {
				return portfoliod.Invalidf("startingAfter", "startingAfter must be a delivery id of this endpoint")
			}
			cur.Seek(key)
			k, v = cur.Prev()
		} else {
			// The last key with the prefix: seek past it, step back.
			if k, _ = cur.Seek(append(bytes.Clone(prefix[:len(prefix)-1]), '/'+1)); k == nil {
				k, v = cur.Last()
			} else {
				k, v = cur.Prev()
			}
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Prev() {
			if len(page) == limit {
				more = true
				return nil
			}
			var r deliveryRec
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("corrupt delivery %s: %w", k, err)
			}
			page = append(page, r.delivery())
		}
		return nil
	})
	return page, more, err
}

// Delivery returns one of an endpoint's deliveries.
func (s *Store) Delivery(ctx context.Context, endpointID, id string) (portfoliod.Delivery, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Delivery{}, err
	}
	var r deliveryRec
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		r, _, err = getDelivery(tx, id)
		if err == nil && r.EndpointID != endpointID {
			err = portfoliod.ErrDeliveryNotFound
		}
		return err
	})
	return r.delivery(), err
}

// RetryDelivery makes a failed delivery pending, due at now.
func (s *Store) RetryDelivery(ctx context.Context, endpointID, id string, now time.Time) (portfoliod.Delivery, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Delivery{}, err
	}
	var r deliveryRec
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var (
			key []byte
			err error
		)
		if r, key, err = getDelivery(tx, id); err != nil {
			return err
		}
		if r.EndpointID != endpointID {
			return portfoliod.ErrDeliveryNotFound
		}
		if r.Status != string(portfoliod.DeliveryFailed) {
			return portfoliod.ErrDeliveryNotFailed
		}
		r.Status, r.NextAttempt = string(portfoliod.DeliveryPending), now.UnixNano()
		if err := putJSON(tx.Bucket(deliveriesBucket), key, r); err != nil {
			return err
		}
		return tx.Bucket(outboxBucket).Put(outboxKey(r.NextAttempt, id), []byte(r.EndpointID))
	})
	return r.delivery(), err
}

// Event returns an event of the log.
func (s *Store) Event(ctx context.Context, id string) (portfoliod.Event, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Event{}, err
	}
	var e portfoliod.Event
	err := s.db.View(func(tx *bbolt.Tx) error {
		seq := tx.Bucket(eventIDsBucket).Get([]byte(id))
		if seq == nil {
			return portfoliod.ErrEventNotFound
		}
		v := tx.Bucket(eventsBucket).Get(seq)
		if v == nil {
			return portfoliod.ErrEventNotFound
		}
		var err error
		e, _, err = decodeEvent(v)
		return err
	})
	return e, err
}

// OutboxStats counts the pending deliveries and finds the oldest.
func (s *Store) OutboxStats(ctx context.Context) (int, time.Time, error) {
	if err := ctx.Err(); err != nil {
		return 0, time.Time{}, err
	}
	n, oldest := 0, int64(0)
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(outboxBucket).ForEach(func(k, _ []byte) error {
			n++
			r, _, err := getDelivery(tx, string(k[8:]))
			if err != nil {
				return err
			}
			if oldest == 0 || r.CreatedAt < oldest {
				oldest = r.CreatedAt
			}
			return nil
		})
	})
	return n, fromUnixNano(oldest), err
}

// PurgeDeliveries deletes finished deliveries created before t.
func (s *Store) PurgeDeliveries(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	err := s.db.Update(func(tx *bbolt.Tx) error {
		n = 0
		ids := tx.Bucket(deliveryIDsBucket)
		cur := tx.Bucket(deliveriesBucket).Cursor()
		for k, v := cur.First(); k != nil; {
			var r deliveryRec
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("corrupt delivery %s: %w", k, err)
			}
			if r.Status == string(portfoliod.DeliveryPending) || r.CreatedAt >= before.UnixNano() {
				k, v = cur.Next()
				continue
			}
			if err := ids.Delete([]byte(r.ID)); err != nil {
				return err
			}
			next := bytes.Clone(k)
			if err := cur.Delete(); err != nil {
				return err
			}
			n++
			k, v = cur.Seek(next)
		}
		return nil
	})
	return n, err
}
