package chain

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/ethereum/go-ethereum/common"
	lru "github.com/hashicorp/golang-lru/v2"
)

// hashNode answers eth_getBlockByHash as a node that has the block
// ("known"), does not ("null") or is failing ("503"). It is a fake because
// the question is about the tracker's decision, not the node: the real
// cases (a restarted anvil, a lagging fallback) are tested in head_test.go
// and failover_test.go.
func hashNode(t *testing.T, answer *atomic.Value) *endpoint {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch answer.Load().(string) {
		case "503":
			http.Error(w, "down", http.StatusServiceUnavailable)
		case "known":
			io.WriteString(w, `{"jsonrpc":"2.0","id":1,"result":{"number":"0x64","hash":"0x0000000000000000000000000000000000000000000000000000000000000064","timestamp":"0x1"}}`)
		default:
			io.WriteString(w, `{"jsonrpc":"2.0","id":1,"result":null}`)
		}
	}))
	t.Cleanup(srv.Close)
	ep, err := dialEndpoint(context.Background(), srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

func trackerWith(eps ...*endpoint) *Reader {
	n, _ := lru.New[uint64, Block](16)
	return &Reader{eps: eps, highest: map[BlockTag]Block{}, tags: map[BlockTag]tagEntry{}, numbers: n,
		callTimeout: DefaultCallTimeout, log: slog.New(slog.DiscardHandler)}
}

func blk(n uint64, fork byte) Block { return Block{Number: n, Hash: common.Hash{fork, byte(n)}} }

func TestNoteHeadGoesBackOnlyWithTheChain(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, answer string
		reports      []Block // after the head 100a
		want         Block
	}{
		// A lagging endpoint: the node still has the head.
		{"lagging", "known", []Block{blk(99, 'a'), blk(99, 'a'), blk(99, 'a'), blk(98, 'a'), blk(99, 'a')}, blk(100, 'a')},
		// One stale report after a reorg, on either fork, is lag.
		{"lagging after a reorg", "null", []Block{blk(99, 'b')}, blk(100, 'a')},
		// The node does not answer: the head cannot be judged gone.
		{"node failing", "503", []Block{blk(5, 'x'), blk(5, 'x'), blk(5, 'x'), blk(5, 'x')}, blk(100, 'a')},
		// A report at the head's number resets the count.
		{"not in a row", "null", []Block{blk(5, 'x'), blk(5, 'x'), blk(100, 'a'), blk(5, 'x'), blk(5, 'x')}, blk(100, 'a')},
		// Three lower reports and no endpoint has the head: the chain
		// went back.
		{"went back", "null", []Block{blk(5, 'x'), blk(5, 'x'), blk(6, 'x')}, blk(6, 'x')},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var answer atomic.Value
			answer.Store(tc.answer)
			r := trackerWith(hashNode(t, &answer))
			r.noteHead(ctx, blk(100, 'a'))
			for _, b := range tc.reports {
				r.noteHead(ctx, b)
			}
			if got := r.highest[Latest]; got != tc.want {
				t.Errorf("head = %d %x, want %d %x", got.Number, got.Hash[:1], tc.want.Number, tc.want.Hash[:1])
			}
		})
	}
}

// wsEth is the eth_getBlockByHash of a node reached over WebSocket.
type wsEth struct{ known bool }

func (s *wsEth) GetBlockByHash(h common.Hash, _ bool) (*rpcHeader, error) {
	if !s.known {
		return nil, nil
	}
	return &rpcHeader{Number: 100, Hash: h}, nil
}

// The head came over the subscription from a node that is not among the
// endpoints; the endpoints lag behind it. Asking only them, the tracker
// would take their lag for the chain going back.
func TestNoteHeadAsksTheSubscriptionsNode(t *testing.T) {
	ctx := context.Background()
	for _, known := range []bool{true, false} {
		srv := rpc.NewServer()
		if err := srv.RegisterName("eth", &wsEth{known: known}); err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv.WebsocketHandler([]string{"*"}))
		var lagging atomic.Value
		lagging.Store("null") // the endpoint has not imported the head yet
		r := trackerWith(hashNode(t, &lagging))
		r.wsURL = "ws" + strings.TrimPrefix(hs.URL, "http")
		r.noteHead(ctx, blk(100, 'a')) // from the subscription
		for _, b := range []Block{blk(98, 'a'), blk(98, 'a'), blk(99, 'a')} {
			r.noteHead(ctx, b)
		}
		want := blk(100, 'a')
		if !known {
			want = blk(99, 'a') // no node has the head: the chain went back
		}
		if got := r.highest[Latest]; got != want {
			t.Errorf("subscription's node has the head: %v; head = %d, want %d", known, got.Number, want.Number)
		}
		hs.Close()
		srv.Stop()
	}
}
