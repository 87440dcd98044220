package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/portfoliod/portfoliod"
)

// The follower's state (portfoliod.FollowerStore) in the tables of
// migration 0002: events (the log, in seq order), known_figures and
// followed_blocks. Every replica follows the chain into them.

var _ portfoliod.FollowerStore = (*Store)(nil)

// followerLock is the advisory lock CommitBlock holds until it commits:
// commits from several replicas run one after the other, so the log's seq
// values become visible in order (a reader paging after an id never skips
// a row an earlier transaction commits later) and a replica replaying a
// block another one committed sees it. "portfoliod follow" in ASCII,
// truncated, like migrationLock.
const followerLock int64 = 0x706f7274666f6c6c

// purgeChunk bounds the rows one DELETE of PurgeEvents removes, so a large
// purge never holds its locks (or runs) for long.
const purgeChunk = 10_000

// eventPayload is the stored form of an event's data beyond the columns
// (id, type, created_at, customer_id, token): the storage format, as the
// domain types carry no tags.
type eventPayload struct {
	Wallet   string   `json:"wallet"`
	Block    blockRec `json:"block"`
	Previous figRec   `json:"previous"`
	Balances figRec   `json:"balances"`
	Changed  []string `json:"changed,omitempty"`
	Txs      []string `json:"txs,omitempty"`
	Reorg    bool     `json:"reorg,omitempty"`
}

type blockRec struct {
	Number uint64 `json:"n"`
	Hash   string `json:"h"`
	Time   int64  `json:"t"` // Unix seconds
}

// figRec holds amounts as decimal strings: JSON numbers would lose
// uint256 precision in most readers.
type figRec struct {
	Total     string `json:"t"`
	Frozen    string `json:"f"`
	Available string `json:"a"`
}

func toBlockRec(b portfoliod.Block) blockRec {
	return blockRec{Number: b.Number, Hash: b.Hash.Hex(), Time: b.Time.Unix()}
}

func (r blockRec) block() portfoliod.Block {
	return portfoliod.Block{Number: r.Number, Hash: common.HexToHash(r.Hash), Time: time.Unix(r.Time, 0).UTC()}
}

func toFigRec(f portfoliod.Figures) figRec {
	return figRec{Total: f.Total.String(), Frozen: f.Frozen.String(), Available: f.Available.String()}
}

func (r figRec) figures() (portfoliod.Figures, error) {
	return parseFigures(r.Total, r.Frozen, r.Available)
}

// parseFigures reads three decimal amounts.
func parseFigures(total, frozen, available string) (portfoliod.Figures, error) {
	var f portfoliod.Figures
	for _, a := range []struct {
		dst **big.Int
		s   string
	}{{&f.Total, total}, {&f.Frozen, frozen}, {&f.Available, available}} {
		v, ok := new(big.Int).SetString(a.s, 10)
		if !ok {
			return f, fmt.Errorf("corrupt amount %q", a.s)
		}
		*a.dst = v
	}
	return f, nil
}

// timestamp is t as PostgreSQL keeps it: microseconds (pgx truncates the
// rest; doing it here says so).
func timestamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func encodePayload(e portfoliod.Event) (string, error) {
	d := e.Data
	for _, f := range []portfoliod.Figures{d.Previous, d.Balances} {
		if f.Total == nil || f.Frozen == nil || f.Available == nil {
			return "", fmt.Errorf("event %s: an amount is missing", e.ID)
		}
	}
	p := eventPayload{Wallet: d.Wallet.Hex(), Block: toBlockRec(d.Block),
		Previous: toFigRec(d.Previous), Balances: toFigRec(d.Balances), Changed: d.Changed, Reorg: d.Reorg}
	for _, h := range d.Transactions {
		p.Txs = append(p.Txs, h.Hex())
	}
	b, err := json.Marshal(p)
	return string(b), err
}

