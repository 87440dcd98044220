package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod"
)

// Error codes of the one error shape (SPEC section 4).
const (
	codeInvalidRequest       = "invalid_request"
	codeUnauthorized         = "unauthorized"
	codeForbidden            = "forbidden"
	codeNotFound             = "not_found"
	codeConflict             = "conflict"
	codePayloadTooLarge      = "payload_too_large"
	codeUnsupportedMediaType = "unsupported_media_type"
	codeRateLimited          = "rate_limited"
	codeChainUnavailable     = "chain_unavailable"
	codeStoreUnavailable     = "store_unavailable"
	codeTimeout              = "timeout"
	codeInternal             = "internal"
)

// statusClientClosed is logged and counted for requests whose client
// disconnected before the answer.
const statusClientClosed = 499

// apiError is an error with its HTTP status, code and the offending
// parameter. Handlers return it (or a domain error) and writeError renders
// it; nothing else writes error bodies.
type apiError struct {
	Status  int
	Code    string
	Message string
	Param   string
}

func (e *apiError) Error() string { return e.Message }

func invalid(param, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: codeInvalidRequest, Param: param, Message: fmt.Sprintf(format, args...)}
}

func notFound(param, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusNotFound, Code: codeNotFound, Param: param, Message: fmt.Sprintf(format, args...)}
}

func conflict(param, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusConflict, Code: codeConflict, Param: param, Message: fmt.Sprintf(format, args...)}
}

// errorBody is the wire shape: {"error":{"code","message","param","requestId"}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Param     string `json:"param,omitempty"`
	RequestID string `json:"requestId"`
}

// codeStatus maps each domain error code to its HTTP status and wire
// code; EINTERNAL, or a code missing here, is a 500 with a generic
// message.
var codeStatus = map[string]struct {
	status int
	code   string
}{
	portfoliod.EINVALID:     {http.StatusBadRequest, codeInvalidRequest},
	portfoliod.ENOTFOUND:    {http.StatusNotFound, codeNotFound},
	portfoliod.ECONFLICT:    {http.StatusConflict, codeConflict},
	portfoliod.EUNAVAILABLE: {http.StatusServiceUnavailable, codeChainUnavailable},
	portfoliod.EBADREAD:     {http.StatusBadGateway, codeChainUnavailable},
	// A store that cannot answer is a 503 like a node that cannot, with
	// its own wire code so that a client and an operator tell them apart.
	portfoliod.ESTOREUNAVAILABLE: {http.StatusServiceUnavailable, codeStoreUnavailable},
	portfoliod.ETIMEOUT:          {http.StatusGatewayTimeout, codeTimeout},
}

// toAPIError translates any error into its HTTP form. It is the single
// error-to-status table of the service: the HTTP layer's own errors, then
// domain codes through codeStatus. A value that could not be read, then a
// deadline, take precedence over what is wrapped with them (a read that
// timed out on every endpoint is a 504, not the 503 it also wraps), except
// a store that could not be reached: it is a 503 even when what failed was
// its connect timeout, because the store maps only failures that happened
// before the caller's own deadline.
func toAPIError(err error) *apiError {
	var ae *apiError
	var maxBytes *http.MaxBytesError
	var readErr *portfoliod.ReadError
	var de *portfoliod.Error
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &maxBytes):
		return &apiError{Status: http.StatusRequestEntityTooLarge, Code: codePayloadTooLarge,
			Message: fmt.Sprintf("request body exceeds %d bytes", maxBytes.Limit)}
	case errors.As(err, &readErr):
		return fromDomain(readErr.Unwrap())
	case errors.Is(err, portfoliod.ErrStoreUnavailable):
		return fromDomain(portfoliod.ErrStoreUnavailable)
	case errors.Is(err, context.DeadlineExceeded):
		return &apiError{Status: http.StatusGatewayTimeout, Code: codeTimeout, Message: "the request did not complete within its time budget"}
	case errors.As(err, &de):
		return fromDomain(de)
	default:
		return &apiError{Status: http.StatusInternalServerError, Code: codeInternal, Message: "internal error"}
	}
}

// fromDomain maps a domain error by its code.
func fromDomain(err error) *apiError {
	var de *portfoliod.Error
	if !errors.As(err, &de) {
		return &apiError{Status: http.StatusInternalServerError, Code: codeInternal, Message: "internal error"}
	}
	st, ok := codeStatus[de.Code]
	if !ok {
		return &apiError{Status: http.StatusInternalServerError, Code: codeInternal, Message: "internal error"}
	}
	return &apiError{Status: st.status, Code: st.code, Param: de.Param, Message: de.Message}
}

// writeError renders err in the one error shape and aborts the chain.
// Internal errors are logged with the request id; clients see a generic
// message.
func writeError(c *gin.Context, err error) {
	ae := toAPIError(err)
	if errors.Is(err, context.Canceled) && errors.Is(c.Request.Context().Err(), context.Canceled) {
		// The client went away: nobody reads this answer and it is no
		// server error. A cancellation the client did not cause stays a
		// 500, because it is a bug.
		ae = &apiError{Status: statusClientClosed, Code: codeTimeout, Message: "the client closed the request"}
	}
	rid := requestID(c)
	if ae.Status >= 500 {
		attrs := []any{"status", ae.Status, "code", ae.Code, "err", logText(err)}
		if id := c.GetString(ctxCustomerID); id != "" {
			attrs = append(attrs, "customer_id", id)
		}
		loggerFrom(c).Error("request failed", attrs...)
	}
	if ae.Status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "1")
	}
	c.AbortWithStatusJSON(ae.Status, errorBody{Error: errorDetail{
		Code: ae.Code, Message: ae.Message, Param: ae.Param, RequestID: rid,
	}})
}

// logText is err's text for the logs, which carry no personal data: a
// read error names its token and function but not its wallet.
func logText(err error) string {
	var re *portfoliod.ReadError
	if errors.As(err, &re) && re.Wallet != (common.Address{}) {
		return strings.Replace(err.Error(), re.Error(), re.Redacted(), 1)
	}
	return err.Error()
}

func loggerFrom(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(ctxLogger); ok {
		if lg, ok := l.(*slog.Logger); ok {
			return lg
		}
	}
	return slog.Default()
}

func retryAfterSeconds(secs int) string { return strconv.Itoa(max(secs, 1)) }
