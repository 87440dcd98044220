package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod"
)

// Events is the live layer the stream routes need: the stored event log
// and the subscriptions to events as they are committed. A nil Events in
// Config turns the routes off (404).
type Events interface {
	// Log returns a page of the event log (portfoliod.FollowerStore).
	Events(ctx context.Context, q portfoliod.EventQuery) ([]portfoliod.Event, bool, error)
	// Subscribe returns the events filter accepts from now on.
	Subscribe(filter func(portfoliod.Event) bool) Subscription
	// Linked is told of wallets a write just gave a customer, to read
	// their figures (best effort: a failure is logged, the write stands).
	Linked(ctx context.Context, wallets []common.Address) error
	// Frozen is a page of the frozen-funds register, and Head the block
	// its figures are the chain's at (false before the follower starts).
	Frozen(ctx context.Context, q portfoliod.FrozenQuery) (portfoliod.FrozenPage, error)
	Head() (portfoliod.Block, bool)
	// FrozenSeries is token's frozen total at from, from+step, … to.
	FrozenSeries(ctx context.Context, token common.Address, from, to time.Time, step time.Duration) ([]portfoliod.FrozenPoint, error)
}

// Subscription is one stream client's feed. Its channel is closed when
// the feed ends (the client fell behind, or the service shuts down).
type Subscription interface {
	Events() <-chan portfoliod.Event
	Close()
}

// Stream settings.
const (
	// heartbeatEvery is the comment heartbeat that keeps proxies from
	// closing an idle stream (SPEC section 9).
	heartbeatEvery = 15 * time.Second
	// retryHintMs is the reconnect delay suggested to clients.
	retryHintMs = 3000
	// DefaultMaxStreamsPerKey bounds the open streams of one API key.
	DefaultMaxStreamsPerKey = 64
)

// streamLimiter counts open streams per key.
type streamLimiter struct {
	mu   sync.Mutex
	max  int
	open map[string]int
}

func (l *streamLimiter) acquire(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key] >= l.max {
		return false
	}
	l.open[key]++
	return true
}

func (l *streamLimiter) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open[key]--
}

// eventJSON is an event on the wire (SPEC section 9).
type eventJSON struct {
	ID        string        `json:"id"`
	Object    string        `json:"object"`
	Type      string        `json:"type"`
	CreatedAt string        `json:"createdAt"`
	Data      eventDataJSON `json:"data"`
}

type eventDataJSON struct {
	CustomerID   string       `json:"customerId"`
	Wallet       string       `json:"wallet"`
	Token        string       `json:"token"`
	Block        blockJSON    `json:"block"`
	Previous     figuresJSON  `json:"previous"`
	Balances     balancesJSON `json:"balances"`
	Changed      []string     `json:"changed"`
	Transactions []string     `json:"transactions"`
	Reorg        bool         `json:"reorg"`
}

type blockJSON struct {
	Number    uint64 `json:"number"`
	Hash      string `json:"hash"`
	Timestamp string `json:"timestamp"`
}

type figuresJSON struct {
	Total     string     `json:"total"`
	Available amountJSON `json:"available"`
	Frozen    amountJSON `json:"frozen"`
}

func toEventJSON(e portfoliod.Event) eventJSON {
	d := e.Data
	out := eventJSON{ID: e.ID, Object: "event", Type: e.Type, CreatedAt: e.CreatedAt.UTC().Format(time.RFC3339), Data: eventDataJSON{
		CustomerID: d.CustomerID, Wallet: lowerHex(d.Wallet), Token: lowerHex(d.Token),
		Block:    blockJSON{Number: d.Block.Number, Hash: d.Block.Hash.Hex(), Timestamp: d.Block.Time.UTC().Format(time.RFC3339)},
		Previous: figuresJSON{Total: d.Previous.Total.String(), Available: amountJSON{d.Previous.Available.String()}, Frozen: amountJSON{d.Previous.Frozen.String()}},
		Balances: balancesJSON{Token: lowerHex(d.Token), Total: d.Balances.Total.String(),
			Available: amountJSON{d.Balances.Available.String()}, Frozen: amountJSON{d.Balances.Frozen.String()}},
		Changed: append([]string{}, d.Changed...), Transactions: make([]string, len(d.Transactions)), Reorg: d.Reorg,
	}}
	for i, h := range d.Transactions {
		out.Data.Transactions[i] = h.Hex()
	}
	return out
}

// eventFilter is what /events and /customer/{id}/events select.
type eventFilter struct {
	customerID string
	token      common.Address
	typ        string
}

