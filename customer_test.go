package portfoliod

import "testing"

// Customer ids are random, unique and of one shape.
func TestCustomerIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewCustomerID()
		if !ValidCustomerID(id) {
			t.Fatalf("NewCustomerID() = %q, not ValidCustomerID", id)
		}
		if seen[id] {
			t.Fatalf("NewCustomerID() repeated %q", id)
		}
		seen[id] = true
	}
	tests := []struct {
		id   string
		want bool
	}{
		{"customer_c7a968e665d9", true},
		{"customer_000000000000", true},
		{"customer_C7A968E665D9", false},
		{"customer_c7a968e665d", false},
		{"customer_c7a968e665d9a", false},
		{"customer_c7a968e665dg", false},
		{"client_c7a968e665d9ab", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidCustomerID(tt.id); got != tt.want {
			t.Errorf("ValidCustomerID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}
