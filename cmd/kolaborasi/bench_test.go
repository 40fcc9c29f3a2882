package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// BenchmarkDemoStartup measures the time from process start to the first
// 200 from /readyz for `kolaborasi demo`, with the binary built beforehand
// (compilation excluded). It also reports the binary's size.
func BenchmarkDemoStartup(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "kolaborasi")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(bin)
	if err != nil {
		b.Fatal(err)
	}
	var samples []time.Duration
	b.ResetTimer()
	for b.Loop() {
		samples = append(samples, startOnce(b, bin))
	}
	b.StopTimer()
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	b.ReportMetric(float64(samples[len(samples)/2].Milliseconds()), "median-ms-to-ready")
	b.ReportMetric(float64(st.Size())/(1<<20), "binary-MiB")
}

func startOnce(b *testing.B, bin string) time.Duration {
	start := time.Now()
	cmd := exec.Command(bin, "demo", "--addr", "127.0.0.1:0", "--log-level", "warn")
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	sc := bufio.NewScanner(out)
	url := ""
	for url == "" && sc.Scan() {
		url = urlRE.FindString(sc.Text())
	}
	if url == "" {
		b.Fatal("demo printed no URL")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	for {
		resp, err := http.Get(url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return time.Since(start)
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
}
