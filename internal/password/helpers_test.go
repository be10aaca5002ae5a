package password

import "golang.org/x/crypto/argon2"

func idKey(pw, salt string, t, m uint32, p uint8) []byte {
	return argon2.IDKey([]byte(pw), []byte(salt), t, m, p, keyLen)
}
