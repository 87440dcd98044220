// Command webhookreceiver is the README's webhook receiver: it verifies
// each delivery's Standard Webhooks signature and prints the event.
//
//	WEBHOOK_SECRET=whsec_… go run ./examples/webhookreceiver
package main

import (
	"io"
	"log"
	"net/http"
	"os"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

func main() {
	log.Fatal(http.ListenAndServe("127.0.0.1:9000", receiver(os.Getenv("WEBHOOK_SECRET"))))
}

func receiver(secret string) http.Handler {
	wh, err := standardwebhooks.NewWebhook(secret) // the whsec_… from POST /webhooks
	if err != nil {
		log.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		// The signature, and a timestamp within 5 minutes (no replays).
		if err := wh.Verify(body, r.Header); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		// At least once: a repeat carries the same webhook-id.
		log.Printf("%s %s", r.Header.Get("webhook-id"), body)
		w.WriteHeader(http.StatusNoContent)
	})
}
