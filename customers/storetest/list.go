package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
)

func testList(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpen(t, open)
	var ids []string
	for i := range 25 {
		ids = append(ids, mustCreate(t, s, individual(wallet(i))).ID)
	}
	slices.Sort(ids)

	t.Run("pages", func(t *testing.T) {
		var got []string
		var sizes []int
		var more []bool
		after := ""
		for range 10 {
			page, hasMore, err := s.List(ctx, portfoliod.ListOptions{Limit: 10, StartingAfter: after})
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(page))
			more = append(more, hasMore)
			for _, c := range page {
				got = append(got, c.ID)
			}
			if !hasMore {
				break
			}
			after = page[len(page)-1].ID
		}
		if diff := cmp.Diff([]int{10, 10, 5}, sizes); diff != "" {
			t.Errorf("page sizes mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]bool{true, true, false}, more); diff != "" {
			t.Errorf("hasMore mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(ids, got); diff != "" {
			t.Errorf("listed ids mismatch (-want +got):\n%s", diff)
		}
	})

	tests := []struct {
		name     string
		opts     portfoliod.ListOptions
		want     []string
		wantMore bool
	}{
		{name: "default limit", opts: portfoliod.ListOptions{}, want: ids[:portfoliod.DefaultListLimit], wantMore: true},
		{name: "limit above max is clamped", opts: portfoliod.ListOptions{Limit: 1000}, want: ids},
		{name: "exact last page", opts: portfoliod.ListOptions{Limit: 5, StartingAfter: ids[19]}, want: ids[20:]},
		{name: "after the last id", opts: portfoliod.ListOptions{StartingAfter: ids[24]}, want: []string{}},
		{name: "unknown cursor continues from its position", opts: portfoliod.ListOptions{Limit: 2, StartingAfter: ids[3] + "0"}, want: ids[4:6], wantMore: true},
		{name: "cursor before every id", opts: portfoliod.ListOptions{Limit: 1, StartingAfter: "a"}, want: ids[:1], wantMore: true},
		{name: "cursor after every id", opts: portfoliod.ListOptions{StartingAfter: "z"}, want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, hasMore, err := s.List(ctx, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, c := range page {
				got = append(got, c.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("List(%+v) mismatch (-want +got):\n%s", tt.opts, diff)
			}
			if hasMore != tt.wantMore {
				t.Errorf("List(%+v) hasMore = %v, want %v", tt.opts, hasMore, tt.wantMore)
			}
		})
	}

	t.Run("name prefix", testListNamePrefix(open))

	t.Run("empty store", func(t *testing.T) {
		page, hasMore, err := mustOpen(t, open).List(ctx, portfoliod.ListOptions{})
		if err != nil || len(page) != 0 || hasMore {
			t.Errorf("List on an empty store = %v, %v, %v", page, hasMore, err)
		}
	})
}

func testForEach(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpen(t, open)
	var want []string
	for i := range 5 {
		want = append(want, mustCreate(t, s, individual(wallet(i))).ID)
	}
	slices.Sort(want)
	var got []string
	if err := s.ForEach(ctx, func(c portfoliod.Customer) error { got = append(got, c.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ForEach ids mismatch (-want +got):\n%s", diff)
	}
	errStop := errors.New("stop")
	n := 0
	err := s.ForEach(ctx, func(portfoliod.Customer) error { n++; return errStop })
	if err != errStop || n != 1 {
		t.Errorf("ForEach with a failing fn = %v after %d calls, want errStop after 1", err, n)
	}
}

func testCount(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpen(t, open)
	if n, w, err := s.Count(ctx); n != 0 || w != 0 || err != nil {
		t.Errorf("Count() on an empty store = %d, %d, %v", n, w, err)
	}
	mustCreate(t, s, individual(wallet(1), wallet(2)))
	mustCreate(t, s, individual())
	mustCreate(t, s, individual(wallet(3)))
	if n, w, err := s.Count(ctx); n != 3 || w != 3 || err != nil {
		t.Errorf("Count() = %d, %d, %v, want 3, 3, nil", n, w, err)
	}
}

// testListNamePrefix: NamePrefix keeps the customers whose name begins
// with it in any case, in id order, paged by the same cursor rule; a
// prefix in the middle of a name or of another field matches nothing.
func testListNamePrefix(open Factory) func(*testing.T) {
	return func(t *testing.T) {
		ctx := context.Background()
		s := mustOpen(t, open)
		named := func(name, username string) string {
			c := individual()
			c.Name, c.Username = name, username
			return mustCreate(t, s, c).ID
		}
		john, joan, jo := named("John Doe", ""), named("joan Smith", ""), named("JO", "")
		named("Mary Johnson", "johnny")
		named("", "john")
		want := []string{john, joan, jo}
		slices.Sort(want)

		list := func(opts portfoliod.ListOptions) ([]string, bool) {
			t.Helper()
			page, more, err := s.List(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, c := range page {
				got = append(got, c.ID)
			}
			return got, more
		}
		if got, more := list(portfoliod.ListOptions{NamePrefix: "jO"}); !cmp.Equal(want, got) || more {
			t.Errorf("List(NamePrefix jO) = %v, %v, want %v, false", got, more, want)
		}
		if got, more := list(portfoliod.ListOptions{NamePrefix: "jo", Limit: 2}); !cmp.Equal(want[:2], got) || !more {
			t.Errorf("List(NamePrefix jo, Limit 2) = %v, %v, want %v, true", got, more, want[:2])
		}
		if got, more := list(portfoliod.ListOptions{NamePrefix: "jo", Limit: 2, StartingAfter: want[1]}); !cmp.Equal(want[2:], got) || more {
			t.Errorf("List(NamePrefix jo, after the second) = %v, %v, want %v, false", got, more, want[2:])
		}
		if got, _ := list(portfoliod.ListOptions{NamePrefix: "JOHN D"}); !cmp.Equal([]string{john}, got) {
			t.Errorf("List(NamePrefix JOHN D) = %v, want [%s]", got, john)
		}
		for _, p := range []string{"Doe", "ohn", "johnny", "%", "_o"} {
			if got, _ := list(portfoliod.ListOptions{NamePrefix: p}); len(got) != 0 {
				t.Errorf("List(NamePrefix %q) = %v, want none", p, got)
			}
		}
	}
}