// figuresSQL upserts one (token, wallet)'s known figures ($1 to $8) and
// keeps the frozen-since columns with them, on the row as it is, so that
// replicas committing at once agree: a freeze (frozen from 0, or no row,
// to above 0) is since the figures' block and $9, the transaction of the
// commit's event for the pair (NULL when none); a wallet still frozen
// keeps its since; frozen at 0 clears it.
const figuresSQL = `INSERT INTO known_figures (token, wallet, total, frozen, available, block_number, block_hash, block_time,
		since_block_number, since_block_hash, since_block_time, since_tx, address_frozen)
	VALUES ($1, $2, $3::numeric, $4::numeric, $5::numeric, $6, $7, $8,
		CASE WHEN $4::numeric > 0 THEN $6::bigint END, CASE WHEN $4::numeric > 0 THEN $7::bytea END,
		CASE WHEN $4::numeric > 0 THEN $8::timestamptz END, CASE WHEN $4::numeric > 0 THEN $9::bytea END, $10)
	ON CONFLICT (token, wallet) DO UPDATE SET total = excluded.total, frozen = excluded.frozen, available = excluded.available,
		address_frozen = excluded.address_frozen,
		block_number = excluded.block_number, block_hash = excluded.block_hash, block_time = excluded.block_time,
		since_block_number = CASE WHEN ` + stillFrozen + ` THEN known_figures.since_block_number ELSE excluded.since_block_number END,
		since_block_hash = CASE WHEN ` + stillFrozen + ` THEN known_figures.since_block_hash ELSE excluded.since_block_hash END,
		since_block_time = CASE WHEN ` + stillFrozen + ` THEN known_figures.since_block_time ELSE excluded.since_block_time END,
		since_tx = CASE WHEN ` + stillFrozen + ` THEN known_figures.since_tx ELSE excluded.since_tx END`

// stillFrozen is figuresSQL's test that the row was frozen, with a since,
// and stays frozen (excluded's since columns are NULL when it does not).
const stillFrozen = `(known_figures.frozen > 0 AND excluded.frozen > 0 AND known_figures.since_block_number IS NOT NULL)`

// newerFiguresSQL is figuresSQL that leaves figures read at a higher
// block (SetKnownFigures: a wallet read when linked while the follower
// moved on).
const newerFiguresSQL = figuresSQL + `
	WHERE known_figures.block_number <= excluded.block_number`

// checkFigures refuses figures the tables cannot hold.
func checkFigures(f portfoliod.TokenWalletFigures) error {
	k := f.Known
	if k.Total == nil || k.Frozen == nil || k.Available == nil {
		return fmt.Errorf("figures of %s in %s: an amount is missing", f.Wallet.Hex(), f.Token.Hex())
	}
	if k.Block.Number > math.MaxInt64 {
		return fmt.Errorf("figures of %s in %s: block number %d out of range", f.Wallet.Hex(), f.Token.Hex(), k.Block.Number)
	}
	return nil
}

// queueFigures queues the upserts of figures, checked by checkFigures, in
// order: a pair given twice keeps its last figures. froze holds the
// transaction that froze a pair, if its figures start a freeze (nil for
// none).
func queueFigures(b *pgx.Batch, sql string, figures []portfoliod.TokenWalletFigures, froze map[portfoliod.TokenWallet]common.Hash) {
	for _, f := range figures {
		k := f.Known
		var tx []byte // NULL: no transaction
		if h, ok := froze[f.TokenWallet]; ok && h != (common.Hash{}) {
			tx = h.Bytes()
		}
		b.Queue(sql, f.Token.Bytes(), f.Wallet.Bytes(), k.Total.String(), k.Frozen.String(), k.Available.String(),
			int64(k.Block.Number), k.Block.Hash.Bytes(), timestamp(k.Block.Time), tx, k.AddressFrozen)
	}
}

// appendEventSQL appends an event ($1 to $6) unless its id is in the log.
const appendEventSQL = `INSERT INTO events (id, type, created_at, customer_id, token, payload) VALUES ($1, $2, $3, $4, $5, $6)
	ON CONFLICT (id) DO NOTHING`

