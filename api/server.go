// Package api is portfoliod's HTTP layer: the gin router, middleware
// (request ids, logging, auth, rate limits, body and time limits), handlers,
// the error-to-status table and the wire DTOs. It is the only package that
// imports gin.
package api

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod"
)

// Store is the customer storage the API needs.
type Store = portfoliod.CustomerStore

// Portfolios reads balances and merges them with profiles.
// aggregator.Service implements it.
type Portfolios interface {
	// Portfolio is customer id with every wallet paired with its balance.
	Portfolio(ctx context.Context, id string, opts portfoliod.ReadOptions) (portfoliod.Portfolio, error)
	// PortfolioOf is Portfolio for a customer already loaded (onboarding's
	// answer).
	PortfolioOf(ctx context.Context, c portfoliod.Customer, opts portfoliod.ReadOptions) (portfoliod.Portfolio, error)
	// Wallet reads one wallet, whether or not a customer owns it.
	Wallet(ctx context.Context, wallet common.Address, opts portfoliod.ReadOptions) (portfoliod.Snapshot, error)
	Tokens() []portfoliod.Token
}

// Check is one readiness check reported by /readyz.
type Check struct {
	Name  string
	Check func(ctx context.Context) error
}

// Defaults for the zero fields of Config; the service's configuration
// defaults are these.
const (
	DefaultRequestsPerSecond   = 50
	DefaultBurst               = 100
	DefaultFailedAuthPerSecond = 1
	DefaultFailedAuthBurst     = 20
	DefaultMaxBodyBytes        = 1 << 20
	DefaultMaxHeaderBytes      = 64 << 10
	DefaultRequestTimeout      = 10 * time.Second
	DefaultBackupTimeout       = time.Hour
)

// Config configures the HTTP layer.
type Config struct {
	Keys              []Key
	RequestsPerSecond float64
	Burst             int
	MaxBodyBytes      int64
	RequestTimeout    time.Duration
	// BackupTimeout replaces RequestTimeout, and the server's write
	// timeout, for GET /admin/backup, which streams the whole store;
	// default one hour.
	BackupTimeout  time.Duration
	TrustedProxies []string
	// FailedAuthPerSecond and FailedAuthBurst size the token bucket that
	// requests failing authentication take from, per client address
	// (IPv6: per /64); an empty bucket answers 429.
	FailedAuthPerSecond float64
	FailedAuthBurst     int
	// MaxHeaderBytes bounds the request line and headers; past it the
	// answer is 431 in the error shape. The HTTP server's own
	// MaxHeaderBytes should be larger (the service uses twice this), or it
	// answers first, in plain text.
	MaxHeaderBytes int
	Logger         *slog.Logger
	// Ready lists the readiness checks of /readyz, run in order.
	Ready []Check
	// Metrics, when set, receives HTTP metrics and serves /metrics.
	Metrics *Metrics
	// OpenAPI is the document served at /openapi.json.
	OpenAPI []byte
	// Events, when set, serves the event streams and the event log
	// (GET /events, GET /customer/{id}/events); nil answers them 404.
	Events Events
	// MaxStreamsPerKey bounds the streams one API key has open (429
	// past it); 0 means DefaultMaxStreamsPerKey.
	MaxStreamsPerKey int
	// Positions, when set, serves the holder register export
	// (GET /reports/positions); nil answers it 503.
	Positions Positions
	// Webhooks, when set, serves the webhook endpoints API (see
	// webhooks.go); nil answers its routes 404.
	Webhooks Webhooks
	// Console configures the web console under /ui/ (see ui.go).
	Console ConsoleConfig
}

// Server is the HTTP API. It is safe for concurrent use.
type Server struct {
	cfg          Config
	log          *slog.Logger
	store        Store
	portfolios   Portfolios
	keyring      atomic.Pointer[keyring]
	limiter      *keyLimiter
	authFailures *failureLimiter
	metrics      *Metrics
	idem         *idempotency
	events       Events
	streams      *streamLimiter
	sessions     *sessionStore
	engine       *gin.Engine
}

