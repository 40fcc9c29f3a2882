package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
)

// PEM block types of key files.
const (
	privateKeyPEMType = "PRIVATE KEY" // PKCS #8, RFC 5958
	publicKeyPEMType  = "PUBLIC KEY"  // SubjectPublicKeyInfo, RFC 5280 / RFC 8410
)

// MarshalPrivateKey encodes priv as a PKCS #8 PEM block ("PRIVATE KEY"), the
// private key file written by `kolaborasi keygen`.
func MarshalPrivateKey(priv ed25519.PrivateKey) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%w: private key has %d bytes", ErrMalformed, len(priv))
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("marshal private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: privateKeyPEMType, Bytes: der}), nil
}

// ParsePrivateKey decodes a private key file written by MarshalPrivateKey.
// The file must hold exactly one PEM block, of an Ed25519 PKCS #8 key.
func ParsePrivateKey(data []byte) (ed25519.PrivateKey, error) {
	block, rest := pem.Decode(data)
	if block == nil || block.Type != privateKeyPEMType || len(bytes.TrimSpace(rest)) != 0 {
		return nil, fmt.Errorf("%w: want one %q PEM block", ErrMalformed, privateKeyPEMType)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: parse private key: %v", ErrMalformed, err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: private key is %T, not Ed25519", ErrMalformed, key)
	}
	return priv, nil
}

// MarshalPublicKey encodes pub as the standard base64 of its 32 raw bytes,
// the form used in key_registered log entries and on the command line.
func MarshalPublicKey(pub ed25519.PublicKey) (string, error) {
	if len(pub) != ed25519.PublicKeySize {
		return "", fmt.Errorf("%w: public key has %d bytes", ErrMalformed, len(pub))
	}
	return base64.StdEncoding.EncodeToString(pub), nil
}

// MarshalPublicKeyPEM encodes pub as a SubjectPublicKeyInfo PEM block
// ("PUBLIC KEY"), the public key file written by `kolaborasi keygen`.
func MarshalPublicKeyPEM(pub ed25519.PublicKey) ([]byte, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: public key has %d bytes", ErrMalformed, len(pub))
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("marshal public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: publicKeyPEMType, Bytes: der}), nil
}

// ParsePublicKey decodes a public key given either as a "PUBLIC KEY" PEM
// block (MarshalPublicKeyPEM) or as the standard base64 of its 32 raw bytes
// (MarshalPublicKey). Surrounding white space is ignored.
func ParsePublicKey(data []byte) (ed25519.PublicKey, error) {
	data = bytes.TrimSpace(data)
	if bytes.HasPrefix(data, []byte("-----BEGIN")) {
		block, rest := pem.Decode(data)
		if block == nil || block.Type != publicKeyPEMType || len(bytes.TrimSpace(rest)) != 0 {
			return nil, fmt.Errorf("%w: want one %q PEM block", ErrMalformed, publicKeyPEMType)
		}
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: parse public key: %v", ErrMalformed, err)
		}
		pub, ok := key.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("%w: public key is %T, not Ed25519", ErrMalformed, key)
		}
		return pub, nil
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(string(data))
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: public key is neither PEM nor base64 of 32 bytes", ErrMalformed)
	}
	return ed25519.PublicKey(raw), nil
}
