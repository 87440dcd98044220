package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod"
)

// idempotency implements the Idempotency-Key header on POST routes: the
// same key with the same request replays the first successful response;
// with a different request it is a 409. Keys are scoped to the API key that
// sent them, stored in bbolt and expire after 24 hours.
type idempotency struct {
	store Store
	// running holds a channel per (scope, key) in flight, closed when it
	// ends: concurrent requests with the same key run one at a time, so
	// two racing retries cannot both execute, while other keys never wait.
	mu      sync.Mutex
	running map[string]chan struct{}
}

// replayedHeaders are the response headers saved with an idempotent
// response and replayed with it: the block its balances were read at, and
// the warning that they could not be.
var replayedHeaders = []string{"Warning", "X-Block-Number", "X-Block-Hash"}

// lock waits until no other request with scope and key is running, then
// marks this one running until unlock is called. It gives up with ctx's
// error when ctx ends first.
func (i *idempotency) lock(ctx context.Context, scope, key string) (unlock func(), err error) {
	k := scope + "\x00" + key
	for {
		i.mu.Lock()
		busy, ok := i.running[k]
		if !ok {
			if i.running == nil {
				i.running = make(map[string]chan struct{})
			}
			done := make(chan struct{})
			i.running[k] = done
			i.mu.Unlock()
			return func() {
				i.mu.Lock()
				delete(i.running, k)
				i.mu.Unlock()
				close(done)
			}, nil
		}
		i.mu.Unlock()
		select {
		case <-busy:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// captureWriter keeps a copy of the response body for the idempotency
// record.
type captureWriter struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (w *captureWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *captureWriter) WriteString(s string) (int, error) {
	w.body.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}

func (s *Server) idempotent(c *gin.Context) {
	key := c.GetHeader("Idempotency-Key")
	if key == "" {
		c.Next()
		return
	}
	if len(key) > portfoliod.MaxIdempotencyKey || portfoliod.CheckIdentifier("Idempotency-Key", key, portfoliod.MaxIdempotencyKey) != nil {
		writeError(c, invalid("Idempotency-Key", "Idempotency-Key must be at most %d printable characters", portfoliod.MaxIdempotencyKey))
		return
	}
	if err := requireJSON(c); err != nil {
		writeError(c, err)
		return
	}
	body, err := readBody(c)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	h := sha256.New()
	_, _ = io.WriteString(h, c.Request.Method+"\n"+c.Request.URL.Path+"\n")
	h.Write(body)
	var reqHash [32]byte
	copy(reqHash[:], h.Sum(nil))

	scope := ""
	if k, ok := c.Get(ctxKey); ok {
		scope = k.(Key).Name
	}
	ctx := c.Request.Context()
	unlock, err := s.idem.lock(ctx, scope, key)
	if err != nil {
		writeError(c, err)
		return
	}
	defer unlock()

	prev, ok, err := s.store.LookupIdempotent(ctx, scope, key)
	if err != nil {
		writeError(c, err)
		return
	}
	if ok {
		if prev.RequestHash != reqHash {
			writeError(c, portfoliod.ErrIdempotencyConflict)
			return
		}
		c.Header("Idempotent-Replayed", "true")
		for name, v := range prev.Header {
			c.Header(name, v)
		}
		c.Data(prev.Status, "application/json; charset=utf-8", prev.Body)
		c.Abort()
		return
	}

	cw := &captureWriter{ResponseWriter: c.Writer}
	c.Writer = cw
	c.Next()
	c.Writer = cw.ResponseWriter

	if st := cw.Status(); st >= 200 && st < 300 {
		// Save even if the client has gone: the write happened, and its
		// retry must replay rather than run again.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		// No CreatedAt: the store stamps the record on the clock it
		// expires records by.
		rec := portfoliod.IdempotentResponse{RequestHash: reqHash, Status: st, Body: cw.body.Bytes()}
		for _, name := range replayedHeaders {
			if v := cw.Header().Get(name); v != "" {
				if rec.Header == nil {
					rec.Header = map[string]string{}
				}
				rec.Header[name] = v
			}
		}
		if err := s.store.SaveIdempotent(sctx, scope, key, rec); err != nil {
			loggerFrom(c).Error("idempotency record not saved", "err", err.Error(), "status", http.StatusText(st))
		}
	}
}
