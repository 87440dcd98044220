package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Standard Webhooks headers (https://www.standardwebhooks.com/).
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// secretPrefix starts every endpoint secret (portfoliod.NewWebhookSecret).
const secretPrefix = "whsec_"

// key decodes a secret to the HMAC key.
func key(secret string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil || len(k) == 0 {
		return nil, fmt.Errorf("a webhook secret must be %q and base64", secretPrefix)
	}
	return k, nil
}

// Signature returns the webhook-signature header of a delivery of body
// with id at ts, one "v1,<base64 HMAC-SHA256>" per secret, space
// separated: HMAC-SHA256(key, id + "." + ts + "." + body), where key is
// the base64-decoded secret (Standard Webhooks, symmetric signatures).
func Signature(secrets []string, id string, ts time.Time, body []byte) (string, error) {
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		k, err := key(s)
		if err != nil {
			return "", err
		}
		mac := hmac.New(sha256.New, k)
		mac.Write([]byte(id + "." + strconv.FormatInt(ts.Unix(), 10) + "."))
		mac.Write(body)
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	}
	return strings.Join(sigs, " "), nil
}
