package api

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// maxJSONDepth bounds the nesting of a request body. The deepest valid
// body (an onboarding's address or metadata object) is two levels deep; the
// bound only has to be far above that and far below encoding/json's own
// 10,000, whose error names a byte offset rather than the problem.
const maxJSONDepth = 32

// checkJSONText rejects what encoding/json would accept silently or
// describe badly: bytes that are not UTF-8 and \u escapes of lone UTF-16
// surrogates (both of which it replaces with U+FFFD, so a stored value
// would differ from the one sent), a key repeated within one object (it
// keeps the last), and nesting past maxJSONDepth. Syntax errors are left
// to the decoder, which reports them with the field they concern.
func checkJSONText(body []byte) error {
	if !utf8.Valid(body) {
		return invalid("", "request body is not valid UTF-8 (at byte %d)", invalidUTF8At(body))
	}
	if off, ok := loneSurrogate(body); ok {
		return invalid("", "request body holds a lone UTF-16 surrogate escape at byte %d; strings must be valid Unicode", off)
	}
	return checkKeys(body)
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// loneSurrogate finds a \uD800-\uDFFF escape that is not a high surrogate
// followed by a low one. A backslash only appears inside strings in JSON,
// so no string tracking is needed; malformed escapes are the decoder's to
// report.
func loneSurrogate(b []byte) (int, bool) {
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if i+1 >= len(b) {
			return 0, false
		}
		if b[i+1] != 'u' {
			i++ // skip the escaped character, which may be a backslash
			continue
		}
		r, ok := hex4(b, i+2)
		if !ok {
			return 0, false
		}
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return i, true
		case r >= 0xD800 && r <= 0xDBFF:
			lo, ok := hex4(b, i+8)
			if i+7 >= len(b) || b[i+6] != '\\' || b[i+7] != 'u' || !ok || lo < 0xDC00 || lo > 0xDFFF {
				return i, true
			}
			i += 11
		default:
			i += 5
		}
	}
	return 0, false
}

func hex4(b []byte, at int) (rune, bool) {
	if at < 0 || at+4 > len(b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[at:at+4]), 16, 16)
	return rune(v), err == nil
}

// checkKeys scans the body's structure, rejecting a key repeated in one
// object (named by its path, as metadata.a) and nesting deeper than
// maxJSONDepth. It is a byte scanner rather than json.Decoder.Token,
// which cost more than the decoding itself on every request and import
// line. Anything it does not expect (malformed JSON) it leaves to the
// decoder, which reports it with the field it concerns.
func checkKeys(body []byte) error {
	type frame struct {
		object bool
		keys   []string
		key    string // objects: the key whose value is being read
		index  int    // arrays: the element being read
		path   string
	}
	child := func(f *frame) string {
		if f.object {
			if f.path == "" {
				return f.key
			}
			return f.path + "." + f.key
		}
		return f.path + "[" + strconv.Itoa(f.index) + "]"
	}
	var stack []*frame
	expectKey := false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; c {
		case ' ', '\t', '\n', '\r', ':':
		case '{', '[':
			if len(stack) >= maxJSONDepth {
				return invalid("", "request body is nested too deeply (more than %d levels)", maxJSONDepth)
			}
			f := &frame{object: c == '{'}
			if n := len(stack); n > 0 {
				f.path = child(stack[n-1])
			}
			stack = append(stack, f)
			expectKey = f.object
		case '}', ']':
			if len(stack) == 0 {
				return nil
			}
			stack = stack[:len(stack)-1]
			expectKey = false
		case ',':
			if len(stack) == 0 {
				return nil
			}
			if f := stack[len(stack)-1]; f.object {
				expectKey = true
			} else {
				f.index++
			}
		case '"':
			end := stringEnd(body, i+1)
			if end < 0 {
				return nil
			}
			if expectKey {
				f := stack[len(stack)-1]
				k := string(body[i+1 : end])
				if bytes.IndexByte(body[i+1:end], '\\') >= 0 {
					// An escaped key names what it decodes to.
					if err := json.Unmarshal(body[i:end+1], &k); err != nil {
						return nil
					}
				}
				if slices.Contains(f.keys, k) {
					f.key = k
					p := child(f)
					return invalid(p, "key %q appears more than once", p)
				}
				f.keys = append(f.keys, k)
				f.key = k
				expectKey = false
			}
			i = end
		}
	}
	return nil
}

// stringEnd returns the index of the quote closing the JSON string that
// starts at b[start], or -1.
func stringEnd(b []byte, start int) int {
	for j := start; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return -1
}
