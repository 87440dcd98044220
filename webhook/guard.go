package webhook

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/portfoliod/portfoliod"
)

// Guard is the SSRF guard (SPEC section 9, "SSRF"): which URLs an endpoint
// may have, and which addresses a delivery may connect to. The zero value
// is the production policy: https only, public addresses only.
type Guard struct {
	// AllowHTTP accepts http:// URLs (webhooks.allow_http).
	AllowHTTP bool
	// AllowPrivate lets deliveries reach every address class Classify
	// refuses (webhooks.allow_private_targets: dev, and tests with
	// loopback receivers).
	AllowPrivate bool
	// Resolver resolves host names at registration; nil means
	// net.DefaultResolver.
	Resolver interface {
		LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	}
}

var (
	cgnat      = netip.MustParsePrefix("100.64.0.0/10")
	thisNet    = netip.MustParsePrefix("0.0.0.0/8")
	ietf       = netip.MustParsePrefix("192.0.0.0/24")
	benchmark  = netip.MustParsePrefix("198.18.0.0/15")
	reserved4  = netip.MustParsePrefix("240.0.0.0/4")
	nat64      = netip.MustParsePrefix("64:ff9b::/96")
	nat64Local = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFour  = netip.MustParsePrefix("2002::/16")
	compat4    = netip.MustParsePrefix("::/96")
	metadata   = []netip.Addr{
		netip.MustParseAddr("169.254.169.254"), // AWS, GCP, Azure, OpenStack…
		netip.MustParseAddr("fd00:ec2::254"),   // AWS over IPv6
		netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
	}
)

// Classify returns why a delivery must not connect to addr ("a loopback
// address", …), or "" when addr is a public unicast address. IPv4 forms
// embedded in IPv6 (mapped, compatible, NAT64, 6to4) are classified as
// the IPv4 address they carry.
func Classify(addr netip.Addr) string {
	if !addr.IsValid() {
		return "not an IP address"
	}
	a := addr.Unmap().WithZone("")
	if a.Is6() {
		b := a.As16()
		switch {
		case a.IsUnspecified() || a.IsLoopback():
			// ::, ::1: fall through to the checks below.
		case nat64.Contains(a) || compat4.Contains(a):
			if r := Classify(netip.AddrFrom4([4]byte(b[12:16]))); r != "" {
				return r + " (embedded in " + addr.String() + ")"
			}
		case nat64Local.Contains(a):
			return "a local-use NAT64 address (64:ff9b:1::/48)"
		case sixToFour.Contains(a):
			if r := Classify(netip.AddrFrom4([4]byte(b[2:6]))); r != "" {
				return r + " (embedded in " + addr.String() + ")"
			}
		}
	}
	for _, m := range metadata {
		if a == m {
			return "a cloud metadata address"
		}
	}
	switch {
	case a.IsUnspecified():
		return "an unspecified address"
	case a.IsLoopback():
		return "a loopback address"
	case a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast():
		return "a link-local address"
	case a.Is4() && a.IsPrivate():
		return "a private address (RFC 1918)"
	case a.Is6() && a.IsPrivate():
		return "a unique-local address (fc00::/7)"
	case cgnat.Contains(a):
		return "a carrier-grade NAT address (RFC 6598)"
	case a.IsMulticast(), a.IsInterfaceLocalMulticast():
		return "a multicast address"
	case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "the broadcast address"
	case thisNet.Contains(a), ietf.Contains(a), benchmark.Contains(a), reserved4.Contains(a):
		return "a reserved address"
	}
	return ""
}

// RefusedError is a connection the guard refused.
type RefusedError struct {
	Addr   netip.Addr
	Reason string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("refused by the SSRF guard: %s is %s (set webhooks.allow_private_targets only in development)", e.Addr, e.Reason)
}

// Control is a net.Dialer Control hook that refuses connections to the
// addresses Classify refuses. It runs after name resolution, on the
// address actually dialled, so a name that resolves elsewhere at delivery
// time than at registration (DNS rebinding) is still refused.
func (g Guard) Control(network, address string, _ syscall.RawConn) error {
	if g.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refused by the SSRF guard: cannot parse %q", address)
	}
	if r := Classify(ap.Addr()); r != "" {
		return &RefusedError{Addr: ap.Addr(), Reason: r}
	}
	return nil
}

// CheckURL validates an endpoint URL at registration: its form, its
// scheme, and (unless AllowPrivate) the addresses its host is or resolves
// to. A refusal is an EINVALID error on param "url" naming the reason.
// A name that does not resolve now is accepted: deliveries resolve it
// again, and the delivery log says why one fails.
func (g Guard) CheckURL(ctx context.Context, raw string) error {
	bad := func(format string, args ...any) error { return portfoliod.Invalidf("url", format, args...) }
	switch {
	case raw == "":
		return bad("url is required")
	case len(raw) > portfoliod.MaxWebhookURL:
		return bad("url must be at most %d characters, got %d", portfoliod.MaxWebhookURL, len(raw))
	case strings.ContainsAny(raw, " \t\r\n"):
		return bad("url must not contain whitespace")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad("url is not a valid URL")
	}
	if err := g.checkScheme(u); err != nil {
		return err
	}
	switch {
	case u.User != nil:
		return bad("url must not carry a user name or password; authenticate the request by its signature")
	case u.Hostname() == "":
		return bad("url must name a host")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return bad("url must not have a fragment")
	}
	if g.AllowPrivate {
		return nil
	}
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		if r := Classify(a); r != "" {
			return bad("url's host %s is %s; webhooks go to public addresses only", a, r)
		}
		return nil
	}
	var res interface {
		LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	} = net.DefaultResolver
	if g.Resolver != nil {
		res = g.Resolver
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := res.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if r := Classify(a); r != "" {
			return bad("url's host %s resolves to %s, %s; webhooks go to public addresses only", host, a, r)
		}
	}
	return nil
}

// checkScheme refuses what is not https (or http with AllowHTTP).
func (g Guard) checkScheme(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if g.AllowHTTP {
			return nil
		}
		return portfoliod.Invalidf("url", "url must be https (http needs webhooks.allow_http)")
	}
	return portfoliod.Invalidf("url", "url must be an https URL")
}
