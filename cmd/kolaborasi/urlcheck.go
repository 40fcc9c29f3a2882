package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/gif" // raster formats a publiccode.yml logo or screenshot may use
	_ "image/jpeg"
	_ "image/png"
	"io"
	"mime"
	"net/http"
	"time"
)

// httpChecker is the network side of publiccode's URL checks, used only when
// asked for (--check-urls): every URL must answer with a success status, and
// images must be images. Its findings are warnings, never errors.
type httpChecker struct{ client *http.Client }

func newHTTPChecker() httpChecker {
	return httpChecker{client: &http.Client{Timeout: 10 * time.Second}}
}

// maxImageCheck bounds how much of an image is read to check it.
const maxImageCheck = 5 << 20

// CheckURL implements publiccode.URLChecker.
func (c httpChecker) CheckURL(ctx context.Context, rawURL string, isImage bool) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "kolaborasi-publiccode-check")
	resp, err := c.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if !isImage {
		return nil
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if ct == "image/svg+xml" {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxImageCheck))
	if err != nil {
		return err
	}
	if _, _, err := image.DecodeConfig(bytes.NewReader(body)); err != nil {
		return fmt.Errorf("not an image (%s)", ct)
	}
	return nil
}
