package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod"
)

// Webhooks is the webhook endpoints API's backend (SPEC section 9,
// "Webhooks"): the store of endpoints and deliveries, the SSRF guard for
// URLs, and the dispatcher's wake-up.
type Webhooks interface {
	portfoliod.WebhookStore
	// CheckURL applies the SSRF guard to an endpoint URL: an EINVALID
	// error on "url" naming the reason when refused.
	CheckURL(ctx context.Context, url string) error
	// Notify wakes the dispatcher: a test event or a retry is due now.
	Notify()
}

// RotationOverlap is how long the previous secret keeps signing after a
// rotation.
const RotationOverlap = 24 * time.Hour

// routeWebhooks registers the webhook endpoints API (admin scope); none
// of its routes exist without a backend.
func (s *Server) routeWebhooks(routes *gin.RouterGroup, get func(*gin.RouterGroup, string, ...gin.HandlerFunc), admin gin.HandlerFunc) {
	if s.cfg.Webhooks == nil {
		return
	}
	routes.POST("/webhooks", admin, s.createWebhook)
	get(routes, "/webhooks", admin, s.listWebhooks)
	get(routes, "/webhooks/:id", admin, s.getWebhook)
	routes.PATCH("/webhooks/:id", admin, s.patchWebhook)
	routes.DELETE("/webhooks/:id", admin, s.deleteWebhook)
	routes.POST("/webhooks/:id/rotate-secret", admin, s.rotateWebhookSecret)
	routes.POST("/webhooks/:id/test", admin, s.testWebhook)
	get(routes, "/webhooks/:id/deliveries", admin, s.listDeliveries)
	routes.POST("/webhooks/:id/deliveries/:deliveryId/retry", admin, s.retryDelivery)
}

// webhookJSON is an endpoint on the wire. Secret is set only in the
// answers that create it (POST /webhooks, rotate-secret).
type webhookJSON struct {
	ID             string   `json:"id"`
	Object         string   `json:"object"`
	URL            string   `json:"url"`
	Types          []string `json:"types"`
	FrozenOnly     bool     `json:"frozenOnly"`
	Description    string   `json:"description"`
	Status         string   `json:"status"`
	DisabledReason string   `json:"disabledReason"`
	// PreviousSecretExpiresAt is when the secret before the last
	// rotation stops signing; absent when none does.
	PreviousSecretExpiresAt *string `json:"previousSecretExpiresAt,omitempty"`
	Secret                  string  `json:"secret,omitempty"`
	CreatedAt               string  `json:"createdAt"`
	UpdatedAt               string  `json:"updatedAt"`
}

func toWebhookJSON(e portfoliod.WebhookEndpoint, now time.Time) webhookJSON {
	out := webhookJSON{ID: e.ID, Object: "webhook_endpoint", URL: e.URL, Types: append([]string{}, e.Types...), FrozenOnly: e.FrozenOnly,
		Description: e.Description, Status: "enabled", DisabledReason: e.DisabledReason,
		CreatedAt: e.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: e.UpdatedAt.UTC().Format(time.RFC3339)}
	if e.Disabled {
		out.Status = "disabled"
	}
	if e.PreviousSecret != "" && now.Before(e.PreviousSecretUntil) {
		t := e.PreviousSecretUntil.UTC().Format(time.RFC3339)
		out.PreviousSecretExpiresAt = &t
	}
	return out
}

type attemptJSON struct {
	At         string `json:"at"`
	DurationMs int64  `json:"durationMs"`
	// StatusCode is null when the receiver did not answer.
	StatusCode *int   `json:"statusCode"`
	Error      string `json:"error"`
	Response   string `json:"response"`
}

type deliveryJSON struct {
	ID            string        `json:"id"`
	Object        string        `json:"object"`
	EndpointID    string        `json:"endpointId"`
	EventID       string        `json:"eventId"`
	EventType     string        `json:"eventType"`
	Status        string        `json:"status"`
	AttemptCount  int           `json:"attemptCount"`
	Attempts      []attemptJSON `json:"attempts"`
	NextAttemptAt *string       `json:"nextAttemptAt"`
	CreatedAt     string        `json:"createdAt"`
}

func toDeliveryJSON(d portfoliod.Delivery) deliveryJSON {
	out := deliveryJSON{ID: d.ID, Object: "webhook_delivery", EndpointID: d.EndpointID, EventID: d.EventID, EventType: d.EventType,
		Status: string(d.Status), AttemptCount: d.AttemptCount, Attempts: make([]attemptJSON, len(d.Attempts)),
		CreatedAt: d.CreatedAt.UTC().Format(time.RFC3339)}
	for i, a := range d.Attempts {
		out.Attempts[i] = attemptJSON{At: a.At.UTC().Format(time.RFC3339Nano), DurationMs: a.Duration.Milliseconds(), Error: a.Error, Response: a.Response}
		if a.StatusCode != 0 {
			code := a.StatusCode
			out.Attempts[i].StatusCode = &code
		}
	}
	if d.Status == portfoliod.DeliveryPending {
		t := d.NextAttempt.UTC().Format(time.RFC3339)
		out.NextAttemptAt = &t
	}
	return out
}

