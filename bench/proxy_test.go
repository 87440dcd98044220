package main

import (
	"bytes"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"
)

func TestClassify(t *testing.T) {
	minted := common.HexToAddress("0x00000000000000000000000000000000000000a1b2c3d4e5f60718293a4b5c6d7e8f90")
	other := common.HexToAddress("0x1111111111111111111111111111111111111111")
	// An aggregate3 calldata fragment naming w: balanceOf(w)'s selector
	// and w ABI-encoded (left-padded to 32 bytes), as chain writes it.
	call := func(w common.Address, block string) string {
		data := "0x82ad56cb" + "0000000000000000000000000000000000000000000000000000000000000020" + "70a08231" + hex.EncodeToString(common.LeftPadBytes(w[:], 32))
		return `{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0xca11bde05977b3631167028862be2a173976ca11","data":"` + data + `","gas":"0x1"},` + block + `]}`
	}
	pinned := `{"blockHash":"0xabc","requireCanonical":false}`
	for _, c := range []struct {
		name, body string
		want       int
	}{
		{"follower multicall", call(minted, pinned), byFollower},
		{"API read pinned to the head", call(other, pinned), byAPI},
		{"API latest batch", "[" + call(other, `"latest"`) + `,{"jsonrpc":"2.0","id":2,"method":"eth_getBlockByNumber","params":["latest",false]}]`, byAPI},
		{"header by number", `{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["0x10",false]}`, byFollower},
		{"logs by hash", `{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"blockHash":"0xabc"}]}`, byFollower},
		{"ranged logs batch", `[{"method":"eth_getBlockByNumber","params":["0x10",false]},{"method":"eth_getLogs","params":[{}]},{"method":"eth_getBlockByNumber","params":["0x10",false]}]`, byFollower},
		{"head poll", `{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["latest",false]}`, byHeadPoll},
		{"block number", `{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}`, byHeadPoll},
		{"chain id", `{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}`, byUnsure},
		{"block by hash", `{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByHash","params":["0xabc",false]}`, byUnsure},
		{"eth_call with eth_getCode", "[" + call(other, `"latest"`) + `,{"method":"eth_getCode","params":["0x1","latest"]}]`, byUnsure},
	} {
		calls, err := parseCalls([]byte(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		needle := []byte(hex.EncodeToString(minted[:]))
		if got := classify(calls, []byte(c.body), needle); got != c.want {
			t.Errorf("%s: classify = %d, want %d", c.name, got, c.want)
		}
	}
	if got := classify(nil, nil, []byte("00")); got != byUnsure {
		t.Errorf("no calls: classify = %d, want unsure", got)
	}
}

func TestProxyAttribution(t *testing.T) {
	node := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":1,"result":"0x1"}`))
	}))
	defer node.Close()
	px, err := startProxy(node.URL, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer px.Close()
	post := func(body string) {
		resp, err := http.Post(px.URL, "application/json", bytes.NewBufferString(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	w := common.HexToAddress("0x00000000000000000000000000000000000000ab")
	logs := `{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"blockHash":"0xabc"}]}`
	post(logs) // before attribution: not counted
	px.attribute(w)
	post(logs)
	post(`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"data":"0x` + hex.EncodeToString(common.LeftPadBytes(w[:], 32)) + `"},"latest"]}`)
	post(`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"data":"0x00"},"latest"]}`)
	post(`{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["latest",false]}`)
	post(`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}`)
	post(`not json`)
	want := attrStats{Follower: 4, Unsure: 2, API: 1, HeadPolls: 1,
		FollowerMethods: map[string]int64{"eth_getLogs": 1, "eth_call": 1, "eth_chainId": 1}, APIMethods: map[string]int64{"eth_call": 1}}
	if d := cmp.Diff(want, px.AttrStats()); d != "" {
		t.Errorf("attribution (-want +got):\n%s", d)
	}
	px.stopAttributing()
	post(logs)
	if got := px.AttrStats(); got.Follower != 0 {
		t.Errorf("after stopAttributing: %+v", got)
	}
}
