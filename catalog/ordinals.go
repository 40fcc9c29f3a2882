package catalog

// ordinals maps document IDs to their ordinals. The IDs a database hands
// out start at 1 and are nearly consecutive, so most live in a slice
// indexed by ID (4 bytes each) rather than a map (about 100 bytes an entry
// with its growth: 17 MiB of the national index's heap, K8); an ID far
// beyond the documents counted (more than four times as many IDs as
// entries, past the first 65,536) goes to the map, so that a crafted or
// sparse ID cannot make the slice huge.
type ordinals struct {
	dense  []uint32 // dense[id] is the ordinal plus one; 0: none
	sparse map[int64]uint32
	n      int
}

// denseFloor is the ID range kept dense whatever the count.
const denseFloor = 1 << 16

func (o *ordinals) get(id int64) (uint32, bool) {
	if id >= 0 && id < int64(len(o.dense)) && o.dense[id] != 0 {
		return o.dense[id] - 1, true
	}
	// An ID stays in the map once there, even when the slice grows past it.
	v, ok := o.sparse[id]
	return v, ok
}

func (o *ordinals) set(id int64, ord uint32) {
	if _, ok := o.sparse[id]; ok {
		o.sparse[id] = ord
		return
	}
	if id >= 0 && id < int64(len(o.dense)) {
		if o.dense[id] == 0 {
			o.n++
		}
		o.dense[id] = ord + 1
		return
	}
	if id >= 0 && id < max(denseFloor, 4*int64(o.n+1)) {
		o.dense = append(o.dense, make([]uint32, int(id)+1-len(o.dense))...)
		o.dense = o.dense[:cap(o.dense)]
		o.dense[id] = ord + 1
		o.n++
		return
	}
	if o.sparse == nil {
		o.sparse = map[int64]uint32{}
	}
	if _, ok := o.sparse[id]; !ok {
		o.n++
	}
	o.sparse[id] = ord
}
