package bundle

import (
	"crypto/rand"
	"encoding/hex"
)

// NewCorrelationID is a random ID such as axd-3f9a-1c2b-5e08: short enough
// to read over the phone, random enough (48 bits) never to repeat across
// tickets. check sends it in the probe's User-Agent, so it is in the
// gateway's logs too.
func NewCorrelationID() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	h := hex.EncodeToString(b)
	return "axd-" + h[0:4] + "-" + h[4:8] + "-" + h[8:12]
}
