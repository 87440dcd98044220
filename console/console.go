// Package console holds the web console (SPEC section 11): the HTML, CSS
// and JavaScript modules that GET /ui/ serves, embedded in the binary so
// that the console needs no files, build step or other host at run time.
// The api package serves them; this package only holds them.
package console

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

// Files returns the console's files rooted at static/: index.html at the
// root, everything else below it (vendor/ holds third-party code, pinned
// and reproduced by `make ui`).
func Files() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // static/ is embedded at build time
	}
	return sub
}