// appendEventDeliveriesSQL is appendEventSQL that also writes, if the
// event was appended (not already in the log), its pending deliveries $7
// to the endpoints $8, due at its creation: the outbox half of
// CommitBlock. A delivery id already stored is left alone.
const appendEventDeliveriesSQL = `WITH appended AS (
		INSERT INTO events (id, type, created_at, customer_id, token, payload) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO NOTHING
		RETURNING id)
	INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, created_at, status, next_attempt)
	SELECT d.id, d.endpoint_id, appended.id, $2::text, $3::timestamptz, 'pending', $3::timestamptz
	FROM appended, unnest($7::text[], $8::text[]) AS d (id, endpoint_id)
	ON CONFLICT (id) DO NOTHING`

// CommitBlock appends c's events (skipping ids already in the log), sets
// its figures and records its block as the cursor, in one transaction:
// kept blocks numbered at or above c.Block's are deleted first (a reorg's
// new block replaces them), and those older than the kept depth after.
// In that transaction it writes the outbox: a pending delivery of each
// appended event to every enabled endpoint that Wants it.
//
// Commits run one at a time across replicas (an advisory lock), and a
// commit of a block already kept with the same hash and parent is a
// replay, another replica's or a retry's, and changes nothing: replacing
// the newer blocks and figures another replica committed since would move
// the cursor back and set figures older than the events in the log.
func (s *Store) CommitBlock(ctx context.Context, c portfoliod.BlockCommit) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.Block.Number > math.MaxInt64 {
		return fmt.Errorf("block number %d out of range", c.Block.Number)
	}
	payloads := make([]string, len(c.Events))
	for i, e := range c.Events {
		var err error
		if payloads[i], err = encodePayload(e); err != nil {
			return err
		}
	}
	touched := make([][]byte, len(c.Touched))
	for i, tw := range c.Touched {
		touched[i] = append(tw.Token.Bytes(), tw.Wallet.Bytes()...)
	}
	for _, f := range c.Figures {
		if err := checkFigures(f); err != nil {
			return err
		}
	}
	// The transaction of a pair's event, its since if the figures
	// freeze it.
	froze := map[portfoliod.TokenWallet]common.Hash{}
	for _, e := range c.Events {
		if len(e.Data.Transactions) > 0 {
			froze[portfoliod.TokenWallet{Token: e.Data.Token, Wallet: e.Data.Wallet}] = e.Data.Transactions[0]
		}
	}
	number := int64(c.Block.Number)
	// A batch is sent once: each attempt queues its own, with the
	// endpoints it read.
	batch := func(endpoints []portfoliod.WebhookEndpoint) *pgx.Batch {
		b := new(pgx.Batch)
		for i, e := range c.Events {
			var ids, to []string // the deliveries of e, and their endpoints
			for _, ep := range endpoints {
				if ep.Wants(e) {
					ids, to = append(ids, portfoliod.DeliveryID(ep.ID, e.ID)), append(to, ep.ID)
				}
			}
			sql := appendEventSQL
			args := []any{e.ID, e.Type, timestamp(e.CreatedAt), e.Data.CustomerID, e.Data.Token.Bytes(), payloads[i]}
			if len(ids) > 0 {
				sql, args = appendEventDeliveriesSQL, append(args, ids, to)
			}
			b.Queue(sql, args...)
		}
		queueFigures(b, figuresSQL, c.Figures, froze)
		b.Queue(`DELETE FROM followed_blocks WHERE number >= $1`, number)
		b.Queue(`INSERT INTO followed_blocks (number, hash, parent, time, touched) VALUES ($1, $2, $3, $4, $5)`,
			number, c.Block.Hash.Bytes(), c.Parent.Bytes(), timestamp(c.Block.Time), touched)
		// Keep the blocks of the newest recentBlocks numbers: a reorg
		// deeper than that is followed by a sweep, not by walking back.
		b.Queue(`DELETE FROM followed_blocks WHERE number < $1`, number-int64(s.recentBlocks)+1)
		if len(c.Events) > 0 {
			// Sent at commit, to every replica's Listen: their streams
			// read the new events from the log.
			b.Queue(`SELECT pg_notify($1, $2)`, eventsChannel, strconv.FormatInt(number, 10))
		}
		return b
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, followerLock); err != nil {
			return err
		}
		var hash, parent []byte
		err := tx.QueryRow(ctx, `SELECT hash, parent FROM followed_blocks WHERE number = $1`, number).Scan(&hash, &parent)
		switch {
		case err == nil && common.BytesToHash(hash) == c.Block.Hash && common.BytesToHash(parent) == c.Parent:
			return nil // a replay
		case err != nil && !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		// The endpoints cost a round trip when there are events: which
		// ones want an event is the domain's Wants, decided here, not
		// restated in SQL.
		var endpoints []portfoliod.WebhookEndpoint
		if len(c.Events) > 0 {
			if endpoints, err = enabledEndpoints(ctx, tx); err != nil {
				return err
			}
		}
		return tx.SendBatch(ctx, batch(endpoints)).Close()
	})
}

