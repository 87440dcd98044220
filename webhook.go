package portfoliod

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// EventWebhookTest is the type of the event POST /webhooks/{id}/test
// sends: it goes through the real delivery path, to that endpoint only,
// and is in no event log.
const EventWebhookTest = "webhook.test"

// WebhookEventTypes are the event types an endpoint can subscribe to.
var WebhookEventTypes = []string{EventBalanceUpdated}

// Limits of the webhook endpoints API (SPEC section 9, "Webhooks").
const (
	// MaxWebhookEndpoints bounds the endpoints one store keeps.
	MaxWebhookEndpoints = 100
	// MaxWebhookURL bounds an endpoint's URL, in bytes.
	MaxWebhookURL = 2048
	// MaxWebhookDescription bounds an endpoint's description, in bytes.
	MaxWebhookDescription = 512
	// MaxDeliveryResponse bounds the part of a receiver's response body
	// a delivery attempt keeps, in bytes.
	MaxDeliveryResponse = 1024
	// MaxKeptAttempts bounds the attempts a delivery keeps (the newest):
	// the schedule makes eight, manual retries add more.
	MaxKeptAttempts = 20
)

// WebhookEndpoint is a receiver of events over HTTP, signed with its
// secret (Standard Webhooks).
type WebhookEndpoint struct {
	// ID is "we_" and 32 lowercase hex digits (NewWebhookID).
	ID  string
	URL string
	// Types are the event types delivered, a subset of
	// WebhookEventTypes.
	Types []string
	// FrozenOnly limits balance.updated deliveries to those whose
	// frozen amount changed.
	FrozenOnly  bool
	Description string
	// Secret signs deliveries: "whsec_" and the base64 of the key.
	Secret string
	// PreviousSecret, until PreviousSecretUntil, signs deliveries too,
	// beside Secret: a receiver has that long to switch after a rotation.
	PreviousSecret      string
	PreviousSecretUntil time.Time
	// Disabled endpoints get no new deliveries; DisabledReason says why
	// ("410 Gone from the receiver", "every attempt failed for 5 days",
	// "disabled by an operator").
	Disabled       bool
	DisabledReason string
	// FailingSince is the first failed attempt since the last delivered
	// one; zero while the last attempt succeeded.
	FailingSince time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Wants reports whether e subscribes to event ev: enabled, of one of its
// types, and with FrozenOnly one whose frozen amount changed.
func (e WebhookEndpoint) Wants(ev Event) bool {
	if e.Disabled || !slices.Contains(e.Types, ev.Type) {
		return false
	}
	return !e.FrozenOnly || slices.Contains(ev.Data.Changed, "frozen")
}

// Secrets returns the secrets a delivery at t is signed with: Secret, and
// PreviousSecret while it is still valid.
func (e WebhookEndpoint) Secrets(t time.Time) []string {
	if e.PreviousSecret != "" && t.Before(e.PreviousSecretUntil) {
		return []string{e.Secret, e.PreviousSecret}
	}
	return []string{e.Secret}
}

const (
	webhookIDPrefix  = "we_"
	deliveryIDPrefix = "del_"
)

// NewWebhookID returns a new random endpoint id.
func NewWebhookID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails; see crypto/rand.Read
	return webhookIDPrefix + hex.EncodeToString(b[:])
}

// NewWebhookSecret returns a new endpoint secret: "whsec_" and the
// standard base64 of 32 random bytes (Standard Webhooks asks at least 24).
func NewWebhookSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails; see crypto/rand.Read
	return "whsec_" + base64.StdEncoding.EncodeToString(b[:])
}

// ValidWebhookID reports whether id has the form NewWebhookID produces.
func ValidWebhookID(id string) bool { return validHexID(id, webhookIDPrefix) }

// DeliveryID returns the id of the delivery of event eventID to endpoint
// endpointID: derived from both, so an event is one delivery per endpoint
// however often the block that made it is committed.
func DeliveryID(endpointID, eventID string) string {
	h := sha256.Sum256([]byte(endpointID + "/" + eventID))
	return deliveryIDPrefix + hex.EncodeToString(h[:16])
}

