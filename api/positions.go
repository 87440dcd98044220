package api

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod"
)

// Positions produces holder registers (SPEC section 10).
// aggregator.Register implements it.
type Positions interface {
	// OpenPositions fixes the token and resolves the block of a register,
	// before any balance read: portfoliod.ErrUnknownToken,
	// portfoliod.ErrBlockNotFound, or the reader's errors.
	OpenPositions(ctx context.Context, opts portfoliod.ReadOptions) (portfoliod.PositionReport, error)
	// EachPosition calls fn with every customer wallet's position at the
	// report's block, in customer id order, until fn or a read fails.
	EachPosition(ctx context.Context, rep portfoliod.PositionReport, fn func(portfoliod.Position) error) error
}

// ReportFormat is the file format of an export.
type ReportFormat string

// Export formats.
const (
	ReportCSV   ReportFormat = "csv"
	ReportJSONL ReportFormat = "jsonl"
)

// ParseReportFormat accepts csv and jsonl; "" is csv. Anything else is an
// EINVALID error about "format".
func ParseReportFormat(s string) (ReportFormat, error) {
	switch f := ReportFormat(s); f {
	case "":
		return ReportCSV, nil
	case ReportCSV, ReportJSONL:
		return f, nil
	}
	return "", portfoliod.Invalidf("format", "format must be csv or jsonl, got %q", portfoliod.Truncate(s, 32))
}

// ReportOptions shape an export.
type ReportOptions struct {
	Format ReportFormat
	// IncludeName adds the customer's name, the one personal datum of the
	// register, as the last column.
	IncludeName bool
}

// positionColumns are the CSV header, in order; "name" follows with
// IncludeName.
var positionColumns = []string{"customer_id", "type", "country_code", "verification_status", "wallet",
	"token", "symbol", "decimals", "block_number", "block_hash", "total", "frozen", "available"}

// WritePositions writes the holder register rep, read from src, to w and
// returns the rows written. A complete register ends with its
// completeness line (CSV: "# complete, N rows"; JSONL:
// {"object":"report_end","rows":N}); a failure ends it with an error line
// instead (CSV: "# error: MESSAGE"; JSONL: {"object":"report_error",...})
// and is returned, so a reader can always tell a short file from a whole
// one. CSV is RFC 4180 through encoding/csv, every cell guarded against
// formula injection (see csvCell).
func WritePositions(ctx context.Context, w io.Writer, src Positions, rep portfoliod.PositionReport, opts ReportOptions) (int, error) {
	if opts.Format == ReportJSONL {
		return writePositionsJSONL(ctx, w, src, rep, opts)
	}
	return writePositionsCSV(ctx, w, src, rep, opts)
}

func writePositionsCSV(ctx context.Context, w io.Writer, src Positions, rep portfoliod.PositionReport, opts ReportOptions) (int, error) {
	// Wrapped, so that csv.Writer buffers on its own: given a *bufio.Writer
	// it would share it, and its Flush would push out what the caller
	// keeps back (the handler commits the response with its first byte).
	cw := csv.NewWriter(struct{ io.Writer }{w})
	header := positionColumns
	if opts.IncludeName {
		header = append(header[:len(header):len(header)], "name")
	}
	rows := 0
	err := cw.Write(header)
	if err == nil {
		token, symbol := lowerHex(rep.Token.Address), csvCell(rep.Token.Symbol)
		decimals := strconv.Itoa(int(rep.Token.Decimals))
		number, hash := strconv.FormatUint(rep.Block.Number, 10), rep.Block.Hash.Hex()
		rec := make([]string, len(header))
		err = src.EachPosition(ctx, rep, func(p portfoliod.Position) error {
			c := p.Customer
			rec = append(rec[:0], csvCell(c.ID), csvCell(string(c.Type)), csvCell(c.CountryCode),
				csvCell(string(c.VerificationStatus)), lowerHex(p.Balance.Wallet), token, symbol, decimals,
				number, hash, p.Balance.Total.String(), p.Balance.Frozen.String(), p.Balance.Available.String())
			if opts.IncludeName {
				rec = append(rec, csvCell(c.Name))
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
			rows++
			return nil
		})
	}
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		// Best effort: the writer may be what failed.
		fmt.Fprintf(w, "# error: %s\n", oneLine(toAPIError(err).Message))
		return rows, err
	}
	_, err = fmt.Fprintf(w, "# complete, %d rows\n", rows)
	return rows, err
}

// csvCell guards a cell against CSV (formula) injection, as OWASP
// advises: a spreadsheet runs a cell starting with =, +, -, @, a tab or a
// carriage return as a formula, so such a cell is written with a leading
// single quote, which spreadsheets show as text. A cell starting with a
// quote gets one more, so the guard can be undone exactly: a cell that
// starts with ' had one added; drop it to get the stored value.
func csvCell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r'", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// oneLine keeps an error message on its line.
func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

