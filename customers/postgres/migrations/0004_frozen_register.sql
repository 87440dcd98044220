-- The frozen-funds register (GET /frozen): since when each (token, wallet)
-- has been frozen, and an index in the register's order.

-- since_* say when the frozen amount last went from zero to above it: the
-- block of the figures that froze it and the first transaction of that
-- block's event for the wallet (NULL when a sweep or a first read found
-- it frozen). They are NULL while frozen is 0.
ALTER TABLE known_figures
    ADD COLUMN since_block_number bigint,
    ADD COLUMN since_block_hash   bytea CHECK (length(since_block_hash) = 32),
    ADD COLUMN since_block_time   timestamptz,
    ADD COLUMN since_tx           bytea CHECK (length(since_tx) = 32);

-- Figures frozen before this migration: frozen since the block they were
-- read at, as a first read would say, with no transaction.
UPDATE known_figures SET since_block_number = block_number, since_block_hash = block_hash, since_block_time = block_time
    WHERE frozen > 0;

-- The register's order: a token's frozen wallets by frozen amount
-- descending, then wallet.
CREATE INDEX known_figures_frozen ON known_figures (token, frozen DESC, wallet) WHERE frozen > 0;