// New builds the router. portfolios may be nil, in which case balance
// routes answer 503 and onboarding omits balances.
func New(cfg Config, store Store, portfolios Portfolios) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.MaxBodyBytes = cmp.Or(max(cfg.MaxBodyBytes, 0), DefaultMaxBodyBytes)
	cfg.BackupTimeout = cmp.Or(max(cfg.BackupTimeout, 0), DefaultBackupTimeout)
	cfg.RequestTimeout = cmp.Or(max(cfg.RequestTimeout, 0), DefaultRequestTimeout)
	cfg.RequestsPerSecond = cmp.Or(max(cfg.RequestsPerSecond, 0), DefaultRequestsPerSecond)
	cfg.Burst = cmp.Or(max(cfg.Burst, 0), DefaultBurst)
	cfg.FailedAuthPerSecond = cmp.Or(max(cfg.FailedAuthPerSecond, 0), DefaultFailedAuthPerSecond)
	cfg.FailedAuthBurst = cmp.Or(max(cfg.FailedAuthBurst, 0), DefaultFailedAuthBurst)
	cfg.MaxHeaderBytes = cmp.Or(max(cfg.MaxHeaderBytes, 0), DefaultMaxHeaderBytes)
	s := &Server{
		cfg:          cfg,
		log:          cfg.Logger,
		store:        store,
		portfolios:   portfolios,
		limiter:      newKeyLimiter(cfg.RequestsPerSecond, cfg.Burst),
		authFailures: newFailureLimiter(cfg.FailedAuthPerSecond, cfg.FailedAuthBurst),
		metrics:      cfg.Metrics,
		idem:         &idempotency{store: store},
		events:       cfg.Events,
		streams:      &streamLimiter{max: cmp.Or(max(cfg.MaxStreamsPerKey, 0), DefaultMaxStreamsPerKey), open: map[string]int{}},
	}
	if s.metrics != nil {
		s.limiter.onLimit = s.metrics.rateLimited.Inc
		s.authFailures.onLimit = s.metrics.authLimited.Inc
	}
	s.SetKeys(cfg.Keys)

	if gin.Mode() != gin.TestMode {
		gin.SetMode(gin.ReleaseMode)
	}
	r := gin.New()
	if err := r.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	r.HandleMethodNotAllowed = true
	// Route on the path as sent, so an encoded slash (customer_x%2Fportfolio)
	// stays inside its segment; parameters are unescaped after matching.
	r.UseEscapedPath = true
	r.UnescapePathValues = true
	// No redirects and no cleaning: a non-canonical path is answered, in
	// the error shape, rather than sent elsewhere (a 301 or 307 carries no
	// request id and, for POST, loses the body on many clients), and dot
	// segments are refused rather than resolved past the route a proxy or
	// a log saw.
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.RemoveExtraSlash = false
	r.Use(s.requestContext(), s.recovery(), headerLimit(cfg.MaxHeaderBytes), singleQuery, s.limits())
	r.NoRoute(func(c *gin.Context) {
		if hasDotSegment(c.Request.URL.EscapedPath()) {
			writeError(c, invalid("", "the path must not contain . or .. segments"))
			return
		}
		writeError(c, notFound("", "no such route"))
	})
	r.NoMethod(func(c *gin.Context) {
		writeError(c, &apiError{Status: http.StatusMethodNotAllowed, Code: codeInvalidRequest, Message: "method not allowed on this route"})
	})

	// Every route runs under the request budget, but the backup, which
	// streams the whole store under its own.
	routes := r.Group("", budget(cfg.RequestTimeout))
	// Every GET route answers HEAD as GET without a body (RFC 9110
	// section 9.3.2); net/http drops the body of a HEAD response.
	get := func(g *gin.RouterGroup, path string, h ...gin.HandlerFunc) {
		g.GET(path, h...)
		g.HEAD(path, h...)
	}
	get(routes, "/healthz", s.healthz)
	get(routes, "/readyz", s.readyz)
	get(routes, "/openapi.json", s.openapi)
	if s.metrics != nil {
		get(routes, "/metrics", gin.WrapH(s.metrics.Handler()))
	}

	read, write, admin := s.authenticate(ScopeRead), s.authenticate(ScopeWrite), s.authenticate(ScopeAdmin)
	routes.POST("/customer", write, s.idempotent, s.onboard)
	get(routes, "/customer", read, s.listCustomers)
	get(routes, "/customer/:id", read, s.getCustomer)
	routes.PATCH("/customer/:id", write, s.patchCustomer)
	routes.DELETE("/customer/:id", write, s.deleteCustomer)
	get(routes, "/customer/:id/portfolio", read, s.portfolio)
	routes.POST("/customer/:id/wallets", write, s.idempotent, s.linkWallet)
	routes.DELETE("/customer/:id/wallets/:address", write, s.unlinkWallet)
	get(routes, "/wallet/:address", read, s.wallet)
	get(routes, "/tokens", read, s.tokens)
	get(r.Group("", budget(cfg.BackupTimeout)), "/admin/backup", admin, s.backup)
	// The export streams every wallet: the backup's budget too.
	get(r.Group("", budget(cfg.BackupTimeout)), "/reports/positions", admin, s.reportPositions)
	// Streams live for hours: no request budget (the list form of
	// /events takes it itself).
	get(&r.RouterGroup, "/events", read, s.liveOn, s.listEvents)
	get(&r.RouterGroup, "/customer/:id/events", read, s.liveOn, s.customerEvents)
	get(routes, "/customer/:id/history", read, s.liveOn, s.customerHistory)
	get(routes, "/frozen", read, s.liveOn, s.frozen)
	get(routes, "/frozen/series", read, s.liveOn, s.frozenSeries)
	s.routeWebhooks(routes, get, admin)
	// Last: the console's header middleware goes on the engine (for its
	// 404s), so routes registered after it would run it too.
	s.routeConsole(r, get)
	s.engine = r
	return s, nil
}

