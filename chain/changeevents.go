package chain

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// A custom freeze model's change events (SPEC section 9: `custom` with
// `change_events`). Each is written as a Solidity event declaration,
// `Name(type [indexed] [name], ...)`, and the address parameters that
// carry a name are the wallets the event touches: for example
// `Locked(address indexed account, uint256)` touches account, and
// `Moved(address indexed from, address indexed to, address)` touches from
// and to but not the unnamed third address (an operator, say). The event's
// topic is the Keccak-256 of its canonical form, `Moved(address,address,address)`.
// Without change events a custom token's changes are only seen by
// transfers and sweeps.

var (
	eventRE = regexp.MustCompile(`^\s*([A-Za-z_$][A-Za-z0-9_$]*)\s*\((.*)\)\s*$`)
	identRE = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)
)

// ParseChangeEvent parses and checks one change event signature (see
// above). The error quotes the signature and says what is wrong.
func ParseChangeEvent(sig string) (canonical string, err error) {
	ev, err := parseChangeEvent(sig)
	return ev.sig, err
}

// eventParam is one parameter of a change event.
type eventParam struct {
	typ     abi.Type
	indexed bool
	wallet  bool // a named address parameter
}

func parseChangeEvent(sig string) (changeEvent, error) {
	bad := func(format string, args ...any) (changeEvent, error) {
		return changeEvent{}, fmt.Errorf("change event %q: %s", sig, fmt.Sprintf(format, args...))
	}
	m := eventRE.FindStringSubmatch(sig)
	if m == nil {
		return bad("must have the form Name(type [indexed] [name], ...)")
	}
	var params []eventParam
	var types []string
	indexed, wallets := 0, 0
	if strings.TrimSpace(m[2]) != "" {
		for i, raw := range strings.Split(m[2], ",") {
			words := strings.Fields(raw)
			if len(words) == 0 {
				return bad("parameter %d is empty", i+1)
			}
			p := eventParam{}
			if strings.HasPrefix(words[0], "tuple") || strings.HasPrefix(words[0], "(") {
				return bad("parameter %d: tuples are not supported", i+1)
			}
			typ, err := abi.NewType(words[0], "", nil)
			if err != nil {
				return bad("parameter %d: type %q: %v", i+1, words[0], err)
			}
			p.typ = typ
			rest := words[1:]
			if len(rest) > 0 && rest[0] == "indexed" {
				p.indexed = true
				indexed++
				rest = rest[1:]
			}
			switch {
			case len(rest) > 1:
				return bad("parameter %d: %q is not type [indexed] [name]", i+1, strings.TrimSpace(raw))
			case len(rest) == 1 && !identRE.MatchString(rest[0]):
				return bad("parameter %d: %q is not a name", i+1, rest[0])
			case len(rest) == 1 && typ.T == abi.AddressTy:
				p.wallet = true
				wallets++
			}
			params = append(params, p)
			types = append(types, typ.String())
		}
	}
	if indexed > 3 {
		return bad("%d indexed parameters: an event has at most 3", indexed)
	}
	if wallets == 0 {
		return bad("names no wallet: give the address parameters that are wallets a name, e.g. Locked(address indexed account, uint256)")
	}
	canonical := m[1] + "(" + strings.Join(types, ",") + ")"
	return changeEvent{sig: canonical, wallets: eventWallets(params)}, nil
}

// eventWallets returns the decoder of the wallets a log of an event with
// params names: indexed ones from its topics, the others from its data. A
// log that does not decode names none (a sweep still finds the change).
func eventWallets(params []eventParam) func(l *rpcLog) []common.Address {
	var data abi.Arguments
	var topicPos, dataPos []int
	topic := 1
	for _, p := range params {
		switch {
		case p.indexed:
			if p.wallet {
				topicPos = append(topicPos, topic)
			}
			topic++
		default:
			if p.wallet {
				dataPos = append(dataPos, len(data))
			}
			data = append(data, abi.Argument{Type: p.typ})
		}
	}
	fromTopics := topicAddrs(topicPos...)
	return func(l *rpcLog) []common.Address {
		if len(l.Topics) != topic {
			return nil // another event with the same topic 0 but other indexing
		}
		out := fromTopics(l)
		if len(dataPos) == 0 {
			return out
		}
		vals, err := data.UnpackValues(l.Data)
		if err != nil {
			return nil
		}
		for _, i := range dataPos {
			if a, ok := vals[i].(common.Address); ok {
				out = append(out, a)
			}
		}
		return out
	}
}

// changeEventsOf parses a custom token's change events; a signature
// listed twice is an error (its topic would be decoded once anyway).
func changeEventsOf(sigs []string) ([]changeEvent, error) {
	var out []changeEvent
	seen := map[common.Hash]string{}
	for _, sig := range sigs {
		ev, err := parseChangeEvent(sig)
		if err != nil {
			return nil, err
		}
		topic := crypto.Keccak256Hash([]byte(ev.sig))
		if first, dup := seen[topic]; dup {
			return nil, fmt.Errorf("change event %q: the same event as %q", sig, first)
		}
		seen[topic] = sig
		out = append(out, ev)
	}
	return out, nil
}

// CheckChangeEvents checks a token's change events as Dial does: they
// need freeze model custom, and each must parse (see ParseChangeEvent).
// The error quotes the bad signature.
func CheckChangeEvents(freeze string, sigs []string) error {
	if len(sigs) == 0 {
		return nil
	}
	if freeze != FreezeCustom {
		return fmt.Errorf("change_events need freeze: custom, not %q (a preset's events are known)", freeze)
	}
	_, err := changeEventsOf(sigs)
	return err
}
