package portfoliod

import (
	"context"
	"errors"
	"fmt"
)

// Error codes every layer speaks. Adapters return errors carrying one
// (an *Error, or a typed error that unwraps to one); the HTTP layer maps
// each code to a status in one table and the CLI prints the message.
const (
	// EINVALID: the caller's input breaks a rule; Param names the input.
	EINVALID = "invalid"
	// ENOTFOUND: no such customer, or the customer does not own the wallet.
	ENOTFOUND = "not_found"
	// ECONFLICT: the write contradicts what is stored (a wallet owned by
	// another customer, an id in use, an idempotency key reused).
	ECONFLICT = "conflict"
	// EUNAVAILABLE: the chain node cannot answer now; retrying later may
	// succeed.
	EUNAVAILABLE = "unavailable"
	// ESTOREUNAVAILABLE: the customer store cannot answer now (its
	// database refuses or dropped the connection, or is shutting down);
	// retrying later may succeed. It is EUNAVAILABLE's twin for the other
	// dependency, a code of its own so that the one code-to-status table
	// gives it its own wire code (store_unavailable, not
	// chain_unavailable) and operators see which dependency is down.
	ESTOREUNAVAILABLE = "store_unavailable"
	// EBADREAD: the node answered, but a value could not be read from it
	// (a revert, malformed data, a token without code).
	EBADREAD = "bad_read"
	// ETIMEOUT: the operation did not finish within its time budget.
	ETIMEOUT = "timeout"
	// EINTERNAL: a bug or an unexpected failure; the message is not for
	// clients.
	EINTERNAL = "internal"
)

// ErrStoreUnavailable is what a store's error wraps when its database
// cannot answer: the error keeps the driver's cause for the logs (errors.Is
// and errors.As see both), and clients read only this message, never the
// database's address.
var ErrStoreUnavailable = &Error{Code: ESTOREUNAVAILABLE, Message: "the customer store is unavailable; try again shortly"}

// Error is a domain error: a code, a message safe to show the caller
// (lowercase, no trailing punctuation) and, for EINVALID, the input it
// concerns ("wallets[0].address", "address.city", "block").
//
// Sentinel errors are *Error values, so errors.Is matches them by
// identity and ErrorCode reads their code.
type Error struct {
	Code    string
	Message string
	Param   string
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalidf returns an EINVALID *Error about param.
func Invalidf(param, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Param: param, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain. An error
// without one is ETIMEOUT when a deadline ended it, else EINTERNAL; nil is
// "".
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, context.DeadlineExceeded):
		return ETIMEOUT
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or
// "internal error" for an error without one, whose text is not for
// clients.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if err == nil {
		return ""
	}
	return "internal error"
}

// ErrorParam returns the Param of the first *Error in err's chain.
func ErrorParam(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Param
	}
	return ""
}