func (f eventFilter) match(e portfoliod.Event) bool {
	return (f.customerID == "" || e.Data.CustomerID == f.customerID) &&
		(f.token == (common.Address{}) || e.Data.Token == f.token) &&
		(f.typ == "" || e.Type == f.typ)
}

// parseEventFilter reads ?type=, ?customer= and ?token= (only type and
// token on a customer's stream), rejecting anything else but limit and
// startingAfter.
func (s *Server) parseEventFilter(c *gin.Context, customerRoute bool) (eventFilter, error) {
	var f eventFilter
	for k, v := range c.Request.URL.Query() {
		switch k {
		case "type":
			if v[0] != portfoliod.EventBalanceUpdated {
				return f, invalid("type", "type must be %s", portfoliod.EventBalanceUpdated)
			}
			f.typ = v[0]
		case "customer":
			if customerRoute {
				return f, invalid(k, "unknown query parameter %q", k)
			}
			id, err := portfoliod.ParseCustomerID("customer", v[0])
			if err != nil {
				return f, err
			}
			f.customerID = id
		case "token":
			t, err := s.parseToken(v[0])
			if err != nil {
				return f, err
			}
			f.token = t
		case "limit", "startingAfter":
			if customerRoute {
				return f, invalid(k, "unknown query parameter %q", k)
			}
		default:
			return f, invalid(k, "unknown query parameter %q", k)
		}
	}
	return f, nil
}

// pageParams are the query parameters of the log and register pages.
type pageParams struct {
	token common.Address // zero: not given
	limit int
	after string // checked by the page's cursor rule
}

// parsePage reads ?limit=, ?startingAfter= (checked by cursor) and, with
// tokens, ?token= (a configured token), refusing any other parameter.
func (s *Server) parsePage(c *gin.Context, cursor func(string) error, tokens bool) (pageParams, error) {
	pg := pageParams{limit: portfoliod.DefaultListLimit}
	for k, v := range c.Request.URL.Query() {
		var err error
		switch {
		case k == "token" && tokens:
			pg.token, err = s.parseToken(v[0])
		case k == "limit":
			pg.limit, err = parseLimit(v[0])
		case k == "startingAfter":
			if err = cursor(v[0]); err == nil {
				pg.after = v[0]
			}
		default:
			err = invalid(k, "unknown query parameter %q", k)
		}
		if err != nil {
			return pg, err
		}
	}
	return pg, nil
}

// parseEventCursor checks a startingAfter that names an event.
func parseEventCursor(raw string) error {
	if !portfoliod.ValidEventID(raw) {
		return invalid("startingAfter", "startingAfter must be an event id (evt_ and 32 hex digits)")
	}
	return nil
}

// tokenOrDefault is t, or the default (first configured) token when t is
// zero.
func (s *Server) tokenOrDefault(t common.Address) (common.Address, error) {
	if t != (common.Address{}) {
		return t, nil
	}
	if s.portfolios == nil || len(s.portfolios.Tokens()) == 0 {
		return common.Address{}, portfoliod.ErrUnknownToken
	}
	return s.portfolios.Tokens()[0].Address, nil
}

// followerHead is the block the register's figures are the chain's at.
func (s *Server) followerHead() (portfoliod.Block, error) {
	head, ok := s.events.Head()
	if !ok {
		return portfoliod.Block{}, fmt.Errorf("%w: the chain follower has not started", portfoliod.ErrChainUnavailable)
	}
	return head, nil
}

// parseToken reads a ?token= that must name a configured token.
func (s *Server) parseToken(raw string) (common.Address, error) {
	t, err := parseAddress("token", raw)
	if err != nil {
		return common.Address{}, err
	}
	if !s.tokenConfigured(t) {
		return common.Address{}, portfoliod.ErrUnknownToken
	}
	return t, nil
}

func (s *Server) tokenConfigured(t common.Address) bool {
	if s.portfolios == nil {
		return false
	}
	for _, tok := range s.portfolios.Tokens() {
		if tok.Address == t {
			return true
		}
	}
	return false
}

// hasFlags reports whether token t's freeze model has flag functions.
func (s *Server) hasFlags(t common.Address) bool {
	if s.portfolios == nil {
		return false
	}
	for _, tok := range s.portfolios.Tokens() {
		if tok.Address == t {
			return len(tok.Freeze.FlagFns) > 0
		}
	}
	return false
}

// wantsStream reports whether the client asked for server-sent events.
func wantsStream(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "text/event-stream")
}

// liveOn answers 404 when the service runs without the live layer.
func (s *Server) liveOn(c *gin.Context) {
	if s.events == nil {
		writeError(c, notFound("", "live balances are off (live.enabled: false)"))
		return
	}
	c.Next()
}

