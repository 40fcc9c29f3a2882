package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

// testIndexSnapshots checks that a saved index snapshot reads back byte for
// byte (several parts, one part, empty), that a save with the same key and
// a change number not above the current one is refused while a newer one
// or another key replaces it, that indexes do not share snapshots, and
// that replaced parts are deleted.
func testIndexSnapshots(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	at := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	if got, err := s.IndexSnapshot(ctx, "catalog"); err != nil || got != nil {
		t.Fatalf("no snapshot: %+v, %v", got, err)
	}
	big := make([]byte, 2<<20+12345) // three parts
	for i := range big {
		big[i] = byte(i * 7 / 3)
	}
	save := func(name string, snap kolaborasi.IndexSnapshot, want bool) {
		t.Helper()
		at = at.Add(time.Second)
		saved, err := s.SaveIndexSnapshot(ctx, name, snap, at)
		if err != nil || saved != want {
			t.Fatalf("save %s seq %d key %q: %v, %v; want saved %v", name, snap.Seq, snap.Key, saved, err, want)
		}
	}
	check := func(name string, want *kolaborasi.IndexSnapshot) {
		t.Helper()
		got, err := s.IndexSnapshot(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || got.Key != want.Key || got.Seq != want.Seq || !bytes.Equal(got.Data, want.Data) {
			t.Fatalf("%s: got %v, want key %q seq %d and %d bytes", name, got != nil, want.Key, want.Seq, len(want.Data))
		}
	}
	first := kolaborasi.IndexSnapshot{Key: "v1", Seq: 10, Data: big}
	save("catalog", first, true)
	check("catalog", &first)
	save("catalog", kolaborasi.IndexSnapshot{Key: "v1", Seq: 10, Data: []byte("same seq")}, false)
	save("catalog", kolaborasi.IndexSnapshot{Key: "v1", Seq: 9, Data: []byte("older")}, false)
	check("catalog", &first)
	newer := kolaborasi.IndexSnapshot{Key: "v1", Seq: 11, Data: []byte("newer")}
	save("catalog", newer, true)
	check("catalog", &newer)
	other := kolaborasi.IndexSnapshot{Key: "v2", Seq: 3, Data: []byte{}}
	save("catalog", other, true) // another key replaces it, whatever its number
	check("catalog", &other)
	products := kolaborasi.IndexSnapshot{Key: "p", Seq: 1, Data: big[:snapshotPartForTest]}
	save("product", products, true)
	check("product", &products)
	check("catalog", &other)
}

// snapshotPartForTest is the size of one stored part (store.snapshotPart).
const snapshotPartForTest = 1 << 20
