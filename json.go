package kolaborasi

import (
	"bytes"
	"encoding/json"
)

// MarshalJSON encodes v as the API answers: encoding/json with <, > and &
// not escaped, without the encoder's trailing newline. The store keeps a
// solution's row in this form and the API splices it into its answers, so
// every one of them must encode through here to stay byte-identical.
func MarshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
