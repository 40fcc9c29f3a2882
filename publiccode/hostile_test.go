package publiccode

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// hostileShape is a file built to make a YAML parser spend time or memory, at most MaxSize bytes.
type hostileShape struct {
	name string
	data func() []byte
}

// fill repeats unit until the result would pass MaxSize.
func fill(prefix, unit, suffix string) []byte {
	n := (MaxSize - len(prefix) - len(suffix)) / len(unit)
	return []byte(prefix + strings.Repeat(unit, n) + suffix)
}

// nested builds n levels of indentation nesting with the given line per level.
func nested(n int, line func(i int) string) []byte {
	var b strings.Builder
	for i := 0; i < n && b.Len() < MaxSize-1000; i++ {
		b.WriteString(line(i))
	}
	b.WriteString("x\n")
	return []byte(b.String())
}

// rows repeats row, which holds the given number of tokens, as often as MaxTokens and MaxSize allow.
func rows(row string, tokens int) []byte {
	n := min((MaxTokens-10)/tokens, (MaxSize-1)/len(row))
	return []byte(strings.Repeat(row, n))
}

// chain builds the alias chain a0 … an, each level listing the previous one k times ("billion laughs").
func chain(levels, k int) []byte {
	var b strings.Builder
	b.WriteString("a0: &a0 [x]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), k), ", "))
	}
	return []byte(b.String())
}

var hostileShapes = []hostileShape{
	{"compact sequences 50k", func() []byte { return []byte(strings.Repeat("- ", 50_000) + "x\n") }},
	{"compact sequences at the cap", func() []byte { return fill("", "- ", "x\n") }},
	{"compact mappings", func() []byte { return fill("", "- a: ", "x\n") }},
	{"compact complex keys", func() []byte { return fill("", "? ", "x\n") }},
	{"indented mappings", func() []byte { return nested(2000, func(i int) string { return strings.Repeat(" ", i) + "k:\n" }) }},
	{"indented sequences", func() []byte { return nested(2000, func(i int) string { return strings.Repeat(" ", i) + "-\n" }) }},
	{"anchored mappings", func() []byte { return nested(2000, func(i int) string { return strings.Repeat(" ", i) + "k: &a\n" }) }},
	{"sequences at key indentation", func() []byte {
		return nested(2000, func(i int) string { return strings.Repeat("  ", i) + "- k:\n" })
	}},
	{"flow sequences", func() []byte { return []byte(strings.Repeat("[", MaxSize/2-1) + strings.Repeat("]", MaxSize/2-1)) }},
	{"flow mappings", func() []byte { return fill("", "{a: ", "x") }},
	{"flow in quotes", func() []byte { return []byte("a: \"" + strings.Repeat("[", MaxSize-10) + "\"\n") }},
	{"rows at the depth limit", func() []byte { return rows("- "+strings.Repeat("- ", MaxDepth-3)+"x\n", MaxDepth-2) }},
	{"rows of deep flow", func() []byte {
		return rows("- "+strings.Repeat("[", MaxDepth-3)+strings.Repeat("]", MaxDepth-3)+"\n", MaxDepth-2)
	}},
	{"many items", func() []byte { return fill("usedBy:\n", "- a\n", "") }},
	{"most items admitted", func() []byte { return rows("- "+strings.Repeat("a", 40)+"\n", 1) }},
	{"many flow items", func() []byte { return fill("usedBy: [", "a,", "a]\n") }},
	{"most flow items admitted", func() []byte { return []byte("usedBy: [" + strings.Repeat("a,", MaxTokens-10) + "a]\n") }},
	{"most aliases admitted", func() []byte {
		return []byte("a: &a [x, x, x, x, x, x, x, x]\nb: [" + strings.Repeat("*a, ", MaxTokens/2-10) + "*a]\n")
	}},
	{"most comments admitted", func() []byte { return rows("# "+strings.Repeat("c", 48)+"\n", 1) }},
	{"many keys", func() []byte {
		var b strings.Builder
		for i := 0; i < MaxKeys-1; i++ {
			fmt.Fprintf(&b, "k%d: v\n", i)
		}
		return []byte(b.String())
	}},
	{"billion laughs", func() []byte { return chain(9, 10) }},
	{"long alias chain", func() []byte { return chain(20_000, 1) }},
	{"longest alias chain admitted", func() []byte { return chain(MaxKeys-10, 1) }},
	{"wide alias fan", func() []byte { return fill("a: &a [x, x, x, x, x, x, x, x]\nb: [", "*a, ", "*a]\n") }},
	{"many anchors", func() []byte { return fill("usedBy:\n", "- &a x\n", "") }},
	{"many documents", func() []byte { return fill("", "---\n", "") }},
	{"long scalar", func() []byte { return fill("name: ", "a", "\n") }},
	{"long block scalar", func() []byte { return fill("name: |\n", "  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "") }},
	{"comments", func() []byte { return fill("name: x\n", "#\n", "") }},
}

// maxParseAlloc is the most a Parse of any input up to MaxSize may allocate in total (K10: ≤ 100 MB).
const maxParseAlloc = 100 << 20

// TestHostileShapesBounded parses every hostile shape and checks that each is refused with a message and that
// the bytes allocated by Parse (an upper bound of its peak memory) stay under maxParseAlloc. Time is measured
// by BenchmarkHostileShapes, not here.
func TestHostileShapesBounded(t *testing.T) {
	for _, s := range hostileShapes {
		t.Run(s.name, func(t *testing.T) {
			data := s.data()
			if len(data) > MaxSize {
				t.Fatalf("shape is %d bytes, above MaxSize", len(data))
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, res := Parse(data)
			runtime.ReadMemStats(&after)
			if res.Valid() || len(res.Messages) == 0 {
				t.Fatalf("want refusal with a message, got %v", codes(res))
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxParseAlloc {
				t.Errorf("Parse allocated %d MB, more than %d MB", alloc>>20, maxParseAlloc>>20)
			}
		})
	}
}

// TestHostileShapesUnderMemoryLimit runs every shape in a child process whose Go heap is limited to 100 MiB
// (GOMEMLIMIT) with the proportional collector off, so the heap only shrinks when it reaches the limit; the
// child then checks that the heap never took more than the limit plus the runtime's slack from the system.
// Before the structural pre-scan, "compact sequences at the cap" alone grew the heap to gigabytes.
func TestHostileShapesUnderMemoryLimit(t *testing.T) {
	if os.Getenv("PUBLICCODE_HOSTILE_CHILD") == "1" {
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(maxParseAlloc)
		for _, s := range hostileShapes {
			if _, res := Parse(s.data()); res.Valid() {
				t.Errorf("%s: accepted", s.name)
			}
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapSys > maxParseAlloc+maxParseAlloc/4 {
			t.Errorf("heap grew to %d MB under a %d MB limit", ms.HeapSys>>20, maxParseAlloc>>20)
		}
		t.Logf("heap high-water %d MB", ms.HeapSys>>20)
		return
	}
	if testing.Short() {
		t.Skip("runs a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileShapesUnderMemoryLimit$", "-test.v")
	cmd.Env = append(os.Environ(), "PUBLICCODE_HOSTILE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "heap high-water") {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
	t.Logf("%s", strings.TrimSpace(string(out)))
}

// BenchmarkHostileShapes measures the time Parse takes on each hostile shape (the bound is 1 s each).
func BenchmarkHostileShapes(b *testing.B) {
	for _, s := range hostileShapes {
		data := s.data()
		b.Run(strings.ReplaceAll(s.name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Parse(data)
			}
		})
	}
}
