package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"regexp"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// Keys under which middleware leaves values in the gin context.
const (
	ctxRequestID  = "portfoliod.request_id"
	ctxLogger     = "portfoliod.logger"
	ctxKey        = "portfoliod.key"
	ctxCustomerID = "portfoliod.customer_id"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// requestContext assigns the request id (a well-formed X-Request-Id is
// kept, anything else replaced), echoes it, and logs one line per request.
// The log carries the route template, never the raw path, because paths
// hold wallet addresses.
func (s *Server) requestContext() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		rid := c.GetHeader("X-Request-Id")
		if !requestIDPattern.MatchString(rid) {
			rid = newRequestID()
		}
		c.Set(ctxRequestID, rid)
		c.Header("X-Request-Id", rid)
		log := s.log.With("request_id", rid)
		c.Set(ctxLogger, log)

		c.Next()

		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		attrs := []any{
			"method", c.Request.Method, "route", route, "status", status,
			"duration_ms", float64(time.Since(start).Microseconds()) / 1000,
			"bytes", c.Writer.Size(),
		}
		if id := c.GetString(ctxCustomerID); id != "" {
			attrs = append(attrs, "customer_id", id)
		}
		if k, ok := c.Get(ctxKey); ok {
			attrs = append(attrs, "key", k.(Key).Name)
		}
		// A failure logs its cause at error where it happens (writeError,
		// recovery); this line only records the request, and a 5xx that
		// is an answer (/readyz while the node is down) is no failure.
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelWarn
		}
		log.Log(c.Request.Context(), level, "http request", attrs...)
		if s.metrics != nil {
			s.metrics.observe(c.Request.Method, route, status, time.Since(start))
		}
	}
}

// recovery turns a panic into a 500 in the error shape and logs the stack.
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				loggerFrom(c).Error("panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				writeError(c, fmt.Errorf("panic: %v", r))
			}
		}()
		c.Next()
	}
}

// authenticate requires a valid x-api-key carrying scope.
func (s *Server) authenticate(scope Scope) gin.HandlerFunc {
	return func(c *gin.Context) {
		secret := c.GetHeader("x-api-key")
		if secret == "" {
			writeError(c, &apiError{Status: http.StatusUnauthorized, Code: codeUnauthorized, Param: "x-api-key",
				Message: "missing x-api-key header"})
			return
		}
		key, ok := s.keys().lookup(secret)
		if !ok {
			writeError(c, &apiError{Status: http.StatusUnauthorized, Code: codeUnauthorized, Param: "x-api-key",
				Message: "invalid API key"})
			return
		}
		c.Set(ctxKey, key)
		if !key.Has(scope) {
			writeError(c, &apiError{Status: http.StatusForbidden, Code: codeForbidden,
				Message: fmt.Sprintf("API key %q lacks the %q scope", key.Name, scope)})
			return
		}
		if !s.limiter.allow(c, key.Name) {
			return
		}
		c.Next()
	}
}

// keyLimiter is a token bucket per API key name.
type keyLimiter struct {
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	buckets map[string]*rate.Limiter
	onLimit func()
}

func newKeyLimiter(rps float64, burst int) *keyLimiter {
	return &keyLimiter{limit: rate.Limit(rps), burst: burst, buckets: map[string]*rate.Limiter{}}
}

// allow takes a token for key, or writes 429 with Retry-After and returns
// false.
func (l *keyLimiter) allow(c *gin.Context, key string) bool {
	l.mu.Lock()
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(l.limit, l.burst)
		l.buckets[key] = b
	}
	l.mu.Unlock()
	r := b.Reserve()
	if d := r.Delay(); d > 0 {
		r.Cancel()
		if l.onLimit != nil {
			l.onLimit()
		}
		c.Header("Retry-After", retryAfterSeconds(int(math.Ceil(d.Seconds()))))
		writeError(c, &apiError{Status: http.StatusTooManyRequests, Code: codeRateLimited,
			Message: "rate limit exceeded for this API key; retry after the Retry-After delay"})
		return false
	}
	return true
}

// limits bounds the request body.
func (s *Server) limits() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes)
		}
		if c.Request.ContentLength > s.cfg.MaxBodyBytes {
			writeError(c, &http.MaxBytesError{Limit: s.cfg.MaxBodyBytes})
			return
		}
		c.Next()
	}
}

// budget bounds the whole request, node calls included, to d: past it the
// request's context ends and the answer is 504.
func budget(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}
