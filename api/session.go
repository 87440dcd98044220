package api

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// The console's session cookie and anti-CSRF header.
const (
	// SessionCookie names the console session cookie. Its value is the
	// session's random id; it carries no key.
	SessionCookie = "portfoliod_session"
	// CSRFHeader carries the anti-CSRF token a console session needs on
	// every request that is not a GET or HEAD.
	CSRFHeader = "X-CSRF-Token"
)

// session is one signed-in console: the key it was opened with (name,
// hash and scopes, as they were at sign-in), its anti-CSRF token and its
// expiry.
type session struct {
	key     Key
	csrf    string
	expires time.Time
	// ended is closed when the session is removed (sign-out, a reload
	// that drops its key, expiry seen by a lookup), so its streams end.
	ended chan struct{}
}

// sessionStore holds the console sessions in memory, by the SHA-256 of
// their id, so the map holds nothing a cookie could be rebuilt from. A
// restart signs everyone out. It is safe for concurrent use.
type sessionStore struct {
	mu   sync.Mutex
	ttl  time.Duration
	max  int
	byID map[[32]byte]session
	now  func() time.Time
}

func newSessionStore(ttl time.Duration, max int) *sessionStore {
	return &sessionStore{ttl: ttl, max: max, byID: map[[32]byte]session{}, now: time.Now}
}

// randomToken is 256 random bits, base64url.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// create opens a session for k, returning its id, or false when the store
// is full of live sessions.
func (st *sessionStore) create(k Key) (string, session, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := st.now()
	if len(st.byID) >= st.max {
		for id, s := range st.byID {
			if !now.Before(s.expires) {
				st.remove(id)
			}
		}
		if len(st.byID) >= st.max {
			return "", session{}, false
		}
	}
	id := randomToken()
	s := session{key: k, csrf: randomToken(), expires: now.Add(st.ttl), ended: make(chan struct{})}
	st.byID[sha256.Sum256([]byte(id))] = s
	return id, s, true
}

// lookup returns the live session named id; an expired one is removed.
func (st *sessionStore) lookup(id string) (session, bool) {
	h := sha256.Sum256([]byte(id))
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.byID[h]
	if ok && !st.now().Before(s.expires) {
		st.remove(h)
		return session{}, false
	}
	return s, ok
}

// remove deletes the session hashed h and closes its ended channel; st.mu
// is held.
func (st *sessionStore) remove(h [32]byte) {
	if s, ok := st.byID[h]; ok {
		delete(st.byID, h)
		close(s.ended)
	}
}

// revoke ends the session named id.
func (st *sessionStore) revoke(id string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.remove(sha256.Sum256([]byte(id)))
}

// retain ends every session whose key is not among keys with the same
// name, hash and scopes: a key removed or changed by a reload signs its
// consoles out.
func (st *sessionStore) retain(keys []Key) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for id, s := range st.byID {
		if !slices.ContainsFunc(keys, func(k Key) bool {
			return k.Name == s.key.Name && k.Hash == s.key.Hash && slices.Equal(k.Scopes, s.key.Scopes)
		}) {
			st.remove(id)
		}
	}
}

// len is the number of sessions held, expired ones not yet removed
// included.
func (st *sessionStore) len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.byID)
}

// sessionKey authenticates a request by its session cookie: the session's
// key, or false after writing 401 (no such session) or 403 (a write
// without the session's anti-CSRF token). Only GET and HEAD go without
// the token: a cross-site page can make the browser send the cookie on a
// form POST, never with a custom header.
func (s *Server) sessionKey(c *gin.Context, id string) (Key, bool) {
	sess, ok := s.sessions.lookup(id)
	if !ok {
		s.authFailures.charge(clientNetwork(c.ClientIP()))
		writeError(c, &apiError{Status: http.StatusUnauthorized, Code: codeUnauthorized, Param: SessionCookie,
			Message: "the console session has expired or was signed out; sign in again"})
		return Key{}, false
	}
	if m := c.Request.Method; m != http.MethodGet && m != http.MethodHead {
		if subtle.ConstantTimeCompare([]byte(c.GetHeader(CSRFHeader)), []byte(sess.csrf)) != 1 {
			writeError(c, &apiError{Status: http.StatusForbidden, Code: codeForbidden, Param: CSRFHeader,
				Message: "a write from a console session needs its anti-CSRF token in the " + CSRFHeader + " header"})
			return Key{}, false
		}
	}
	c.Set(ctxSession, sess)
	return sess.key, true
}

// ctxSession holds the session a request was authenticated with.
const ctxSession = "portfoliod.session"

