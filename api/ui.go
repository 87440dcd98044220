package api

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod/console"
)

// Console defaults.
const (
	// DefaultSessionTTL is how long a console session lasts after sign-in.
	DefaultSessionTTL = 8 * time.Hour
	// DefaultMaxSessions bounds the sessions held in memory.
	DefaultMaxSessions = 10000
)

// ConsoleConfig configures the web console (SPEC section 11).
type ConsoleConfig struct {
	// SessionTTL is a session's lifetime from sign-in; 0 means
	// DefaultSessionTTL.
	SessionTTL time.Duration
	// MaxSessions bounds the live sessions; sign-in past it is a 429.
	// 0 means DefaultMaxSessions.
	MaxSessions int
	// Files are the console's files (index.html at the root); nil means
	// the embedded console.Files().
	Files fs.FS
}

// consoleCSP is the console's Content-Security-Policy: its own scripts,
// styles and API only; no inline script or style, no eval, no framing, no
// other host.
const consoleCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// uiHeaders sets the console's security headers on every response under
// /ui, the 404s and 405s included.
func uiHeaders(c *gin.Context) {
	if p := c.Request.URL.Path; p == "/ui" || strings.HasPrefix(p, "/ui/") {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", consoleCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
	}
	c.Next()
}

// asset is one console file, ready to serve: its bytes, their gzip form
// when that is smaller, and the strong ETag of each.
type asset struct {
	contentType string
	body, gz    []byte
	etag, gzTag string
}

// assetTypes are the content types of the console's files, by extension
// (not the system's MIME table, which varies between machines).
var assetTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".txt":  "text/plain; charset=utf-8",
	".json": "application/json",
}

// loadAssets reads every file of fsys into memory.
func loadAssets(fsys fs.FS) (map[string]*asset, error) {
	out := map[string]*asset{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		ct, ok := assetTypes[path.Ext(p)]
		if !ok {
			return fmt.Errorf("console file %s: no content type for its extension", p)
		}
		a := &asset{contentType: ct, body: body, etag: strongETag(body, "")}
		if ct != "image/png" {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			if buf.Len() < len(body) {
				a.gz, a.gzTag = buf.Bytes(), strongETag(body, "-gz")
			}
		}
		out[p] = a
		return nil
	})
	return out, err
}

func strongETag(body []byte, suffix string) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + suffix + `"`
}

// routeConsole registers the console's routes under /ui/: the page, its
// assets and the session routes (session.go).
func (s *Server) routeConsole(r *gin.Engine, get func(*gin.RouterGroup, string, ...gin.HandlerFunc)) {
	// On the engine, so the headers are on /ui's 404s and 405s too; it
	// applies to the routes registered after it, which are only these.
	r.Use(uiHeaders)
	files := s.cfg.Console.Files
	if files == nil {
		files = console.Files()
	}
	assets, err := loadAssets(files)
	if err != nil {
		panic(err) // the embedded files are checked by the tests
	}
	ui := r.Group("/ui", budget(s.cfg.RequestTimeout))
	index := func(c *gin.Context) { serveAsset(c, assets["index.html"]) }
	get(ui, "", index)
	get(ui, "/", index)
	get(ui, "/assets/*path", func(c *gin.Context) {
		if hasDotSegment(c.Request.URL.EscapedPath()) {
			writeError(c, invalid("", "the path must not contain . or .. segments"))
			return
		}
		a, ok := assets[strings.TrimPrefix(c.Param("path"), "/")]
		if !ok || c.Param("path") == "/index.html" {
			writeError(c, notFound("", "no such console file"))
			return
		}
		serveAsset(c, a)
	})
	ui.POST("/session", s.createSession)
	get(ui, "/session", s.getSession)
	ui.DELETE("/session", s.deleteSession)
}

// serveAsset answers a console file: gzip when the client takes it, and
// 304 when its ETag matches. Every answer is revalidated (no-cache), so a
// new build is picked up at once and an unchanged file costs a 304.
func serveAsset(c *gin.Context, a *asset) {
	if a == nil {
		writeError(c, notFound("", "no such console file"))
		return
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	body, tag := a.body, a.etag
	if a.gz != nil && acceptsGzip(c.GetHeader("Accept-Encoding")) {
		body, tag = a.gz, a.gzTag
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", tag)
	if inm := c.GetHeader("If-None-Match"); inm != "" && etagListHas(inm, tag) {
		h.Del("Content-Encoding")
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, a.contentType, body)
}

// acceptsGzip reports whether an Accept-Encoding list takes gzip: named,
// or by "*", with a q above 0 (RFC 9110 section 12.5.3).
func acceptsGzip(ae string) bool {
	star := false
	for part := range strings.SplitSeq(ae, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		q := 1.0
		if v, ok := strings.CutPrefix(strings.ReplaceAll(strings.TrimSpace(params), " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch {
		case strings.EqualFold(name, "gzip"):
			return q > 0
		case name == "*":
			star = q > 0
		}
	}
	return star
}

// etagListHas reports whether an If-None-Match list names tag (weak
// comparison, as RFC 9110 section 13.1.2 asks).
func etagListHas(list, tag string) bool {
	if strings.TrimSpace(list) == "*" {
		return true
	}
	for t := range strings.SplitSeq(list, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == tag {
			return true
		}
	}
	return false
}

// sessionSettings are the session store's limits from the config.
func (cc ConsoleConfig) sessionSettings() (time.Duration, int) {
	return cmp.Or(max(cc.SessionTTL, 0), DefaultSessionTTL), cmp.Or(max(cc.MaxSessions, 0), DefaultMaxSessions)
}
