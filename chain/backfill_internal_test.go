package chain

import (
	"errors"
	"testing"
)

type fakeDataError struct {
	fakeRPCError
	data any
}

func (e fakeDataError) ErrorData() any { return e.data }

// The refusals of a logs query as too wide, in the words of nodes and
// providers, are told from rate limits, reverts and other errors.
func TestIsLogLimit(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"geth, infura results", fakeRPCError{-32005, "query returned more than 10000 results"}, true},
		{"reth results", fakeRPCError{-32602, "query exceeds max results 20000, retry with the range 25766988-25775072"}, true},
		{"infura range", fakeRPCError{-32602, "range 1000000 exceeds limit of 10000"}, true},
		{"alchemy size", fakeRPCError{-32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range"}, true},
		{"quicknode", fakeRPCError{-32614, "eth_getLogs is limited to a 10,000 range"}, true},
		{"tenderly, in the data", fakeDataError{fakeRPCError{-32602, "invalid params"}, map[string]any{"payload": "range 9009594 is bigger than range limit 2000"}}, true},
		{"ankr", fakeRPCError{-32062, "block range is too wide"}, true},
		{"geth range limit", fakeRPCError{-32602, "exceed maximum block range 5000"}, true},
		{"limit exceeded", fakeRPCError{-32005, "limit exceeded"}, false},
		{"alchemy capacity", fakeRPCError{429, "Your app has exceeded its compute units per second capacity"}, false},
		{"quota", fakeRPCError{-32005, "daily request quota exceeded"}, false},
		{"batch size", fakeRPCError{-32600, "max batch size exceeded"}, false},
		{"geth lagging", fakeRPCError{-32602, "block range extends beyond current head block"}, false},
		{"infura rate", fakeRPCError{-32005, "project ID request rate exceeded"}, false},
		{"rate limit", fakeRPCError{-32005, "rate limit exceeded"}, false},
		{"too many requests", fakeRPCError{-32000, "too many requests"}, false},
		{"a revert", fakeRPCError{3, "execution reverted: more than allowed"}, false},
		{"other params", fakeDataError{fakeRPCError{-32602, "invalid params"}, "cannot unmarshal hex"}, false},
		{"not an rpc error", errors.New("query returned more than 10000 results"), false},
	}
	for _, tt := range tests {
		if got := isLogLimit(tt.err); got != tt.want {
			t.Errorf("%s: isLogLimit(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
	if !isBeyondHead(fakeRPCError{-32602, "block range extends beyond current head block"}) || isBeyondHead(fakeRPCError{-32005, "query returned more than 10000 results"}) {
		t.Error("isBeyondHead does not tell a lagging node's answer")
	}
}
