-- Webhooks (SPEC sections 9 and 12): the endpoints and the durable outbox.
-- CommitBlock writes a delivery per endpoint that wants an event in the
-- transaction that appends the event; replicas claim the due ones with
-- FOR UPDATE SKIP LOCKED and a lease (next_attempt pushed ahead).
--
-- Times are timestamptz, which keeps microseconds: the store truncates to
-- the microsecond before writing (as for the event log), so whole seconds
-- and milliseconds round-trip exactly.

-- An endpoint. ids are compared as bytes (COLLATE "C"), so pages follow
-- id order whatever the database's locale. A NULL time is a zero one: no
-- previous secret, not failing.
CREATE TABLE webhook_endpoints (
    id                    text COLLATE "C" PRIMARY KEY,
    url                   text NOT NULL,
    types                 text[] NOT NULL DEFAULT '{}',
    frozen_only           boolean NOT NULL DEFAULT false,
    description           text NOT NULL DEFAULT '',
    secret                text NOT NULL,
    previous_secret       text NOT NULL DEFAULT '',
    previous_secret_until timestamptz,
    disabled              boolean NOT NULL DEFAULT false,
    disabled_reason       text NOT NULL DEFAULT '',
    failing_since         timestamptz,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

-- The outbox: an event owed to an endpoint, and its attempts. seq is
-- creation order (an endpoint's deliveries are listed newest first by it).
-- event_id references no table: a webhook.test event is in no log, and
-- the log is purged on its own schedule. attempts are the newest
-- MaxKeptAttempts, oldest first; attempt_count counts them all.
-- next_attempt is set exactly while pending: when it is due, or when a
-- claim's lease lapses.
CREATE TABLE webhook_deliveries (
    id            text PRIMARY KEY,
    seq           bigserial NOT NULL,
    endpoint_id   text COLLATE "C" NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id      text NOT NULL,
    event_type    text NOT NULL,
    created_at    timestamptz NOT NULL,
    status        text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempt_count integer NOT NULL DEFAULT 0,
    attempts      jsonb NOT NULL DEFAULT '[]',
    next_attempt  timestamptz,
    CHECK ((status = 'pending') = (next_attempt IS NOT NULL))
);

-- A claim reads only what is due.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt) WHERE status = 'pending';
-- An endpoint's deliveries, newest first; also failing its pending ones.
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq DESC);
-- The purge of finished deliveries by age.
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (created_at) WHERE status <> 'pending';
