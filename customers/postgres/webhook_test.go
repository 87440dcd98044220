package postgres

import (
	"testing"

	"github.com/portfoliod/portfoliod/customers/storetest"
)

// TestWebhookContract runs the webhook endpoints' and the outbox's
// contract against a real PostgreSQL server.
func TestWebhookContract(t *testing.T) {
	storetest.RunWebhooks(t, func(tb testing.TB) storetest.WebhookStore { return mustOpen(tb, Options{}) })
}
