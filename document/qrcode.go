package document

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/boombuler/barcode/qr"
)

const (
	// qrQuietZone is the blank border the QR standard asks for, in modules.
	qrQuietZone = 4
	// qrPixelsPerModule keeps modules sharp in viewers that smooth images.
	qrPixelsPerModule = 4
)

// qrPNG encodes text as a QR code (error correction level M) and returns it
// as a grayscale PNG with a quiet zone, and its size in modules including
// the quiet zone. image/png writes the same bytes for the same image, which
// keeps the PDF reproducible.
func qrPNG(text string) ([]byte, int, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, 0, fmt.Errorf("encode QR code: %w", err)
	}
	n := code.Bounds().Dx()
	modules := n + 2*qrQuietZone
	side := modules * qrPixelsPerModule
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for y := range n {
		for x := range n {
			if c := color.GrayModel.Convert(code.At(x, y)).(color.Gray); c.Y >= 0x80 {
				continue
			}
			x0 := (x + qrQuietZone) * qrPixelsPerModule
			y0 := (y + qrQuietZone) * qrPixelsPerModule
			for dy := range qrPixelsPerModule {
				for dx := range qrPixelsPerModule {
					img.SetGray(x0+dx, y0+dy, color.Gray{})
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, 0, fmt.Errorf("encode QR image: %w", err)
	}
	return buf.Bytes(), modules, nil
}