// ValidDeliveryID reports whether id has the form DeliveryID produces.
func ValidDeliveryID(id string) bool { return validHexID(id, deliveryIDPrefix) }

// NewTestEventID returns a fresh id for a webhook.test event.
func NewTestEventID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return eventIDPrefix + hex.EncodeToString(b[:])
}

func validHexID(id, prefix string) bool {
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok || len(rest) != 32 {
		return false
	}
	for _, r := range rest {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// Delivery statuses.
const (
	// DeliveryPending: not yet delivered; NextAttempt says when it is
	// tried (again).
	DeliveryPending DeliveryStatus = "pending"
	// DeliveryDelivered: a 2xx answered an attempt.
	DeliveryDelivered DeliveryStatus = "delivered"
	// DeliveryFailed: the schedule ran out, or the endpoint was disabled;
	// POST …/retry makes it pending again.
	DeliveryFailed DeliveryStatus = "failed"
)

// DeliveryAttempt is one try of a delivery.
type DeliveryAttempt struct {
	At       time.Time
	Duration time.Duration
	// StatusCode is the receiver's answer; 0 when there was none.
	StatusCode int
	// Error says why the attempt failed without an answer (a timeout, a
	// refused connection, the SSRF guard), or why an answer is a failure.
	Error string
	// Response is the start of the response body, at most
	// MaxDeliveryResponse bytes.
	Response string
}

// Delivery is an event owed to an endpoint: a row of the outbox, and its
// attempts.
type Delivery struct {
	ID         string
	EndpointID string
	// EventID is the webhook-id header: the same for every attempt.
	EventID   string
	EventType string
	CreatedAt time.Time
	Status    DeliveryStatus
	// AttemptCount counts every attempt; Attempts keeps the newest
	// MaxKeptAttempts, oldest first.
	AttemptCount int
	Attempts     []DeliveryAttempt
	// NextAttempt is when a pending delivery is due (a claimed one: when
	// its claim lapses).
	NextAttempt time.Time
}

// DeliveryOutcome is what an attempt decided.
type DeliveryOutcome struct {
	Attempt DeliveryAttempt
	// Status is the delivery's new status; NextAttempt is set when it is
	// DeliveryPending.
	Status      DeliveryStatus
	NextAttempt time.Time
	// Disable, when set, disables the endpoint with this reason (a 410,
	// five days of failures), failing its pending deliveries.
	Disable string
}

// ErrWebhookNotFound: no endpoint has the id.
var ErrWebhookNotFound = &Error{Code: ENOTFOUND, Param: "id", Message: "no such webhook endpoint"}

// ErrDeliveryNotFound: the endpoint has no delivery with the id.
var ErrDeliveryNotFound = &Error{Code: ENOTFOUND, Param: "deliveryId", Message: "no such delivery for this webhook endpoint"}

// ErrTooManyWebhooks: the store keeps MaxWebhookEndpoints already.
var ErrTooManyWebhooks = Invalidf("url", "at most %d webhook endpoints can be registered; delete one first", MaxWebhookEndpoints)

// ErrDeliveryNotFailed: only a failed delivery can be retried by hand.
var ErrDeliveryNotFailed = &Error{Code: ECONFLICT, Param: "deliveryId", Message: "only a failed delivery can be retried; this one is still pending or was delivered"}

// WebhookStore keeps the webhook endpoints and the outbox. A delivery for
// every endpoint that Wants an event is written by FollowerStore.CommitBlock
// in the transaction that appends the event, so a crash never loses one.
// Implementations are safe for concurrent use, by several processes for a
// shared store.
type WebhookStore interface {
	// CreateWebhook stores a new endpoint; ErrTooManyWebhooks past
	// MaxWebhookEndpoints.
	CreateWebhook(ctx context.Context, e WebhookEndpoint) error
	// Webhook returns the endpoint; ErrWebhookNotFound.
	Webhook(ctx context.Context, id string) (WebhookEndpoint, error)
	// Webhooks returns a page of endpoints in id order, and whether more
	// follow.
	Webhooks(ctx context.Context, opts ListOptions) ([]WebhookEndpoint, bool, error)
	// UpdateWebhook applies fn to the stored endpoint and stores the
	// result (fn's error aborts). An endpoint that fn disables has its
	// pending deliveries failed.
	UpdateWebhook(ctx context.Context, id string, fn func(*WebhookEndpoint) error) (WebhookEndpoint, error)
	// DeleteWebhook removes the endpoint and its deliveries.
	DeleteWebhook(ctx context.Context, id string) error
	// EnqueueDelivery adds d, pending and due at d.NextAttempt (a test
	// event); a delivery with d's id already stored is left alone.
	EnqueueDelivery(ctx context.Context, d Delivery) error
	// ClaimDeliveries returns up to limit pending deliveries due at now,
	// oldest due first, skipping the endpoints in skip, and pushes each
	// one's NextAttempt to now+lease: until then no other claim returns
	// it, after it (the claimer died) one does.
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int, skip []string) ([]Delivery, error)
	// RecordAttempt stores an attempt of delivery id and its outcome,
	// and the endpoint's FailingSince; ErrDeliveryNotFound when the
	// endpoint was deleted meanwhile.
	RecordAttempt(ctx context.Context, id string, o DeliveryOutcome) error
	// Deliveries returns a page of endpointID's deliveries, newest
	// first; StartingAfter is a delivery id.
	Deliveries(ctx context.Context, endpointID string, opts ListOptions) ([]Delivery, bool, error)
	// Delivery returns one of endpointID's deliveries.
	Delivery(ctx context.Context, endpointID, id string) (Delivery, error)
	// RetryDelivery makes a failed delivery pending, due at now;
	// ErrDeliveryNotFailed unless it failed.
	RetryDelivery(ctx context.Context, endpointID, id string, now time.Time) (Delivery, error)
	// Event returns an event of the log by id; ErrEventNotFound.
	Event(ctx context.Context, id string) (Event, error)
	// OutboxStats counts the pending deliveries and returns the
	// creation time of the oldest (zero when none).
	OutboxStats(ctx context.Context) (pending int, oldest time.Time, err error)
	// PurgeDeliveries deletes delivered and failed deliveries created
	// before t, and returns how many.
	PurgeDeliveries(ctx context.Context, before time.Time) (int, error)
	// ForEachDelivery calls fn with every delivery of every endpoint, in
	// endpoint id order and each endpoint's oldest first, from one
	// consistent snapshot, until fn returns an error, which it returns
	// unchanged (for a store move: portfoliod store copy).
	ForEachDelivery(ctx context.Context, fn func(Delivery) error) error
	// ImportDeliveries stores ds in one transaction as they are: status,
	// attempts and, for a pending one, NextAttempt (due then), each after
	// the endpoint's deliveries already stored, in the order given. A
	// delivery whose id is stored is left alone. ErrWebhookNotFound when
	// one's endpoint is not stored; then none is.
	ImportDeliveries(ctx context.Context, ds []Delivery) error
}

// Validate checks what the domain knows of an endpoint: its types and
// description (the SSRF guard checks the URL).
func (e WebhookEndpoint) Validate() error {
	if len(e.Types) == 0 {
		return Invalidf("types", "types must name at least one event type (%s)", strings.Join(WebhookEventTypes, ", "))
	}
	for i, t := range e.Types {
		if !slices.Contains(WebhookEventTypes, t) {
			return Invalidf(fmt.Sprintf("types[%d]", i), "unknown event type %q; webhooks deliver %s", Truncate(t, 64), strings.Join(WebhookEventTypes, ", "))
		}
		if slices.Index(e.Types, t) != i {
			return Invalidf(fmt.Sprintf("types[%d]", i), "event type %q is listed twice", t)
		}
	}
	return checkText("description", e.Description, MaxWebhookDescription)
}
