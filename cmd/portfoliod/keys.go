package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/portfoliod/portfoliod/api"
)

var keyNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// keyNameRule is what keyNamePattern allows, in words.
const keyNameRule = "1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit"

// checkKeyName reports what is wrong with a --name value, if anything.
func checkKeyName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("--name is required: %s", keyNameRule)
	case utf8.RuneCountInString(name) > 64:
		return fmt.Errorf("--name is %d characters long, at most 64 are allowed (%s)", utf8.RuneCountInString(name), keyNameRule)
	case !keyNamePattern.MatchString(name):
		return fmt.Errorf("--name %q is not a valid key name: use %s", name, keyNameRule)
	}
	return nil
}

// runKeys implements `portfoliod keys generate`: it prints a new random key
// once, and the config entry (holding only its SHA-256) to paste under
// auth.keys.
func runKeys(args []string, stdout io.Writer) error {
	const keysUsage = "usage: portfoliod keys generate --name NAME --scopes read,write,admin"
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, keysUsage)
		return nil
	}
	if len(args) == 0 || args[0] != "generate" {
		return usageError{msg: keysUsage}
	}
	fs := newFlagSet("keys generate", stdout)
	name := fs.String("name", "", "a name for the key, shown in logs (required)")
	scopes := fs.String("scopes", "read", "comma-separated scopes: read, write, admin")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if err := checkKeyName(*name); err != nil {
		return usageError{msg: err.Error()}
	}
	var list []string
	for _, s := range strings.Split(*scopes, ",") {
		s = strings.TrimSpace(s)
		if _, err := api.ParseScope(s); err != nil {
			return usageError{msg: err.Error()}
		}
		list = append(list, s)
	}
	secret, hash, err := api.GenerateKey()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, `API key (shown once; store it now): %s

Add this entry under auth.keys in your config, then restart or send SIGHUP:

    - name: %s
      sha256: "%s"
      scopes: [%s]
`, secret, *name, hash, strings.Join(list, ", "))
	return nil
}
