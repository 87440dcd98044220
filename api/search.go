package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod"
)

// maxSearchLen bounds ?q=: an id, an address or a name prefix is short.
const maxSearchLen = 200

// searchCustomers answers GET /customer?q=: a customer id finds that
// customer, a wallet address its owner (a list of at most one either
// way), and anything else is a name prefix, case-insensitive, paged in
// id order like the plain list (limit, startingAfter).
func (s *Server) searchCustomers(c *gin.Context, q string, opts portfoliod.ListOptions) {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		writeError(c, invalid("q", "q must not be empty: give a customer id, a wallet address or a name prefix"))
		return
	case len(q) > maxSearchLen:
		writeError(c, invalid("q", "q is longer than %d bytes", maxSearchLen))
		return
	}
	ctx := c.Request.Context()
	if portfoliod.ValidCustomerID(q) {
		cust, err := s.store.Get(ctx, q)
		writeAtMostOne(c, cust, err)
		return
	}
	if strings.HasPrefix(q, "0x") || strings.HasPrefix(q, "0X") {
		w, err := parseAddress("q", q)
		if err != nil {
			writeError(c, err)
			return
		}
		cust, err := s.store.FindByWallet(ctx, w)
		writeAtMostOne(c, cust, err)
		return
	}
	opts.NamePrefix = q
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

// writeAtMostOne answers a lookup by id or wallet as a list: the customer
// found, or an empty list when there is none (err ENOTFOUND); another
// error is the error.
func writeAtMostOne(c *gin.Context, cust portfoliod.Customer, err error) {
	out := listJSON[customerJSON]{Object: "list", Data: []customerJSON{}}
	switch {
	case err == nil:
		out.Data = append(out.Data, toCustomerJSON(cust, true))
	case portfoliod.ErrorCode(err) != portfoliod.ENOTFOUND:
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}
