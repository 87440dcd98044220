package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/portfoliod/portfoliod/internal/hangup"
)

// Every JSON-RPC read is resent on a new connection when the node closed
// the kept-alive one under it (a hangup server, a fake: no real node can
// be made to close at that moment), through go-ethereum's client and
// through postJSON, and the node sees no idempotency header.
func TestStaleKeepAliveIsResent(t *testing.T) {
	node := hangup.Start(t, func(body []byte) (int, string, string) {
		answer := `{"jsonrpc":"2.0","id":1,"result":"0x7a69"}`
		if strings.HasPrefix(strings.TrimSpace(string(body)), "[") {
			answer = "[" + answer + "]"
		}
		return 200, "application/json", answer
	})
	ep, err := dialEndpoint(context.Background(), node.URL, DefaultHTTPClient(4))
	if err != nil {
		t.Fatal(err)
	}
	defer ep.client.Close()
	ctx := context.Background()
	for i := range 4 {
		var id hexutil.Uint64
		if err := ep.client.CallContext(ctx, &id, "eth_chainId"); err != nil {
			t.Fatalf("go-ethereum client, call %d: %v", i, err)
		}
		if id != 31337 {
			t.Fatalf("call %d: chain id %d", i, id)
		}
	}
	for i := range 4 {
		body := &requestBody{buf: getBuffer()}
		*body.buf = append(*body.buf, `{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}`...)
		var resp []byte
		if _, err := ep.postJSON(ctx, body, &resp, false); err != nil {
			t.Fatalf("postJSON, call %d: %v", i, err)
		}
	}
	// Each call after the first on a connection found it closed, so the
	// case was made, and was resent.
	if node.HungUp() < 6 {
		t.Fatalf("the node hung up on %d reused connections, want at least 6 of 8 calls", node.HungUp())
	}
	if n := node.Keyed(); n > 0 {
		t.Errorf("%d requests carried an idempotency header on the wire", n)
	}
	t.Logf("8 calls: %d connections, %d hung up on and resent", node.Conns(), node.HungUp())
}