// listEvents answers GET /events: a cursor page of the event log, or, with
// Accept: text/event-stream, the stream of every event.
func (s *Server) listEvents(c *gin.Context) {
	f, err := s.parseEventFilter(c, false)
	if err != nil {
		writeError(c, err)
		return
	}
	if wantsStream(c) {
		s.stream(c, f, "")
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RequestTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	q := portfoliod.EventQuery{Limit: portfoliod.DefaultListLimit, CustomerID: f.customerID, Token: f.token, Type: f.typ}
	if raw := c.Query("limit"); raw != "" {
		if q.Limit, err = parseLimit(raw); err != nil {
			writeError(c, err)
			return
		}
	}
	if raw := c.Query("startingAfter"); raw != "" {
		if err := parseEventCursor(raw); err != nil {
			writeError(c, err)
			return
		}
		q.After = raw
	}
	s.writeEventPage(c, q)
}

// customerHistory answers GET /customer/{id}/history: the customer's
// balance.updated events from the log, newest first, a cursor page
// (startingAfter: the last id of the previous page), filter token.
func (s *Server) customerHistory(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	pg, err := s.parsePage(c, parseEventCursor, true)
	if err != nil {
		writeError(c, err)
		return
	}
	q := portfoliod.EventQuery{Newest: true, CustomerID: id, Type: portfoliod.EventBalanceUpdated,
		Token: pg.token, Limit: pg.limit, After: pg.after}
	if _, err := s.store.Get(c.Request.Context(), id); err != nil {
		writeError(c, err)
		return
	}
	s.writeEventPage(c, q)
}

// writeEventPage answers a cursor page of the event log.
func (s *Server) writeEventPage(c *gin.Context, q portfoliod.EventQuery) {
	evs, more, err := s.events.Events(c.Request.Context(), q)
	if err != nil {
		if errors.Is(err, portfoliod.ErrEventNotFound) {
			err = invalid("startingAfter", "%s", portfoliod.ErrEventNotFound.Message)
		}
		writeError(c, err)
		return
	}
	out := listJSON[eventJSON]{Object: "list", Data: make([]eventJSON, len(evs)), HasMore: more}
	for i, e := range evs {
		out.Data[i] = toEventJSON(e)
	}
	c.JSON(http.StatusOK, out)
}

// customerEvents answers GET /customer/{id}/events: a portfolio event,
// then every balance.updated of the customer's wallets.
func (s *Server) customerEvents(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	f, err := s.parseEventFilter(c, true)
	if err != nil {
		writeError(c, err)
		return
	}
	if _, err := s.store.Get(c.Request.Context(), id); err != nil {
		writeError(c, err) // 404 before the stream starts
		return
	}
	f.customerID = id
	s.stream(c, f, id)
}

// stream serves the events f selects as server-sent events until the
// client leaves, falls behind, or the service shuts down. A valid
// Last-Event-ID resumes right after that event from the log; for a
// customer stream without one (or with one past the retention), a
// portfolio event comes first.
func (s *Server) stream(c *gin.Context, f eventFilter, customerID string) {
	last := c.GetHeader("Last-Event-ID")
	if last != "" && !portfoliod.ValidEventID(last) {
		writeError(c, invalid("Last-Event-ID", "Last-Event-ID must be an event id (evt_ and 32 hex digits)"))
		return
	}
	if c.Request.Method == http.MethodHead {
		c.Header("Content-Type", "text/event-stream")
		c.Status(http.StatusOK)
		return
	}
	key := c.MustGet(ctxKey).(Key).Name
	if !s.streams.acquire(key) {
		c.Header("Retry-After", "60")
		writeError(c, &apiError{Status: http.StatusTooManyRequests, Code: codeRateLimited,
			Message: fmt.Sprintf("this API key has %d streams open, the most allowed", s.streams.max)})
		return
	}
	defer s.streams.release(key)
	// Subscribe before reading the log, so nothing committed in between
	// is missed; what both deliver is sent once.
	sub := s.events.Subscribe(f.match)
	defer sub.Close()
	ctx := c.Request.Context()
	rc := http.NewResponseController(c.Writer)
	// A stream outlives the server's write timeout, which is sized for
	// answers.
	_ = rc.SetWriteDeadline(time.Time{})
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	c.Status(http.StatusOK)
	w := &sseWriter{w: c.Writer, rc: rc}
	w.raw(fmt.Sprintf("retry: %d\n\n", retryHintMs))

	sent := map[string]bool{}
	replayed := false
	if last != "" {
		after := last
		for {
			page, more, err := s.events.Events(ctx, portfoliod.EventQuery{After: after, Limit: portfoliod.MaxEventPage,
				CustomerID: f.customerID, Token: f.token, Type: f.typ})
			if errors.Is(err, portfoliod.ErrEventNotFound) {
				break // past the retention: a fresh portfolio first
			}
			if err != nil {
				loggerFrom(c).Warn("stream: event log replay failed", "err", err.Error())
				return
			}
			replayed = true
			for _, e := range page {
				sent[e.ID] = true
				w.event(e)
			}
			if !more || len(page) == 0 {
				break
			}
			after = page[len(page)-1].ID
		}
	}
	if customerID != "" && !replayed {
		s.portfolioEvent(c, w, customerID)
	}
	if w.err != nil {
		return
	}
	beat := time.NewTicker(heartbeatEvery)
	defer beat.Stop()
	// A console session's stream ends with the session.
	ended, expires := sessionEnd(c)
	var expiry <-chan time.Time
	if !expires.IsZero() {
		t := time.NewTimer(time.Until(expires))
		defer t.Stop()
		expiry = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-ended:
			return
		case <-expiry:
			return
		case e, ok := <-sub.Events():
			if !ok {
				// Dropped for falling behind, or shutting down: the
				// client reconnects with Last-Event-ID and misses nothing.
				return
			}
			if sent[e.ID] {
				delete(sent, e.ID)
				continue
			}
			w.event(e)
		case <-beat.C:
			w.raw(": heartbeat\n\n")
		}
		if w.err != nil {
			return
		}
	}
}

