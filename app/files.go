package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	_ "image/jpeg" // decoders for the accepted image types
	_ "image/png"

	"github.com/kolaborasi/kolaborasi"
)

// Image upload limits.
const (
	MaxImageBytes = 512 << 10
	maxImageSide  = 4096
)

// checkImage accepts PNG and JPEG images of reasonable size, by decoding
// their header rather than trusting a name or a declared type. SVG is
// refused: it can carry scripts.
func checkImage(data []byte) (string, error) {
	// The sentence is also the field's message.
	bad := func(e *kolaborasi.Error) error {
		e.Fields = map[string]string{"logo": e.Message}
		return e
	}
	if len(data) == 0 {
		return "", bad(kolaborasi.Errorf(kolaborasi.EINVALID, "Choose an image file."))
	}
	if len(data) > MaxImageBytes {
		return "", bad(kolaborasi.Errorf(kolaborasi.EINVALID, "The image is %d KiB; at most %d KiB is allowed.", len(data)>>10, MaxImageBytes>>10))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", bad(kolaborasi.Errorf(kolaborasi.EINVALID, "The file is not a PNG or JPEG image."))
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxImageSide || cfg.Height > maxImageSide {
		return "", bad(kolaborasi.Errorf(kolaborasi.EINVALID, "The image must be at most %d×%d pixels.", maxImageSide, maxImageSide))
	}
	return "image/" + format, nil
}

// UploadRegionLogo stores an image as the region's logo.
func (a *App) UploadRegionLogo(ctx context.Context, code string, data []byte) error {
	if !kolaborasi.ValidRegionCode(code) {
		return errBadRegionCode(code)
	}
	ct, err := checkImage(data)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	f := &kolaborasi.File{SHA256: hex.EncodeToString(sum[:]), ContentType: ct, Size: int64(len(data)), Data: data, CreatedAt: a.now()}
	return a.change(ctx, ActRegionProfileUpdate, code, func(tx kolaborasi.Store) (string, string, error) {
		r, err := tx.FindRegion(ctx, code)
		if err != nil {
			return "", "", err
		}
		if err := tx.PutFile(ctx, f); err != nil {
			return "", "", err
		}
		old := r.Profile.LogoSHA256
		r.Profile.LogoSHA256 = f.SHA256
		r.Profile.UpdatedAt = a.now()
		if err := tx.UpdateRegionProfile(ctx, code, r.Profile); err != nil {
			return "", "", err
		}
		return "region:" + code, diffSummary("logo", old, f.SHA256), nil
	})
}

// File returns an uploaded file to whoever may read something that uses
// it. Images (logos, screenshots) belong to public pages; an agreement
// attachment is readable when one of the agreement versions holding it is:
// the attachments of a draft stay with its parties, even for someone who
// learnt the file's hash.
func (a *App) File(ctx context.Context, sha string) (*kolaborasi.File, error) {
	f, _, err := a.FileAccess(ctx, sha)
	return f, err
}

// FileAccess is File, and also says whether the file is public: readable by
// anyone, signed in or not, so that shared caches may keep it.
func (a *App) FileAccess(ctx context.Context, sha string) (*kolaborasi.File, bool, error) {
	missing := kolaborasi.Errorf(kolaborasi.ENOTFOUND, "No such file.")
	if len(sha) != 64 {
		return nil, false, missing
	}
	refs, err := a.store.FindAttachmentVersions(ctx, sha)
	if err != nil {
		return nil, false, err
	}
	public := true
	if len(refs) > 0 {
		ok, err := a.anyVersionReadable(ctx, refs)
		if err != nil {
			return nil, false, err
		} else if !ok {
			return nil, false, missing
		}
		if public, err = a.anyVersionReadable(kolaborasi.WithUser(ctx, nil), refs); err != nil {
			return nil, false, err
		}
	}
	if ok, pub, err := a.adoptionFileAccess(ctx, sha, len(refs) > 0); err != nil {
		return nil, false, err
	} else if !ok {
		return nil, false, missing
	} else {
		public = public && pub
	}
	f, err := a.store.FindFile(ctx, sha)
	return f, public, err
}

// anyVersionReadable reports whether the acting user may read one of the
// agreement versions.
func (a *App) anyVersionReadable(ctx context.Context, refs []kolaborasi.VersionRef) (bool, error) {
	for _, r := range refs {
		if _, err := a.Agreement(ctx, r.ID, r.Version); err == nil {
			return true, nil
		} else if kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
			return false, err
		}
	}
	return false, nil
}
