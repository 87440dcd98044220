package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod"
)

// pathID validates the :id parameter and tags the request log with it.
func pathID(c *gin.Context) (string, error) {
	id, err := portfoliod.ParseCustomerID("id", c.Param("id"))
	if err != nil {
		return "", err
	}
	c.Set(ctxCustomerID, id)
	return id, nil
}

// onboard stores a new customer and answers with it, wallets carrying
// balances when the chain can be read. A node outage never fails
// onboarding: balances are then omitted and a Warning header says why.
func (s *Server) onboard(c *gin.Context) {
	var req onboardRequest
	if err := decodeStrict(c, &req); err != nil {
		writeError(c, err)
		return
	}
	cust, err := req.customer()
	if err != nil {
		writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	cust, err = s.store.Create(ctx, cust)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Set(ctxCustomerID, cust.ID)
	s.linked(c, cust.Wallets)
	if !mayRead(c) {
		c.JSON(http.StatusOK, customerRefJSON{ID: cust.ID, Object: "customer"})
		return
	}
	p := s.writeBalances(c, cust)
	writeJSON(c, func(buf []byte) ([]byte, error) { return appendCustomerJSON(buf, cust, p, true) })
}

// writeBalances reads the portfolio of a customer just written, for its
// write response; failures become a Warning header and a nil portfolio
// instead of an error, because the write already succeeded.
func (s *Server) writeBalances(c *gin.Context, cust portfoliod.Customer) *portfoliod.Portfolio {
	if len(cust.Wallets) == 0 {
		return nil
	}
	if s.portfolios == nil {
		c.Header("Warning", `199 portfoliod "balances unavailable: no chain configured"`)
		return nil
	}
	p, err := s.portfolios.PortfolioOf(c.Request.Context(), cust, portfoliod.ReadOptions{})
	if err != nil {
		reason := toAPIError(err).Message
		loggerFrom(c).Warn("balances omitted from write response", "customer_id", cust.ID, "err", logText(err))
		c.Header("Warning", fmt.Sprintf("199 portfoliod %q", "balances unavailable: "+reason))
		return nil
	}
	setReadHeaders(c, p.Block, p.StaleSince)
	return &p
}

// writeCustomer answers with the profile a store call returned (wallets
// without balances), or with its error. A key without the read scope gets
// only the id and object: writing a profile is no way to read one.
func writeCustomer(c *gin.Context, cust portfoliod.Customer, err error) {
	if err != nil {
		writeError(c, err)
		return
	}
	if !mayRead(c) {
		c.JSON(http.StatusOK, customerRefJSON{ID: cust.ID, Object: "customer"})
		return
	}
	c.JSON(http.StatusOK, toCustomerJSON(cust, true))
}

// mayRead reports whether the request's key carries the read scope.
func mayRead(c *gin.Context) bool {
	k, ok := c.Get(ctxKey)
	return ok && k.(Key).Has(ScopeRead)
}

func (s *Server) getCustomer(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	cust, err := s.store.Get(c.Request.Context(), id)
	writeCustomer(c, cust, err)
}

// patchCustomer applies a JSON merge patch (RFC 7396) to profile fields and
// verificationStatus. The merged profile is validated as a whole before it
// is stored; a rejected patch changes nothing.
func (s *Server) patchCustomer(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	var patch map[string]json.RawMessage
	if err := decodeStrict(c, &patch); err != nil {
		writeError(c, err)
		return
	}
	if patch == nil {
		writeError(c, invalid("", "request body must be a JSON object"))
		return
	}
	cust, err := s.store.Update(c.Request.Context(), id, func(cu *portfoliod.Customer) error {
		return applyMergePatch(cu, patch)
	})
	writeCustomer(c, cust, err)
}

func (s *Server) deleteCustomer(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	if err := s.store.Delete(c.Request.Context(), id); err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, deletedJSON{ID: id, Object: "customer", Deleted: true})
}

func (s *Server) linkWallet(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	var req linkRequest
	if err := decodeStrict(c, &req); err != nil {
		writeError(c, err)
		return
	}
	w, err := parseAddress("address", req.Address)
	if err != nil {
		writeError(c, err)
		return
	}
	cust, err := s.store.LinkWallet(c.Request.Context(), id, w)
	if err == nil {
		s.linked(c, []common.Address{w})
	}
	writeCustomer(c, cust, err)
}