// Handler returns the root handler.
func (s *Server) Handler() http.Handler { return s.engine }

// SetKeys replaces the accepted API keys (used on config reload). Requests
// in flight keep the key they were authenticated with; console sessions
// of a key removed or changed end (session.go).
func (s *Server) SetKeys(keys []Key) {
	if s.sessions == nil { // the first call, from New
		s.sessions = newSessionStore(s.cfg.Console.sessionSettings())
	}
	s.keyring.Store(&keyring{keys: append([]Key(nil), keys...)})
	s.sessions.retain(keys)
}

func (s *Server) keys() *keyring { return s.keyring.Load() }

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

type checkJSON struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// readyz runs every readiness check; any failure makes it 503 with the
// failing checks named. The reasons name node hosts and dial errors, so
// they are logged, and shown only to a request with an admin key.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	key, ok := s.keys().lookup(c.GetHeader("x-api-key"))
	detail := ok && key.Has(ScopeAdmin)
	status := http.StatusOK
	checks := make([]checkJSON, 0, len(s.cfg.Ready))
	for _, ch := range s.cfg.Ready {
		res := checkJSON{Name: ch.Name, Status: "ok"}
		if err := ch.Check(ctx); err != nil {
			res.Status, res.Error = "failing", "the "+ch.Name+" check failed; the service log, or /readyz with an admin key, says why"
			if detail {
				res.Error = err.Error()
			}
			loggerFrom(c).Warn("readiness check failing", "check", ch.Name, "err", err.Error())
			status = http.StatusServiceUnavailable
		}
		checks = append(checks, res)
	}
	overall := "ready"
	if status != http.StatusOK {
		overall = "not_ready"
	}
	c.JSON(status, gin.H{"status": overall, "checks": checks})
}

// hasDotSegment reports whether an escaped URL path holds a "." or ".."
// segment, encoded or not.
func hasDotSegment(escaped string) bool {
	for seg := range strings.SplitSeq(escaped, "/") {
		if u, err := url.PathUnescape(seg); err == nil && (u == "." || u == "..") {
			return true
		}
	}
	return false
}

func (s *Server) openapi(c *gin.Context) {
	if len(s.cfg.OpenAPI) == 0 {
		writeError(c, notFound("", "no OpenAPI document is configured"))
		return
	}
	c.Data(http.StatusOK, "application/json", s.cfg.OpenAPI)
}

// errNoChain is returned by balance routes when the server runs without a
// chain reader.
var errNoChain = fmt.Errorf("%w: no chain configured", portfoliod.ErrChainUnavailable)
