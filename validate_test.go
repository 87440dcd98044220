package portfoliod

import "testing"

// ISO 3166-1 assigns 249 alpha-2 codes; the country library knows a few
// more (user-assigned and deleted ones) that must be rejected.
func TestValidCountry(t *testing.T) {
	n := 0
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if validCountry(string([]rune{a, b})) {
				n++
			}
		}
	}
	if n != 249 {
		t.Errorf("%d codes accepted, want the 249 ISO 3166-1 assigns", n)
	}
	for code, want := range map[string]bool{"US": true, "GB": true, "SS": true, "BQ": true, "XK": false, "AN": false, "YU": false, "CS": false, "UK": false, "us": false, "USA": false} {
		if got := validCountry(code); got != want {
			t.Errorf("validCountry(%q) = %v, want %v", code, got, want)
		}
	}
}
