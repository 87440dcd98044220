package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/netip"
	"regexp"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/portfoliod/portfoliod"
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

// authenticate requires a valid x-api-key carrying scope, or a console
// session cookie (session.go) of a key carrying it; a session's writes
// also need its anti-CSRF token. The header wins when both are sent.
// Every answer behind a key is marked no-store: profiles, balances and
// backups are personal data no shared cache may keep.
func (s *Server) authenticate(scope Scope) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		// A client that keeps failing is refused before its key is even
		// looked at, so guessing goes no faster for a right guess.
		client := clientNetwork(c.ClientIP())
		if !s.authFailures.open(c, client) {
			return
		}
		secret := c.GetHeader("x-api-key")
		var key Key
		if cookie, _ := c.Cookie(SessionCookie); secret == "" && cookie != "" {
			var ok bool
			if key, ok = s.sessionKey(c, cookie); !ok {
				return
			}
		} else {
			if secret == "" {
				s.authFailures.charge(client)
				writeError(c, &apiError{Status: http.StatusUnauthorized, Code: codeUnauthorized, Param: "x-api-key",
					Message: "missing x-api-key header"})
				return
			}
			var ok bool
			if key, ok = s.keys().lookup(secret); !ok {
				s.authFailures.charge(client)
				writeError(c, &apiError{Status: http.StatusUnauthorized, Code: codeUnauthorized, Param: "x-api-key",
					Message: "invalid API key"})
				return
			}
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

// failureLimiter is a token bucket per client network that only failed
// authentications take from. Its table is bounded: past maxClients it
// forgets the clients whose buckets have refilled, and if that is not
// enough, all of them (an attacker with that many addresses is not slowed
// by one bucket each anyway).
type failureLimiter struct {
	mu         sync.Mutex
	limit      rate.Limit
	burst      int
	maxClients int
	buckets    map[netip.Prefix]*rate.Limiter
	onLimit    func()
}

func newFailureLimiter(perSecond float64, burst int) *failureLimiter {
	return &failureLimiter{limit: rate.Limit(perSecond), burst: burst, maxClients: 10000,
		buckets: map[netip.Prefix]*rate.Limiter{}}
}

// clientNetwork is the unit a failure limit applies to: one IPv4 address,
// or one IPv6 /64 (the block a single host is usually given). ip is
// gin's ClientIP, which honours only the configured trusted proxies.
func clientNetwork(ip string) netip.Prefix {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return netip.Prefix{}
	}
	a = a.Unmap()
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

func (l *failureLimiter) bucket(p netip.Prefix, create bool) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[p]
	if ok || !create {
		return b
	}
	if len(l.buckets) >= l.maxClients {
		for k, v := range l.buckets {
			if v.Tokens() >= float64(l.burst) {
				delete(l.buckets, k)
			}
		}
		if len(l.buckets) >= l.maxClients {
			clear(l.buckets)
		}
	}
	b = rate.NewLimiter(l.limit, l.burst)
	l.buckets[p] = b
	return b
}

// open reports whether client may try to authenticate; if not, it writes
// 429 with Retry-After.
func (l *failureLimiter) open(c *gin.Context, client netip.Prefix) bool {
	b := l.bucket(client, false)
	if b == nil {
		return true
	}
	tokens := b.Tokens()
	if tokens >= 1 {
		return true
	}
	if l.onLimit != nil {
		l.onLimit()
	}
	wait := (1 - tokens) / float64(l.limit)
	c.Header("Retry-After", retryAfterSeconds(int(math.Ceil(wait))))
	writeError(c, &apiError{Status: http.StatusTooManyRequests, Code: codeRateLimited,
		Message: "too many requests without a valid API key from this address; retry after the Retry-After delay"})
	return false
}

// charge records one failed authentication of client.
func (l *failureLimiter) charge(client netip.Prefix) {
	l.bucket(client, true).Allow()
}

// singleQuery rejects a query parameter given more than once: which of
// ?block=1&block=2 was meant cannot be known, and taking either silently
// reads something the client may not have asked for.
func singleQuery(c *gin.Context) {
	for k, v := range c.Request.URL.Query() {
		if len(v) > 1 {
			writeError(c, invalid(k, "query parameter %q is given %d times; give it once", portfoliod.Truncate(k, 32), len(v)))
			return
		}
	}
	c.Next()
}

// headerLimit answers 431 in the error shape when the request's headers
// exceed max bytes. The HTTP server's own limit, which answers in plain
// text, is set above this one so that this one is met first.
func headerLimit(max int) gin.HandlerFunc {
	return func(c *gin.Context) {
		n := len(c.Request.Method) + len(c.Request.RequestURI) + len(c.Request.Proto) + 4
		for k, vs := range c.Request.Header {
			for _, v := range vs {
				n += len(k) + len(v) + 4 // ": " and CRLF
			}
		}
		if n > max {
			writeError(c, &apiError{Status: http.StatusRequestHeaderFieldsTooLarge, Code: codeInvalidRequest,
				Message: fmt.Sprintf("request headers exceed %d bytes", max)})
			return
		}
		c.Next()
	}
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