// RecentBlocks returns the kept processed blocks, newest first.
func (s *Store) RecentBlocks(ctx context.Context) ([]portfoliod.FollowedBlock, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT number, hash, parent, time, touched FROM followed_blocks ORDER BY number DESC`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (portfoliod.FollowedBlock, error) {
		var (
			fb           portfoliod.FollowedBlock
			number       int64
			hash, parent []byte
			touched      [][]byte
		)
		if err := r.Scan(&number, &hash, &parent, &fb.Block.Time, &touched); err != nil {
			return fb, err
		}
		fb.Block.Number, fb.Block.Hash, fb.Block.Time, fb.Parent = uint64(number), common.BytesToHash(hash), fb.Block.Time.UTC(), common.BytesToHash(parent)
		for _, t := range touched {
			if len(t) != 2*common.AddressLength {
				return fb, fmt.Errorf("followed block %d: corrupt touched pair of %d bytes", number, len(t))
			}
			fb.Touched = append(fb.Touched, portfoliod.TokenWallet{Token: common.BytesToAddress(t[:20]), Wallet: common.BytesToAddress(t[20:])})
		}
		return fb, nil
	})
}

// KnownFigures returns the last known figures of those wallets in token
// that have any.
func (s *Store) KnownFigures(ctx context.Context, token common.Address, wallets []common.Address) (map[common.Address]portfoliod.KnownFigures, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[common.Address]portfoliod.KnownFigures, len(wallets))
	if len(wallets) == 0 {
		return out, nil
	}
	ws := make([][]byte, len(wallets))
	for i, w := range wallets {
		ws[i] = w.Bytes()
	}
	rows, err := s.pool.Query(ctx, `SELECT wallet, total::text, frozen::text, available::text, block_number, block_hash, block_time, address_frozen
		FROM known_figures WHERE token = $1 AND wallet = ANY($2)`, token.Bytes(), ws)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			w, hash                  []byte
			total, frozen, available string
			number                   int64
			at                       time.Time
			flagged                  bool
		)
		if err := rows.Scan(&w, &total, &frozen, &available, &number, &hash, &at, &flagged); err != nil {
			return nil, err
		}
		f, err := parseFigures(total, frozen, available)
		f.AddressFrozen = flagged
		if err != nil {
			return nil, fmt.Errorf("figures of %s: %w", common.BytesToAddress(w).Hex(), err)
		}
		out[common.BytesToAddress(w)] = portfoliod.KnownFigures{Figures: f,
			Block: portfoliod.Block{Number: uint64(number), Hash: common.BytesToHash(hash), Time: at.UTC()}}
	}
	return out, rows.Err()
}

// SetKnownFigures sets figures without an event, in one transaction.
func (s *Store) SetKnownFigures(ctx context.Context, figures []portfoliod.TokenWalletFigures) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(figures) == 0 {
		return nil
	}
	for _, f := range figures {
		if err := checkFigures(f); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		b := new(pgx.Batch)
		queueFigures(b, newerFiguresSQL, figures, nil)
		return tx.SendBatch(ctx, b).Close()
	})
}

// Events returns a page of the log after q.After matching q's filters, in
// log order, and whether more follow.
func (s *Store) Events(ctx context.Context, q portfoliod.EventQuery) ([]portfoliod.Event, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = portfoliod.DefaultListLimit
	case limit > portfoliod.MaxEventPage:
		limit = portfoliod.MaxEventPage
	}
	var after int64
	if q.After != "" {
		err := s.pool.QueryRow(ctx, `SELECT seq FROM events WHERE id = $1`, q.After).Scan(&after)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, false, portfoliod.ErrEventNotFound
		}
		if err != nil {
			return nil, false, err
		}
	}
	var token []byte // NULL: any token
	if q.Token != (common.Address{}) {
		token = q.Token.Bytes()
	}
	sql := `SELECT id, type, created_at, customer_id, token, payload FROM events
		WHERE seq > $1 AND ($2 = '' OR customer_id = $2) AND ($3::bytea IS NULL OR token = $3) AND ($4 = '' OR type = $4)
		ORDER BY seq LIMIT $5`
	if q.Newest {
		if q.After == "" {
			after = math.MaxInt64
		}
		sql = `SELECT id, type, created_at, customer_id, token, payload FROM events
		WHERE seq < $1 AND ($2 = '' OR customer_id = $2) AND ($3::bytea IS NULL OR token = $3) AND ($4 = '' OR type = $4)
		ORDER BY seq DESC LIMIT $5`
	}
	rows, err := s.pool.Query(ctx, sql, after, q.CustomerID, token, q.Type, limit+1)
	if err != nil {
		return nil, false, err
	}
	page, err := pgx.CollectRows(rows, scanEvent)
	if err != nil {
		return nil, false, err
	}
	if len(page) > limit {
		return page[:limit], true, nil
	}
	return page, false, nil
}

// scanEvent reads a row of id, type, created_at, customer_id, token,
// payload.
func scanEvent(r pgx.CollectableRow) (portfoliod.Event, error) {
	var (
		e       portfoliod.Event
		token   []byte
		payload []byte
	)
	if err := r.Scan(&e.ID, &e.Type, &e.CreatedAt, &e.Data.CustomerID, &token, &payload); err != nil {
		return e, err
	}
	var p eventPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return e, fmt.Errorf("corrupt event %s: %w", e.ID, err)
	}
	prev, err := p.Previous.figures()
	if err != nil {
		return e, fmt.Errorf("corrupt event %s: %w", e.ID, err)
	}
	cur, err := p.Balances.figures()
	if err != nil {
		return e, fmt.Errorf("corrupt event %s: %w", e.ID, err)
	}
	e.CreatedAt = e.CreatedAt.UTC()
	e.Data.Token, e.Data.Wallet = common.BytesToAddress(token), common.HexToAddress(p.Wallet)
	e.Data.Block, e.Data.Previous, e.Data.Balances = p.Block.block(), prev, cur
	e.Data.Changed, e.Data.Reorg = p.Changed, p.Reorg
	for _, h := range p.Txs {
		e.Data.Transactions = append(e.Data.Transactions, common.HexToHash(h))
	}
	return e, nil
}

// PurgeEvents deletes the events created before t (to the microsecond
// the log keeps) and returns how many it deleted, in chunks of
// purgeChunk, each its own statement.
func (s *Store) PurgeEvents(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	for {
		tag, err := s.pool.Exec(ctx, `DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE created_at < $1 LIMIT $2)`,
			timestamp(before), purgeChunk)
		if err != nil {
			return n, err
		}
		n += int(tag.RowsAffected())
		if tag.RowsAffected() < purgeChunk {
			return n, nil
		}
	}
}
