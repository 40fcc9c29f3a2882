package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"time"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // WebP decoder, besides image/jpeg and image/png (files.go)

	"github.com/kolaborasi/kolaborasi"
)

// Product photo limits. A photo is decoded only after its header says it
// is at most maxPhotoSide on each side and maxPhotoPixels in all, so a
// small file that claims a huge image (a decompression bomb) is refused
// before any pixel memory is allocated.
const (
	MaxPhotoBytes  = 5 << 20
	maxPhotoSide   = 8000
	maxPhotoPixels = 40_000_000
)

// Thumbnail widths of product photos (never enlarged).
const (
	thumbSmall = 320
	thumbLarge = 960
)

// photoTypes are the types a photo may have, by its first bytes
// (http.DetectContentType), and the decoder that must then read it.
var photoTypes = map[string]string{"image/jpeg": "jpeg", "image/png": "png", "image/webp": "webp"}

func errPhoto(msg string, args ...any) error {
	e := kolaborasi.Errorf(kolaborasi.EINVALID, msg, args...)
	e.Fields = map[string]string{"photo": e.Message}
	return e
}

// makeThumbnails checks a product photo and makes its thumbnails: the type
// is detected from the bytes (a name or a declared type is not trusted),
// the header's dimensions are bounded before decoding, the whole image
// must decode with the decoder of the detected type (a script named .jpg
// does neither), and the thumbnails are scaled with golang.org/x/image/draw
// (Catmull-Rom) and re-encoded as JPEG, which drops every metadata block
// of the upload (EXIF location included).
func makeThumbnails(data []byte, now time.Time) (kolaborasi.ProductPhoto, []*kolaborasi.File, error) {
	var ph kolaborasi.ProductPhoto
	if len(data) == 0 {
		return ph, nil, errPhoto("Choose a photo.")
	}
	if len(data) > MaxPhotoBytes {
		return ph, nil, errPhoto("The photo is %d KiB; at most %d KiB is allowed.", len(data)>>10, MaxPhotoBytes>>10)
	}
	want, ok := photoTypes[http.DetectContentType(data)]
	if !ok {
		return ph, nil, errPhoto("The file is not a JPEG, PNG or WebP photo.")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || format != want {
		return ph, nil, errPhoto("The file is not a JPEG, PNG or WebP photo.")
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxPhotoSide || cfg.Height > maxPhotoSide || cfg.Width*cfg.Height > maxPhotoPixels {
		return ph, nil, errPhoto("The photo must be at most %d×%d pixels and %d megapixels.", maxPhotoSide, maxPhotoSide, maxPhotoPixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return ph, nil, errPhoto("The photo could not be read: the file is damaged or not an image.")
	}
	b := img.Bounds()
	ph.Width, ph.Height = b.Dx(), b.Dy()
	var files []*kolaborasi.File
	for _, w := range []int{thumbSmall, thumbLarge} {
		f, err := thumbnail(img, w, now)
		if err != nil {
			return ph, nil, err
		}
		files = append(files, f)
	}
	ph.Small, ph.Large = files[0].SHA256, files[1].SHA256
	return ph, files, nil
}

// thumbnail scales img to at most width pixels wide (keeping its shape,
// never enlarging) on a white background (transparent PNGs) and encodes
// it as JPEG.
func thumbnail(img image.Image, width int, now time.Time) (*kolaborasi.File, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > width {
		w, h = width, max(1, h*width/w)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 82}); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(buf.Bytes())
	return &kolaborasi.File{SHA256: hex.EncodeToString(sum[:]), ContentType: "image/jpeg", Size: int64(buf.Len()),
		Data: buf.Bytes(), CreatedAt: now}, nil
}
