-- The follower's state (SPEC sections 9 and 12): the event log, the last
-- known figures per (token, wallet) and the recent processed blocks. Every
-- replica follows the chain into these tables.

-- The event log. seq is log order; the id is unique, so an event several
-- replicas compute is stored once. customer_id, token and type are the
-- filters; payload holds the rest (amounts as decimal strings).
CREATE TABLE events (
    seq         bigserial PRIMARY KEY,
    id          text NOT NULL UNIQUE,
    type        text NOT NULL,
    created_at  timestamptz NOT NULL,
    customer_id text NOT NULL,
    token       bytea NOT NULL CHECK (length(token) = 20),
    payload     jsonb NOT NULL
);

CREATE INDEX events_created_at ON events (created_at);
CREATE INDEX events_customer_id ON events (customer_id, seq);
CREATE INDEX events_token ON events (token, seq);

-- The last figures the follower read for a wallet in a token, and the
-- block it read them at. Amounts are uint256: NUMERIC(78,0) holds them
-- exactly.
CREATE TABLE known_figures (
    token        bytea NOT NULL CHECK (length(token) = 20),
    wallet       bytea NOT NULL CHECK (length(wallet) = 20),
    total        numeric(78, 0) NOT NULL,
    frozen       numeric(78, 0) NOT NULL,
    available    numeric(78, 0) NOT NULL,
    block_number bigint NOT NULL,
    block_hash   bytea NOT NULL CHECK (length(block_hash) = 32),
    block_time   timestamptz NOT NULL,
    PRIMARY KEY (token, wallet)
);

-- The recent processed blocks, the newest being the cursor. touched are
-- the (token, wallet) pairs the block's logs named, each 40 bytes (token
-- then wallet), in order.
CREATE TABLE followed_blocks (
    number  bigint PRIMARY KEY CHECK (number >= 0),
    hash    bytea NOT NULL CHECK (length(hash) = 32),
    parent  bytea NOT NULL CHECK (length(parent) = 32),
    time    timestamptz NOT NULL,
    touched bytea[] NOT NULL DEFAULT '{}'
);
