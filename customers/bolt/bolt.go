// Package bolt is the portfoliod.CustomerStore on bbolt: customer profiles
// and the wallets they own in one embedded file. It is the only package
// that imports bbolt, and passes the contract suite of customers/storetest.
//
// A Store is safe for concurrent use. Every acknowledged write has been
// fsynced (bbolt's default), and the wallet index that enforces "a wallet
// belongs to at most one customer" is updated in the same transaction as the
// customer record, so the two can never disagree.
package bolt

import "errors"

// ErrLocked means another process holds the store file.
var ErrLocked = errors.New("store is locked by another process")
