package chain

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
)

// closingNode answers the first request on each connection with keep-alive
// and hangs up on the second after reading it whole, as a node (or a
// proxy) does whose idle timeout fires just as a kept-alive connection is
// reused. A fake: no real node can be made to close at that moment.
type closingNode struct {
	ln     net.Listener
	conns  atomic.Int32
	hungUp atomic.Int32
	keyed  atomic.Int32 // requests that carried an idempotency header
	wg     sync.WaitGroup
	mu     sync.Mutex
	open   []net.Conn // closed at the end, so serve returns
}

func newClosingNode(t *testing.T) *closingNode {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	n := &closingNode{ln: ln}
	accepting := make(chan struct{})
	go func() {
		defer close(accepting)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.conns.Add(1)
			n.mu.Lock()
			n.open = append(n.open, c)
			n.mu.Unlock()
			n.wg.Go(func() { n.serve(c) })
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-accepting // no connection is added after this
		n.mu.Lock()
		for _, c := range n.open {
			c.Close()
		}
		n.mu.Unlock()
		n.wg.Wait()
	})
	return n
}

func (n *closingNode) serve(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for i := 0; ; i++ {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		body, _ := io.ReadAll(req.Body)
		if req.Header.Get("X-Idempotency-Key") != "" || req.Header.Get("Idempotency-Key") != "" || len(req.Header.Values("X-Idempotency-Key")) > 0 {
			n.keyed.Add(1)
		}
		if i == 1 {
			n.hungUp.Add(1)
			return
		}
		answer := `{"jsonrpc":"2.0","id":1,"result":"0x7a69"}`
		if strings.HasPrefix(strings.TrimSpace(string(body)), "[") {
			answer = "[" + answer + "]"
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "+
			strconv.Itoa(len(answer))+"\r\n\r\n"+answer)
	}
}

// Every JSON-RPC read is resent on a new connection when the node closed
// the kept-alive one under it, through go-ethereum's client and through
// postJSON, and the node sees no idempotency header.
func TestStaleKeepAliveIsResent(t *testing.T) {
	node := newClosingNode(t)
	ep, err := dialEndpoint(context.Background(), "http://"+node.ln.Addr().String(), DefaultHTTPClient(4))
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
	if node.hungUp.Load() < 6 {
		t.Fatalf("the node hung up on %d reused connections, want at least 6 of 8 calls", node.hungUp.Load())
	}
	if n := node.keyed.Load(); n > 0 {
		t.Errorf("%d requests carried an idempotency header on the wire", n)
	}
	t.Logf("8 calls: %d connections, %d hung up on and resent", node.conns.Load(), node.hungUp.Load())
}