// sessionEnd returns, for a request authenticated by a console session, a
// channel closed when the session is ended and the session's expiry; for
// any other request nil (which blocks forever) and the zero time. A
// stream selects on both so that it outlives neither.
func sessionEnd(c *gin.Context) (<-chan struct{}, time.Time) {
	if v, ok := c.Get(ctxSession); ok {
		s := v.(session)
		return s.ended, s.expires
	}
	return nil, time.Time{}
}

// sessionJSON describes a console session to its page.
type sessionJSON struct {
	Object    string   `json:"object"`
	Key       string   `json:"key"`
	Scopes    []string `json:"scopes"`
	ExpiresAt string   `json:"expiresAt"`
	CSRFToken string   `json:"csrfToken"`
}

func toSessionJSON(s session) sessionJSON {
	out := sessionJSON{Object: "session", Key: s.key.Name, Scopes: make([]string, len(s.key.Scopes)),
		ExpiresAt: s.expires.UTC().Format(time.RFC3339), CSRFToken: s.csrf}
	for i, sc := range s.key.Scopes {
		out.Scopes[i] = string(sc)
	}
	return out
}

// createSession answers POST /ui/session: {"key": "..."} in a JSON body
// (never a URL) is exchanged for a session cookie. Failures count against
// the client's failed-authentication bucket like a bad x-api-key. Only a
// JSON body is taken, which a cross-site form cannot send, so no other
// site can sign a browser in under its key.
func (s *Server) createSession(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	client := clientNetwork(c.ClientIP())
	if !s.authFailures.open(c, client) {
		return
	}
	var req struct {
		Key string `json:"key"`
	}
	if err := decodeStrict(c, &req); err != nil {
		writeError(c, err)
		return
	}
	if req.Key == "" {
		writeError(c, invalid("key", "key is required: the API key to sign in with"))
		return
	}
	key, ok := s.keys().lookup(req.Key)
	if !ok {
		s.authFailures.charge(client)
		writeError(c, &apiError{Status: http.StatusUnauthorized, Code: codeUnauthorized, Param: "key", Message: "invalid API key"})
		return
	}
	c.Set(ctxKey, key)
	// A sign-in is a request of its key: it takes from the key's bucket.
	if !s.limiter.allow(c, key.Name) {
		return
	}
	// A sign-in replaces the browser's earlier session, which would
	// otherwise live on, unused, until it expires.
	if old, _ := c.Cookie(SessionCookie); old != "" {
		s.sessions.revoke(old)
	}
	id, sess, ok := s.sessions.create(key)
	if !ok {
		c.Header("Retry-After", "60")
		writeError(c, &apiError{Status: http.StatusTooManyRequests, Code: codeRateLimited,
			Message: "too many console sessions are open; retry later"})
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: id, Path: "/",
		MaxAge: int(time.Until(sess.expires).Seconds()), HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: secureCookie(c.Request)})
	c.JSON(http.StatusCreated, toSessionJSON(sess))
}

// getSession answers GET /ui/session: the signed-in session, with its
// anti-CSRF token (which the page keeps in memory only), or 401.
func (s *Server) getSession(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	id, _ := c.Cookie(SessionCookie)
	sess, ok := s.sessions.lookup(id)
	if id == "" || !ok {
		writeError(c, &apiError{Status: http.StatusUnauthorized, Code: codeUnauthorized, Param: SessionCookie,
			Message: "not signed in"})
		return
	}
	c.Set(ctxKey, sess.key)
	c.JSON(http.StatusOK, toSessionJSON(sess))
}

// deleteSession answers DELETE /ui/session: sign-out, which needs the
// session's anti-CSRF token like any console write.
func (s *Server) deleteSession(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	id, _ := c.Cookie(SessionCookie)
	if id == "" {
		writeError(c, &apiError{Status: http.StatusUnauthorized, Code: codeUnauthorized, Param: SessionCookie,
			Message: "not signed in"})
		return
	}
	key, ok := s.sessionKey(c, id)
	if !ok {
		return
	}
	c.Set(ctxKey, key)
	s.sessions.revoke(id)
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secureCookie(c.Request)})
	c.JSON(http.StatusOK, gin.H{"object": "session", "deleted": true})
}

// secureCookie reports whether the session cookie gets the Secure flag:
// always over TLS, and over plain HTTP unless both the connection's local
// address and the Host the browser asked for are loopback (a developer's
// machine; behind a proxy the Host is the public name).
func secureCookie(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	la, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if la == nil {
		return true
	}
	local, err := netip.ParseAddrPort(la.String())
	if err != nil || !local.Addr().Unmap().IsLoopback() {
		return true
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return false
	}
	a, err := netip.ParseAddr(host)
	return err != nil || !a.Unmap().IsLoopback()
}
