//go:build nodev

package main

import (
	"context"
	"errors"
	"io"
)

// runDev is absent from a binary built with -tags nodev, which leaves out
// the in-process chain (go-ethereum's node and miner): about half the
// packages and the size of the default build. serve is the same.
func runDev(context.Context, []string, func(string) string, io.Writer, io.Writer) error {
	return errors.New("this portfoliod was built with -tags nodev, without the in-process dev chain; use `go run ./cmd/portfoliod dev`, or `dev --rpc-url URL` from a default build")
}
