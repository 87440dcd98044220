// Package apitest sends requests to a running portfoliod API from tests
// (the process tests, the service tests, the console's) and reads its
// event streams.
package apitest

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Do sends method url with the API key key (none when "") and body as
// JSON (none when ""), and returns the response with its body read. A
// transport failure fails tb.
func Do(tb testing.TB, method, url, key, body string) (*http.Response, []byte) {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return res, b
}

// SSE is one message of a server-sent event stream: an event, with its
// id, type and data, or a comment line (Comment, Data the line).
type SSE struct {
	ID, Event, Data string
	Comment         bool
}

// ReadSSE reads the event stream r and sends its messages, comments too
// when comments is set, on the channel it returns, closed at the stream's
// end. A message is sent at the blank line that ends it; one without an
// event type is dropped.
func ReadSSE(r io.Reader, comments bool) <-chan SSE {
	out := make(chan SSE, 64)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var m SSE
		for sc.Scan() {
			switch line := sc.Text(); {
			case strings.HasPrefix(line, ":"):
				if comments {
					out <- SSE{Comment: true, Data: line}
				}
			case line == "":
				if m.Event != "" {
					out <- m
				}
				m = SSE{}
			case strings.HasPrefix(line, "id: "):
				m.ID = line[4:]
			case strings.HasPrefix(line, "event: "):
				m.Event = line[7:]
			case strings.HasPrefix(line, "data: "):
				m.Data = line[6:]
			}
		}
	}()
	return out
}
