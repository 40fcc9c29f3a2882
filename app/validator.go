package app

import (
	"github.com/kolaborasi/kolaborasi/publiccode"
)

// ValidatePublicCode checks a publiccode.yml file against the standard
// without storing anything: the self-service validator for publishers of
// any catalog. Network checks stay off.
func (a *App) ValidatePublicCode(data []byte) publiccode.Result {
	_, r := publiccode.Parse(data)
	return r
}
