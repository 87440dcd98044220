// Package hangup is a loopback HTTP/1.1 server for tests that answers the
// first request on each connection, keeping the connection alive, and
// hangs up on the second after reading it whole: what a server whose
// idle timeout fires just as a client reuses a kept-alive connection
// looks like to that client. It is a fake, for the one case no real
// server can be made to produce on cue.
package hangup

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// Server is a running hang-up server.
type Server struct {
	// URL is http://127.0.0.1:port.
	URL string

	answer func(request []byte) (status int, contentType, body string)
	conns  atomic.Int32
	hungUp atomic.Int32
	keyed  atomic.Int32
	wg     sync.WaitGroup
	mu     sync.Mutex
	open   []net.Conn
}

// Start starts a server answering each first request with answer (its
// status, Content-Type and body, given the request body); it stops at the
// end of the test.
func Start(t testing.TB, answer func(request []byte) (status int, contentType, body string)) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), answer: answer}
	accepting := make(chan struct{})
	go func() {
		defer close(accepting)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			s.mu.Lock()
			s.open = append(s.open, c)
			s.mu.Unlock()
			s.wg.Go(func() { s.serve(c) })
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-accepting // no connection is added after this
		s.mu.Lock()
		for _, c := range s.open {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *Server) serve(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for i := 0; ; i++ {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		body, _ := io.ReadAll(req.Body)
		if len(req.Header.Values("Idempotency-Key")) > 0 || len(req.Header.Values("X-Idempotency-Key")) > 0 {
			s.keyed.Add(1)
		}
		if i == 1 {
			s.hungUp.Add(1)
			return
		}
		status, ctype, answer := s.answer(body)
		io.WriteString(c, "HTTP/1.1 "+strconv.Itoa(status)+" "+http.StatusText(status)+"\r\nContent-Type: "+ctype+
			"\r\nContent-Length: "+strconv.Itoa(len(answer))+"\r\n\r\n"+answer)
	}
}

// Conns is the number of connections accepted.
func (s *Server) Conns() int { return int(s.conns.Load()) }

// HungUp is the number of requests hung up on: each one a client sent on
// a reused connection.
func (s *Server) HungUp() int { return int(s.hungUp.Load()) }

// Keyed is the number of requests that carried an Idempotency-Key or
// X-Idempotency-Key header on the wire.
func (s *Server) Keyed() int { return int(s.keyed.Load()) }