func writePositionsJSONL(ctx context.Context, w io.Writer, src Positions, rep portfoliod.PositionReport, opts ReportOptions) (int, error) {
	// The part every row shares, rendered once.
	var tail []byte
	tail = append(tail, `,"token":"`...)
	tail = append(tail, lowerHex(rep.Token.Address)...)
	tail = append(tail, `","symbol":`...)
	tail = appendString(tail, rep.Token.Symbol)
	tail = append(tail, `,"decimals":`...)
	tail = strconv.AppendUint(tail, uint64(rep.Token.Decimals), 10)
	tail = append(tail, `,"blockNumber":`...)
	tail = strconv.AppendUint(tail, rep.Block.Number, 10)
	tail = append(tail, `,"blockHash":"`...)
	tail = append(tail, rep.Block.Hash.Hex()...)
	tail = append(tail, '"')

	rows := 0
	buf := make([]byte, 0, 512)
	err := src.EachPosition(ctx, rep, func(p portfoliod.Position) error {
		c := p.Customer
		var addr [42]byte
		hexAddr(addr[:], p.Balance.Wallet[:])
		buf = append(buf[:0], `{"object":"position","customerId":`...)
		buf = appendString(buf, c.ID)
		buf = append(buf, `,"type":`...)
		buf = appendString(buf, string(c.Type))
		buf = append(buf, `,"countryCode":`...)
		buf = appendString(buf, c.CountryCode)
		buf = append(buf, `,"verificationStatus":`...)
		buf = appendString(buf, string(c.VerificationStatus))
		if opts.IncludeName {
			buf = append(buf, `,"name":`...)
			buf = appendString(buf, c.Name)
		}
		buf = append(buf, `,"wallet":"`...)
		buf = append(buf, addr[:]...)
		buf = append(buf, '"')
		buf = append(buf, tail...)
		buf = append(buf, `,"total":"`...)
		buf = appendAmount(buf, p.Balance.Total)
		buf = append(buf, `","frozen":"`...)
		buf = appendAmount(buf, p.Balance.Frozen)
		buf = append(buf, `","available":"`...)
		buf = appendAmount(buf, p.Balance.Available)
		buf = append(buf, "\"}\n"...)
		if _, err := w.Write(buf); err != nil {
			return err
		}
		rows++
		return nil
	})
	if err != nil {
		ae := toAPIError(err)
		buf = append(buf[:0], `{"object":"report_error","rows":`...)
		buf = strconv.AppendInt(buf, int64(rows), 10)
		buf = append(buf, `,"error":{"code":`...)
		buf = appendString(buf, ae.Code)
		buf = append(buf, `,"message":`...)
		buf = appendString(buf, ae.Message)
		buf = append(buf, "}}\n"...)
		_, _ = w.Write(buf) // best effort: the writer may be what failed
		return rows, err
	}
	buf = append(buf[:0], `{"object":"report_end","rows":`...)
	buf = strconv.AppendInt(buf, int64(rows), 10)
	buf = append(buf, "}\n"...)
	_, err = w.Write(buf)
	return rows, err
}

// positionsQuery parses the export's query: token and block as on the
// balance routes, format, and include=name.
func positionsQuery(c *gin.Context) (portfoliod.ReadOptions, ReportOptions, error) {
	q := c.Request.URL.Query()
	var ropts ReportOptions
	for k := range q {
		switch k {
		case "token", "block", "format", "include":
		default:
			return portfoliod.ReadOptions{}, ropts, invalid(k, "unknown query parameter %q", k)
		}
	}
	f, err := ParseReportFormat(q.Get("format"))
	if _, given := q["format"]; err != nil || given && q.Get("format") == "" {
		return portfoliod.ReadOptions{}, ropts, invalid("format", "format must be csv or jsonl")
	}
	ropts.Format = f
	if raw, ok := q["include"]; ok {
		if raw[0] != "name" {
			return portfoliod.ReadOptions{}, ropts, invalid("include", "include takes only name")
		}
		ropts.IncludeName = true
	}
	// readOptions refuses the export's own parameters: it gets the rest.
	rest := c.Request.URL.Query()
	rest.Del("format")
	rest.Del("include")
	opts, err := readOptionsOf(rest)
	return opts, ropts, err
}

// reportPositions answers GET /reports/positions: the holder register of
// one token at one block, streamed as CSV or JSON Lines (see
// WritePositions). The answer is committed with its first 64 KiB: a
// failure before (a reverting token, a node down, a block whose state is
// gone) is an ordinary error response; a failure after ends the body with
// the format's error line and no completeness line. A client that goes
// away cancels the request's context, which stops the node reads.
func (s *Server) reportPositions(c *gin.Context) {
	if s.cfg.Positions == nil {
		writeError(c, errNoChain)
		return
	}
	opts, ropts, err := positionsQuery(c)
	if err != nil {
		writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	rep, err := s.cfg.Positions.OpenPositions(ctx, opts)
	if err != nil {
		writeError(c, err)
		return
	}
	ctype, ext := "text/csv; charset=utf-8", "csv"
	if ropts.Format == ReportJSONL {
		ctype, ext = "application/x-ndjson", "jsonl"
	}
	name := fmt.Sprintf("positions-%s-%d.%s", lowerHex(rep.Token.Address), rep.Block.Number, ext)
	start := func() {
		c.Header("Content-Type", ctype)
		c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
		setReadHeaders(c, rep.Block, time.Time{})
		c.Status(http.StatusOK)
	}
	if c.Request.Method == http.MethodHead {
		start()
		return
	}
	// The server's write timeout is sized for API answers, not for every
	// wallet: the export gets the backup's budget.
	if err := http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(s.cfg.BackupTimeout)); err != nil {
		loggerFrom(c).Warn("positions export: cannot extend the write deadline; a large export may be cut off by http.write_timeout", "err", err.Error())
	}
	lw := &lazyWriter{w: c.Writer, start: start}
	bw := bufio.NewWriterSize(lw, 64<<10)
	rows, err := WritePositions(ctx, bw, s.cfg.Positions, rep, ropts)
	if err != nil && !lw.started {
		writeError(c, err)
		return
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		loggerFrom(c).Error("positions export failed mid-stream", "rows", rows, "block", rep.Block.Number, "err", logText(err))
	}
}

// lazyWriter calls start before its first byte goes out.
type lazyWriter struct {
	w       io.Writer
	start   func()
	started bool
}

func (w *lazyWriter) Write(p []byte) (int, error) {
	if !w.started {
		w.started = true
		w.start()
	}
	return w.w.Write(p)
}
