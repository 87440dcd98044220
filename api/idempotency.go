package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"hash/fnv"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod/customers"
)

// idempotency implements the Idempotency-Key header on POST routes: the
// same key with the same request replays the first successful response;
// with a different request it is a 409. Keys are scoped to the API key that
// sent them, stored in bbolt and expire after 24 hours.
type idempotency struct {
	store Store
	// Striped locks serialize concurrent requests that carry the same key,
	// so two racing retries cannot both execute.
	locks [64]sync.Mutex
}

func (i *idempotency) lock(scope, key string) func() {
	h := fnv.New32a()
	_, _ = io.WriteString(h, scope+"\x00"+key)
	m := &i.locks[h.Sum32()%uint32(len(i.locks))]
	m.Lock()
	return m.Unlock
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
	if len(key) > maxIdempotencyKey || checkText("Idempotency-Key", key, maxIdempotencyKey) != nil {
		writeError(c, invalid("Idempotency-Key", "Idempotency-Key must be at most %d printable characters", maxIdempotencyKey))
		return
	}
	if err := requireJSON(c); err != nil {
		writeError(c, err)
		return
	}
	body, err := io.ReadAll(c.Request.Body)
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
	unlock := s.idem.lock(scope, key)
	defer unlock()

	ctx := c.Request.Context()
	prev, ok, err := s.store.LookupIdempotent(ctx, scope, key)
	if err != nil {
		writeError(c, err)
		return
	}
	if ok {
		if prev.RequestHash != reqHash {
			writeError(c, customers.ErrIdempotencyConflict)
			return
		}
		c.Header("Idempotent-Replayed", "true")
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
		rec := customers.IdempotentResponse{RequestHash: reqHash, Status: st, Body: cw.body.Bytes(), CreatedAt: time.Now().UTC()}
		if err := s.store.SaveIdempotent(sctx, scope, key, rec); err != nil {
			loggerFrom(c).Error("idempotency record not saved", "err", err.Error(), "status", http.StatusText(st))
		}
	}
}