// portfolioEvent sends the portfolio route's body at the current block as
// a portfolio event; when balances cannot be read it sends a
// portfolio_unavailable event in the error shape instead, and the stream
// goes on.
func (s *Server) portfolioEvent(c *gin.Context, w *sseWriter, id string) {
	if s.portfolios == nil {
		return
	}
	p, err := s.portfolios.Portfolio(c.Request.Context(), id, portfoliod.ReadOptions{})
	if err != nil {
		ae := toAPIError(err)
		body, _ := json.Marshal(errorBody{Error: errorDetail{Code: ae.Code, Message: ae.Message, Param: ae.Param, RequestID: requestID(c)}})
		w.message("", "portfolio_unavailable", body)
		return
	}
	body, err := appendCustomerJSON([]byte{'['}, p.Customer, &p, false)
	if err != nil {
		return
	}
	w.message("", "portfolio", append(body, ']'))
}

// sseWriter writes server-sent event messages and flushes each; the first
// error sticks and ends the stream.
type sseWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	err error
}

func (w *sseWriter) raw(s string) {
	if w.err != nil {
		return
	}
	if _, w.err = w.w.Write([]byte(s)); w.err == nil {
		w.err = w.rc.Flush()
	}
}

// message writes one message; data must hold no newline (JSON does not).
func (w *sseWriter) message(id, event string, data []byte) {
	var b bytes.Buffer
	if id != "" {
		b.WriteString("id: " + id + "\n")
	}
	b.WriteString("event: " + event + "\n")
	b.WriteString("data: ")
	b.Write(data)
	b.WriteString("\n\n")
	w.raw(b.String())
}

func (w *sseWriter) event(e portfoliod.Event) {
	data, err := json.Marshal(toEventJSON(e))
	if err != nil {
		w.err = err
		return
	}
	w.message(e.ID, e.Type, data)
}

// linked tells the live layer of wallets a write gave a customer.
func (s *Server) linked(c *gin.Context, wallets []common.Address) {
	if s.events == nil || len(wallets) == 0 {
		return
	}
	if err := s.events.Linked(c.Request.Context(), wallets); err != nil {
		loggerFrom(c).Warn("linked wallets not read yet; the next sweep or change reads them", "err", logText(err))
	}
}

// frozenJSON is a row of the frozen-funds register.
type frozenJSON struct {
	CustomerID string `json:"customerId"`
	Wallet     string `json:"wallet"`
	Token      string `json:"token"`
	Total      string `json:"total"`
	Frozen     string `json:"frozen"`
	Available  string `json:"available"`
	// AddressFrozen is set for tokens whose freeze model has flags
	// (erc3643 isFrozen, usdc and usdt blacklists, custom flag_fns):
	// whether one is set, freezing the whole total.
	AddressFrozen *bool     `json:"addressFrozen,omitempty"`
	Since         sinceJSON `json:"since"`
}

type sinceJSON struct {
	Block       uint64 `json:"block"`
	Timestamp   string `json:"timestamp"`
	Transaction string `json:"transaction,omitempty"`
}

