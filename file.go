package kolaborasi

import (
	"context"
	"time"
)

// File is an uploaded file (a logo, a screenshot, an attachment), stored by
// the SHA-256 of its content, so the same bytes are stored once and a
// reference to a file also pins its content.
type File struct {
	SHA256      string
	ContentType string
	Size        int64
	Data        []byte
	CreatedAt   time.Time
}

// FileStore persists uploaded files.
type FileStore interface {
	// PutFile stores a file; storing the same content again is a no-op.
	PutFile(ctx context.Context, f *File) error
	// FindFile returns the file with the hash or a not_found error.
	FindFile(ctx context.Context, sha256 string) (*File, error)
}
