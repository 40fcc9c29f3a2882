package store

import (
	"context"
	"fmt"

	"github.com/kolaborasi/kolaborasi"
)

// PutFile implements kolaborasi.FileStore.
func (s *Store) PutFile(ctx context.Context, f *kolaborasi.File) error {
	_, err := s.exec(ctx, `INSERT INTO files (sha256, content_type, size, data, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`, f.SHA256, f.ContentType, f.Size, f.Data, dbTime(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("put file %s: %w", f.SHA256, err)
	}
	return nil
}

// FindFile implements kolaborasi.FileStore.
func (s *Store) FindFile(ctx context.Context, sha256 string) (*kolaborasi.File, error) {
	var f kolaborasi.File
	var created nullTime
	err := s.queryRow(ctx, `SELECT sha256, content_type, size, data, created_at FROM files WHERE sha256 = ?`, sha256).
		Scan(&f.SHA256, &f.ContentType, &f.Size, &f.Data, &created)
	if err != nil {
		return nil, notFound(fmt.Errorf("find file %s: %w", sha256, err), "No such file.")
	}
	f.CreatedAt = created.Time
	return &f, nil
}