type frozenListJSON struct {
	Object      string       `json:"object"`
	Data        []frozenJSON `json:"data"`
	HasMore     bool         `json:"hasMore"`
	Wallets     int          `json:"wallets"`
	Customers   int          `json:"customers"`
	FrozenTotal string       `json:"frozenTotal"`
}

// frozen answers GET /frozen: the frozen-funds register of a token at the
// follower's processed head (X-Block-Number), from the stored figures.
func (s *Server) frozen(c *gin.Context) {
	pg, err := s.parsePage(c, func(raw string) error { _, err := parseAddress("startingAfter", raw); return err }, true)
	if err != nil {
		writeError(c, err)
		return
	}
	q := portfoliod.FrozenQuery{Limit: pg.limit}
	if pg.after != "" {
		q.After = common.HexToAddress(pg.after)
	}
	if q.Token, err = s.tokenOrDefault(pg.token); err != nil {
		writeError(c, err)
		return
	}
	head, err := s.followerHead()
	if err != nil {
		writeError(c, err)
		return
	}
	p, err := s.events.Frozen(c.Request.Context(), q)
	if err != nil {
		writeError(c, err)
		return
	}
	out := frozenListJSON{Object: "list", Data: make([]frozenJSON, len(p.Entries)), HasMore: p.HasMore,
		Wallets: p.Wallets, Customers: p.Customers, FrozenTotal: p.FrozenTotal.String()}
	flags := s.hasFlags(q.Token)
	for i, e := range p.Entries {
		out.Data[i] = frozenJSON{CustomerID: e.CustomerID, Wallet: lowerHex(e.Wallet), Token: lowerHex(e.Token),
			Total: e.Known.Total.String(), Frozen: e.Known.Frozen.String(), Available: e.Known.Available.String(),
			Since: sinceJSON{Block: e.Since.Block.Number, Timestamp: e.Since.Block.Time.UTC().Format(time.RFC3339)}}
		if e.Since.Transaction != (common.Hash{}) {
			out.Data[i].Since.Transaction = e.Since.Transaction.Hex()
		}
		if flags {
			out.Data[i].AddressFrozen = &e.Known.AddressFrozen
		}
	}
	setReadHeaders(c, head, time.Time{})
	c.JSON(http.StatusOK, out)
}

// frozenSeries answers GET /frozen/series: a token's frozen total per time
// step, from the register and the event log (for the console's chart).
// Defaults: to the follower's head time, from a day before, step 1h.
func (s *Server) frozenSeries(c *gin.Context) {
	head, err := s.followerHead()
	if err != nil {
		writeError(c, err)
		return
	}
	to, step := head.Time, time.Hour
	from := to.Add(-24 * time.Hour)
	var token common.Address
	for k, v := range c.Request.URL.Query() {
		var err error
		switch k {
		case "token":
			token, err = s.parseToken(v[0])
		case "from", "to":
			t, perr := time.Parse(time.RFC3339, v[0])
			if perr != nil {
				err = invalid(k, "%s must be an RFC 3339 time", k)
			} else if k == "from" {
				from = t
			} else {
				to = t
			}
		case "step":
			d, perr := time.ParseDuration(v[0])
			if perr != nil || d < time.Second {
				err = invalid(k, "step must be a duration of at least 1s, such as 1h or 15m")
			}
			step = d
		default:
			err = invalid(k, "unknown query parameter %q", k)
		}
		if err != nil {
			writeError(c, err)
			return
		}
	}
	if to.Before(from) {
		writeError(c, invalid("from", "from must not be after to"))
		return
	}
	if token, err = s.tokenOrDefault(token); err != nil {
		writeError(c, err)
		return
	}
	points, err := s.events.FrozenSeries(c.Request.Context(), token, from, to, step)
	if err != nil {
		writeError(c, err)
		return
	}
	type pointJSON struct {
		Time        string `json:"time"`
		FrozenTotal string `json:"frozenTotal"`
	}
	out := struct {
		Object string      `json:"object"`
		Token  string      `json:"token"`
		Step   string      `json:"step"`
		Data   []pointJSON `json:"data"`
	}{Object: "series", Token: lowerHex(token), Step: step.String(), Data: make([]pointJSON, len(points))}
	for i, p := range points {
		out.Data[i] = pointJSON{Time: p.Time.UTC().Format(time.RFC3339), FrozenTotal: p.FrozenTotal.String()}
	}
	setReadHeaders(c, head, time.Time{})
	c.JSON(http.StatusOK, out)
}