// testEventJSON is the body of a webhook.test delivery.
type testEventJSON struct {
	ID        string `json:"id"`
	Object    string `json:"object"`
	Type      string `json:"type"`
	CreatedAt string `json:"createdAt"`
	Data      struct {
		Message string `json:"message"`
	} `json:"data"`
}

// EventBody is the body of a webhook delivery of e: the event object, as
// GET /events and the streams show it.
func EventBody(e portfoliod.Event) ([]byte, error) {
	if e.Type == portfoliod.EventWebhookTest {
		t := testEventJSON{ID: e.ID, Object: "event", Type: e.Type, CreatedAt: e.CreatedAt.UTC().Format(time.RFC3339)}
		t.Data.Message = "a test event sent by POST /webhooks/{id}/test"
		return json.Marshal(t)
	}
	return json.Marshal(toEventJSON(e))
}

// The forms of the ids the webhook routes take, as errors name them.
const (
	webhookIDForm  = "a webhook endpoint id (we_ and 32 hex digits)"
	deliveryIDForm = "a delivery id (del_ and 32 hex digits)"
)

// idRule checks that a value of param is an id valid accepts, named form
// in the error.
func idRule(param string, valid func(string) bool, form string) func(string) error {
	return func(raw string) error {
		if !valid(raw) {
			return invalid(param, "%s must be %s", param, form)
		}
		return nil
	}
}

// webhookID reads the :id of a webhook route.
func webhookID(c *gin.Context) (string, error) {
	id := c.Param("id")
	return id, idRule("id", portfoliod.ValidWebhookID, webhookIDForm)(id)
}

// webhookRequest is the body of POST /webhooks and, as a merge patch, of
// PATCH /webhooks/{id}.
type webhookRequest struct {
	URL         *string   `json:"url"`
	Types       *[]string `json:"types"`
	FrozenOnly  *bool     `json:"frozenOnly"`
	Description *string   `json:"description"`
	// Status is PATCH only: "enabled" or "disabled".
	Status *string `json:"status"`
}

// apply sets r's fields on e, checking the URL with the guard when it
// changes.
func (s *Server) applyWebhook(ctx context.Context, e *portfoliod.WebhookEndpoint, r webhookRequest, now time.Time) error {
	if r.URL != nil {
		if err := s.cfg.Webhooks.CheckURL(ctx, *r.URL); err != nil {
			return err
		}
		e.URL = *r.URL
	}
	if r.Types != nil {
		e.Types = *r.Types
	}
	if r.FrozenOnly != nil {
		e.FrozenOnly = *r.FrozenOnly
	}
	if r.Description != nil {
		e.Description = *r.Description
	}
	if r.Status != nil {
		switch *r.Status {
		case "enabled":
			if e.Disabled {
				e.Disabled, e.DisabledReason, e.FailingSince = false, "", time.Time{}
			}
		case "disabled":
			if !e.Disabled {
				e.Disabled, e.DisabledReason = true, "disabled by an operator"
			}
		default:
			return invalid("status", "status must be enabled or disabled")
		}
	}
	e.UpdatedAt = now
	return e.Validate()
}

func (s *Server) createWebhook(c *gin.Context) {
	var r webhookRequest
	if err := decodeStrict(c, &r); err != nil {
		writeError(c, err)
		return
	}
	if r.Status != nil {
		writeError(c, invalid("status", "a new endpoint is enabled; status is set with PATCH"))
		return
	}
	if r.URL == nil {
		writeError(c, invalid("url", "url is required"))
		return
	}
	if r.Types == nil {
		r.Types = &[]string{portfoliod.EventBalanceUpdated}
	}
	now := time.Now().UTC()
	e := portfoliod.WebhookEndpoint{ID: portfoliod.NewWebhookID(), Secret: portfoliod.NewWebhookSecret(), CreatedAt: now}
	ctx := c.Request.Context()
	if err := s.applyWebhook(ctx, &e, r, now); err != nil {
		writeError(c, err)
		return
	}
	if err := s.cfg.Webhooks.CreateWebhook(ctx, e); err != nil {
		writeError(c, err)
		return
	}
	loggerFrom(c).Info("webhook endpoint created", "endpoint", e.ID)
	out := toWebhookJSON(e, now)
	out.Secret = e.Secret
	c.JSON(http.StatusCreated, out)
}

func (s *Server) listWebhooks(c *gin.Context) {
	pg, err := s.parsePage(c, idRule("startingAfter", portfoliod.ValidWebhookID, webhookIDForm), false)
	if err != nil {
		writeError(c, err)
		return
	}
	page, more, err := s.cfg.Webhooks.Webhooks(c.Request.Context(), portfoliod.ListOptions{Limit: pg.limit, StartingAfter: pg.after})
	if err != nil {
		writeError(c, err)
		return
	}
	now := time.Now()
	out := listJSON[webhookJSON]{Object: "list", Data: make([]webhookJSON, len(page)), HasMore: more}
	for i, e := range page {
		out.Data[i] = toWebhookJSON(e, now)
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) getWebhook(c *gin.Context) {
	id, err := webhookID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	e, err := s.cfg.Webhooks.Webhook(c.Request.Context(), id)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toWebhookJSON(e, time.Now()))
}