func (s *Server) unlinkWallet(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	w, err := parseAddress("address", c.Param("address"))
	if err != nil {
		writeError(c, err)
		return
	}
	cust, err := s.store.UnlinkWallet(c.Request.Context(), id, w)
	writeCustomer(c, cust, err)
}

// listCustomers pages through customers in id order, finds the owner of
// ?wallet=, or searches by ?q= (search.go).
func (s *Server) listCustomers(c *gin.Context) {
	q := c.Request.URL.Query()
	for k := range q {
		if k != "limit" && k != "startingAfter" && k != "wallet" && k != "q" {
			writeError(c, invalid(k, "unknown query parameter %q", k))
			return
		}
	}
	ctx := c.Request.Context()
	// Parsed even with wallet=, which ignores them, so that a malformed
	// value is always an error.
	opts := portfoliod.ListOptions{Limit: portfoliod.DefaultListLimit}
	if raw := q.Get("limit"); raw != "" {
		n, err := parseLimit(raw)
		if err != nil {
			writeError(c, err)
			return
		}
		opts.Limit = n
	}
	if raw := q.Get("startingAfter"); raw != "" {
		id, err := portfoliod.ParseCustomerID("startingAfter", raw)
		if err != nil {
			writeError(c, invalid("startingAfter", "startingAfter must be a customer id"))
			return
		}
		opts.StartingAfter = id
	}
	if raw, ok := q["wallet"]; ok {
		w, err := parseAddress("wallet", raw[0])
		if err != nil {
			writeError(c, err)
			return
		}
		cust, err := s.store.FindByWallet(ctx, w)
		writeAtMostOne(c, cust, err)
		return
	}
	if raw, ok := q["q"]; ok {
		s.searchCustomers(c, raw[0], opts)
		return
	}
	page, more, err := s.store.List(ctx, opts)
	if err != nil {
		writeError(c, err)
		return
	}
	out := listJSON[customerJSON]{Object: "list", Data: make([]customerJSON, len(page)), HasMore: more}
	for i, cu := range page {
		out.Data[i] = toCustomerJSON(cu, true)
	}
	c.JSON(http.StatusOK, out)
}

// balanceOptions checks that balances can be read at all, then parses
// ?block= and ?token=.
func (s *Server) balanceOptions(c *gin.Context) (portfoliod.ReadOptions, error) {
	if s.portfolios == nil {
		return portfoliod.ReadOptions{}, errNoChain
	}
	return s.readOptions(c)
}

// readOptions parses ?block= and ?token= for balance routes.
func (s *Server) readOptions(c *gin.Context) (portfoliod.ReadOptions, error) {
	return readOptionsOf(c.Request.URL.Query())
}

// readOptionsOf parses block and token from q, refusing any other key.
func readOptionsOf(q url.Values) (portfoliod.ReadOptions, error) {
	for k := range q {
		if k != "block" && k != "token" {
			return portfoliod.ReadOptions{}, invalid(k, "unknown query parameter %q", k)
		}
	}
	var opts portfoliod.ReadOptions
	if raw, ok := q["block"]; ok {
		b, err := portfoliod.ParseBlockRef(raw[0])
		if err != nil || raw[0] == "" {
			return opts, invalid("block", "block must be latest, safe, finalized or a block number")
		}
		opts.Block = &b
	}
	if raw, ok := q["token"]; ok {
		// Whether the token is configured, the reader says (400, param
		// token) before any node call.
		t, err := parseAddress("token", raw[0])
		if err != nil {
			return opts, err
		}
		opts.Token = t
	}
	return opts, nil
}

// setReadHeaders names the block figures were read at and, for figures
// served while the node is unreachable, says since when (RFC 9111's
// Warning 110, "response is stale").
func setReadHeaders(c *gin.Context, b portfoliod.Block, staleSince time.Time) {
	c.Header("X-Block-Number", strconv.FormatUint(b.Number, 10))
	c.Header("X-Block-Hash", b.Hash.Hex())
	if !staleSince.IsZero() {
		c.Header("Warning", fmt.Sprintf(`110 portfoliod "stale: node unreachable since %s"`, staleSince.UTC().Format(time.RFC3339)))
	}
}

