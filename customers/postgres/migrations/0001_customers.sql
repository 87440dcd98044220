-- Customer profiles, the wallet index and idempotency records.

CREATE TABLE customers (
    id                  text PRIMARY KEY,
    type                text NOT NULL,
    country_code        text NOT NULL,
    verification_status text NOT NULL,
    name                text NOT NULL DEFAULT '',
    username            text NOT NULL DEFAULT '',
    email               text NOT NULL DEFAULT '',
    phone               text NOT NULL DEFAULT '',
    metadata            jsonb,          -- string values; NULL when none
    address             jsonb,          -- the postal address; NULL when none
    created_at          timestamptz NOT NULL
);

-- The wallet index: the primary key makes a wallet belong to at most one
-- customer, whichever replica writes it. position keeps a customer's
-- wallets in the order they were linked.
CREATE TABLE wallets (
    address     bytea PRIMARY KEY CHECK (length(address) = 20),
    customer_id text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position    bigint NOT NULL,
    UNIQUE (customer_id, position)
);

-- The first response to a POST with an Idempotency-Key, replayed by any
-- replica. scope and key are bytes: a key may hold any byte, NUL included.
CREATE TABLE idempotency (
    scope        bytea NOT NULL,
    key          bytea NOT NULL,
    request_hash bytea NOT NULL,
    status       integer NOT NULL,
    header       jsonb,                 -- NULL when none
    body         bytea NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE INDEX idempotency_created_at ON idempotency (created_at);
