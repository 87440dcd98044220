package webhook

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/portfoliod/portfoliod"
)

// The guard is tested on the classifier and at registration only: no test
// connects to a non-loopback address.

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		addr, want string // want: a word of the reason; "" = allowed
	}{
		{"127.0.0.1", "loopback"},
		{"127.9.9.9", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"10.0.0.1", "private"},
		{"172.16.5.4", "private"},
		{"172.31.255.255", "private"},
		{"192.168.1.1", "private"},
		{"::ffff:192.168.1.1", "private"},
		{"100.64.0.1", "carrier-grade"},
		{"100.127.255.254", "carrier-grade"},
		{"169.254.169.254", "metadata"},
		{"fd00:ec2::254", "metadata"},
		{"100.100.100.200", "metadata"},
		{"169.254.10.1", "link-local"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"fc00::1", "unique-local"},
		{"fd12:3456::1", "unique-local"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"0.1.2.3", "reserved"},
		{"240.0.0.1", "reserved"},
		{"255.255.255.255", "broadcast"},
		{"239.1.2.3", "multicast"},
		{"224.0.0.1", "link-local"}, // link-local multicast
		{"ff0e::1", "multicast"},
		{"64:ff9b::a00:1", "private"},       // NAT64 of 10.0.0.1
		{"64:ff9b::7f00:1", "loopback"},     // NAT64 of 127.0.0.1
		{"2002:a9fe:a9fe::1", "metadata"},   // 6to4 of 169.254.169.254
		{"::a00:1", "private"},              // IPv4-compatible 10.0.0.1
		{"64:ff9b:1::1", "local-use NAT64"}, // RFC 8215
		// Public unicast addresses are allowed.
		{"93.184.215.14", ""},
		{"8.8.8.8", ""},
		{"172.32.0.1", ""},
		{"100.128.0.1", ""},
		{"2606:4700::1111", ""},
		{"::ffff:1.1.1.1", ""},
		{"64:ff9b::808:808", ""},
	} {
		got := Classify(netip.MustParseAddr(c.addr))
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("Classify(%s) = %q, want %q", c.addr, got, c.want)
		}
	}
	if got := Classify(netip.Addr{}); got == "" {
		t.Error("the zero Addr is allowed")
	}
}

func TestControlRefusesBeforeConnecting(t *testing.T) {
	var g Guard
	err := g.Control("tcp4", "127.0.0.1:443", nil)
	var refused *RefusedError
	if !errors.As(err, &refused) || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("Control(127.0.0.1) = %v, want a RefusedError naming loopback", err)
	}
	if err := g.Control("tcp6", "[2606:4700::1111]:443", nil); err != nil {
		t.Errorf("Control of a public address = %v", err)
	}
	g.AllowPrivate = true
	if err := g.Control("tcp4", "127.0.0.1:443", nil); err != nil {
		t.Errorf("Control with AllowPrivate = %v", err)
	}
}

// fixedResolver answers names from a table: a stand-in for DNS, which a
// test cannot make answer a private address for a public name.
type fixedResolver map[string][]netip.Addr

func (r fixedResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, errors.New("no such host")
}

func TestCheckURL(t *testing.T) {
	res := fixedResolver{
		"rebind.example":  {netip.MustParseAddr("93.184.215.14"), netip.MustParseAddr("10.1.2.3")},
		"public.example":  {netip.MustParseAddr("93.184.215.14")},
		"metadata.google": {netip.MustParseAddr("169.254.169.254")},
	}
	g := Guard{Resolver: res}
	ctx := context.Background()
	for _, c := range []struct {
		url, want string // want: a word of the 400's message; "" = accepted
	}{
		{"https://public.example/hooks", ""},
		{"https://93.184.215.14:8443/hooks?x=1", ""},
		{"https://unresolvable.example/", ""}, // checked again at delivery
		{"", "required"},
		{"http://public.example/", "https"},
		{"ftp://public.example/", "https"},
		{"https://user:pass@public.example/", "user name"},
		{"https:///nohost", "host"},
		{"https://public.example/#frag", "fragment"},
		{"https://public.example/a b", "whitespace"},
		{"https://%zz/", "valid URL"},
		{"https://" + strings.Repeat("a", portfoliod.MaxWebhookURL) + ".example/", "at most"},
		{"https://127.0.0.1/", "loopback"},
		{"https://[::1]:8443/", "loopback"},
		{"https://10.0.0.7/", "private"},
		{"https://169.254.169.254/latest/meta-data", "metadata"},
		{"https://[fd00::1]/", "unique-local"},
		{"https://100.64.1.1/", "carrier-grade"},
		{"https://[::ffff:192.168.0.1]/", "private"},
		{"https://rebind.example/", "private"},
		{"https://metadata.google/", "metadata"},
	} {
		err := g.CheckURL(ctx, c.url)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckURL(%.60q) = %v, want accepted", c.url, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("CheckURL(%.60q) = %v, want a refusal naming %q", c.url, err, c.want)
		case err != nil && (portfoliod.ErrorCode(err) != portfoliod.EINVALID || portfoliod.ErrorParam(err) != "url"):
			t.Errorf("CheckURL(%.60q) = %v: not EINVALID on url", c.url, err)
		}
	}
	// localhost resolves from /etc/hosts, without DNS traffic.
	if err := (Guard{}).CheckURL(ctx, "https://localhost:9/"); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("CheckURL(localhost) = %v, want refused as loopback", err)
	}
	open := Guard{AllowHTTP: true, AllowPrivate: true}
	for _, u := range []string{"http://127.0.0.1:8080/hook", "https://10.0.0.7/", "http://localhost/"} {
		if err := open.CheckURL(ctx, u); err != nil {
			t.Errorf("with private targets and http allowed, CheckURL(%s) = %v", u, err)
		}
	}
	if err := open.CheckURL(ctx, "http://u:p@127.0.0.1/"); err == nil {
		t.Error("userinfo accepted with private targets allowed")
	}
}
