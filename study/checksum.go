package study

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
)

// Checksum returns the SHA-256 of the file at path in hex, or "" when it
// cannot be read (run.json records inputs with it; a missing file is
// reported where it is read).
func Checksum(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}