func (s *Server) patchWebhook(c *gin.Context) {
	id, err := webhookID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	var raw map[string]json.RawMessage
	if err := decodeStrict(c, &raw); err != nil {
		writeError(c, err)
		return
	}
	if raw == nil {
		writeError(c, invalid("", "request body must be a JSON object"))
		return
	}
	for k, v := range raw {
		if isNull(v) {
			writeError(c, invalid(k, "%s cannot be removed; send a value", k))
			return
		}
	}
	var r webhookRequest
	if err := decodeStrictBytes(mustJSON(raw), &r); err != nil {
		writeError(c, err)
		return
	}
	now := time.Now().UTC()
	ctx := c.Request.Context()
	e, err := s.cfg.Webhooks.UpdateWebhook(ctx, id, func(e *portfoliod.WebhookEndpoint) error {
		return s.applyWebhook(ctx, e, r, now)
	})
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toWebhookJSON(e, now))
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v) // a map of raw JSON values always marshals
	return b
}

func (s *Server) deleteWebhook(c *gin.Context) {
	id, err := webhookID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	if err := s.cfg.Webhooks.DeleteWebhook(c.Request.Context(), id); err != nil {
		writeError(c, err)
		return
	}
	loggerFrom(c).Info("webhook endpoint deleted", "endpoint", id)
	c.JSON(http.StatusOK, deletedJSON{ID: id, Object: "webhook_endpoint", Deleted: true})
}

// rotateWebhookSecret issues a new secret; the previous one keeps signing,
// beside it, for RotationOverlap.
func (s *Server) rotateWebhookSecret(c *gin.Context) {
	id, err := webhookID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	now := time.Now().UTC()
	secret := portfoliod.NewWebhookSecret()
	e, err := s.cfg.Webhooks.UpdateWebhook(c.Request.Context(), id, func(e *portfoliod.WebhookEndpoint) error {
		e.PreviousSecret, e.PreviousSecretUntil = e.Secret, now.Add(RotationOverlap)
		e.Secret, e.UpdatedAt = secret, now
		return nil
	})
	if err != nil {
		writeError(c, err)
		return
	}
	loggerFrom(c).Info("webhook secret rotated", "endpoint", id)
	out := toWebhookJSON(e, now)
	out.Secret = e.Secret
	c.JSON(http.StatusOK, out)
}

// testWebhook queues a webhook.test event for the endpoint, delivered by
// the dispatcher like any other.
func (s *Server) testWebhook(c *gin.Context) {
	id, err := webhookID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	e, err := s.cfg.Webhooks.Webhook(ctx, id)
	if err != nil {
		writeError(c, err)
		return
	}
	if e.Disabled {
		writeError(c, conflict("id", "the endpoint is disabled (%s); enable it with PATCH first", e.DisabledReason))
		return
	}
	now := time.Now().UTC()
	eventID := portfoliod.NewTestEventID()
	d := portfoliod.Delivery{ID: portfoliod.DeliveryID(id, eventID), EndpointID: id, EventID: eventID, EventType: portfoliod.EventWebhookTest,
		CreatedAt: now, Status: portfoliod.DeliveryPending, NextAttempt: now}
	if err := s.cfg.Webhooks.EnqueueDelivery(ctx, d); err != nil {
		writeError(c, err)
		return
	}
	s.cfg.Webhooks.Notify()
	c.JSON(http.StatusAccepted, toDeliveryJSON(d))
}

func (s *Server) listDeliveries(c *gin.Context) {
	id, err := webhookID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	pg, err := s.parsePage(c, idRule("startingAfter", portfoliod.ValidDeliveryID, deliveryIDForm), false)
	if err != nil {
		writeError(c, err)
		return
	}
	page, more, err := s.cfg.Webhooks.Deliveries(c.Request.Context(), id, portfoliod.ListOptions{Limit: pg.limit, StartingAfter: pg.after})
	if err != nil {
		writeError(c, err)
		return
	}
	out := listJSON[deliveryJSON]{Object: "list", Data: make([]deliveryJSON, len(page)), HasMore: more}
	for i, d := range page {
		out.Data[i] = toDeliveryJSON(d)
	}
	c.JSON(http.StatusOK, out)
}

// retryDelivery makes a failed delivery pending again, due now.
func (s *Server) retryDelivery(c *gin.Context) {
	id, err := webhookID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	did := c.Param("deliveryId")
	if err := idRule("deliveryId", portfoliod.ValidDeliveryID, deliveryIDForm)(did); err != nil {
		writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	if _, err := s.cfg.Webhooks.Webhook(ctx, id); err != nil {
		writeError(c, err)
		return
	}
	d, err := s.cfg.Webhooks.RetryDelivery(ctx, id, did, time.Now().UTC())
	if err != nil {
		writeError(c, err)
		return
	}
	s.cfg.Webhooks.Notify()
	c.JSON(http.StatusAccepted, toDeliveryJSON(d))
}
