package live

import (
	"context"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
)

// MaxSeriesPoints bounds a frozen-total series.
const MaxSeriesPoints = 10_000

// SeriesStore is what FrozenSeries reads: the event log and the register.
type SeriesStore interface {
	Events(ctx context.Context, q portfoliod.EventQuery) ([]portfoliod.Event, bool, error)
	Frozen(ctx context.Context, q portfoliod.FrozenQuery) (portfoliod.FrozenPage, error)
}

// FrozenSeries returns the frozen total of token's register at from,
// from+step, … up to to (at most MaxSeriesPoints points), by block time:
// the register's total now, walked back through the event log's frozen
// changes, newest first. Before the oldest event the log still holds
// (live.retention) the total is the one just before it.
func FrozenSeries(ctx context.Context, s SeriesStore, token common.Address, from, to time.Time, step time.Duration) ([]portfoliod.FrozenPoint, error) {
	if step <= 0 || to.Before(from) {
		return nil, portfoliod.Invalidf("step", "the series needs from <= to and a positive step")
	}
	n := int(to.Sub(from)/step) + 1
	if n > MaxSeriesPoints {
		return nil, portfoliod.Invalidf("step", "the series would have %d points, at most %d", n, MaxSeriesPoints)
	}
	reg, err := s.Frozen(ctx, portfoliod.FrozenQuery{Token: token, Limit: 1})
	if err != nil {
		return nil, err
	}
	points := make([]portfoliod.FrozenPoint, n)
	for i := range points {
		points[i].Time = from.Add(time.Duration(i) * step).UTC()
	}
	cur := new(big.Int).Set(reg.FrozenTotal)
	k := n - 1 // the latest point not yet given a value
	q := portfoliod.EventQuery{Newest: true, Token: token, Type: portfoliod.EventBalanceUpdated, Limit: portfoliod.MaxEventPage}
	for k >= 0 {
		page, more, err := s.Events(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			at := e.Data.Block.Time
			// Points at or after this event's block see the total after it.
			for k >= 0 && !points[k].Time.Before(at) {
				points[k].FrozenTotal = new(big.Int).Set(cur)
				k--
			}
			if k < 0 {
				break
			}
			cur.Sub(cur, new(big.Int).Sub(e.Data.Balances.Frozen, e.Data.Previous.Frozen))
		}
		if !more || len(page) == 0 {
			break
		}
		q.After = page[len(page)-1].ID
	}
	for ; k >= 0; k-- {
		points[k].FrozenTotal = new(big.Int).Set(cur)
	}
	return points, nil
}