// portfolio answers GET /customer/{id}/portfolio: a one-element array
// holding the customer with every wallet's balances, all read at one block,
// exactly in the reference shape.
func (s *Server) portfolio(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	opts, err := s.balanceOptions(c)
	if err != nil {
		writeError(c, err)
		return
	}
	p, err := s.portfolios.Portfolio(c.Request.Context(), id, opts)
	if err != nil {
		writeError(c, err)
		return
	}
	setReadHeaders(c, p.Block, p.StaleSince)
	writeJSON(c, func(buf []byte) ([]byte, error) {
		buf, err := appendCustomerJSON(append(buf, '['), p.Customer, &p, false)
		return append(buf, ']'), err
	})
}

// wallet answers GET /wallet/{address} for any valid address: a
// one-element array holding the wallet with its balances.
func (s *Server) wallet(c *gin.Context) {
	w, err := parseAddress("address", c.Param("address"))
	if err != nil {
		writeError(c, err)
		return
	}
	opts, err := s.balanceOptions(c)
	if err != nil {
		writeError(c, err)
		return
	}
	snap, err := s.portfolios.Wallet(c.Request.Context(), w, opts)
	if err != nil {
		writeError(c, err)
		return
	}
	setReadHeaders(c, snap.Block, snap.StaleSince)
	var token [42]byte
	hexAddr(token[:], snap.Token[:])
	writeJSON(c, func(buf []byte) ([]byte, error) {
		buf = appendWalletJSON(append(buf, '['), snap.Balances[0].Wallet, &token, &snap.Balances[0])
		return append(buf, ']'), nil
	})
}

func (s *Server) tokens(c *gin.Context) {
	if len(c.Request.URL.RawQuery) > 0 {
		writeError(c, invalid("", "this route takes no query parameters"))
		return
	}
	if s.portfolios == nil {
		c.JSON(http.StatusOK, listJSON[tokenJSON]{Object: "list", Data: []tokenJSON{}})
		return
	}
	ts := s.portfolios.Tokens()
	out := listJSON[tokenJSON]{Object: "list", Data: make([]tokenJSON, len(ts))}
	for i, t := range ts {
		out.Data[i] = tokenJSON{Object: "token", Address: lowerHex(t.Address), Symbol: t.Symbol,
			Decimals: t.Decimals, Freeze: t.Freeze.Name, Default: i == 0}
	}
	c.JSON(http.StatusOK, out)
}

// backup streams a consistent snapshot of the live store. Readers and
// writers are not blocked while it runs. Headers are sent with the first
// byte, so a failure before it is still a 500 in the error shape; after it,
// the connection is cut so the client sees a truncated download, never a
// complete-looking one.
func (s *Server) backup(c *gin.Context) {
	// The server's write timeout is sized for API answers, not for a
	// whole store: this response gets the backup budget instead.
	if err := http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(s.cfg.BackupTimeout)); err != nil {
		loggerFrom(c).Warn("backup: cannot extend the write deadline; a large store may be cut off by http.write_timeout", "err", err.Error())
	}
	name := "portfoliod-" + time.Now().UTC().Format("20060102T150405Z") + ".db"
	w := &lazyBackupWriter{c: c, name: name}
	if _, err := s.store.Backup(c.Request.Context(), w); err != nil {
		if !w.started {
			writeError(c, err)
			return
		}
		loggerFrom(c).Error("backup failed mid-stream", "err", err.Error())
		panic(http.ErrAbortHandler)
	}
}

// lazyBackupWriter sends the 200 and its headers with the first byte.
type lazyBackupWriter struct {
	c       *gin.Context
	name    string
	started bool
}

func (w *lazyBackupWriter) Write(p []byte) (int, error) {
	if !w.started {
		w.started = true
		w.c.Header("Content-Type", "application/octet-stream")
		w.c.Header("Content-Disposition", `attachment; filename="`+w.name+`"`)
		w.c.Status(http.StatusOK)
	}
	return w.c.Writer.Write(p)
}
