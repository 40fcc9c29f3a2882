package publiccode

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Limits applied before and while reading YAML, so that hostile input costs bounded time and memory.
const (
	// MaxSize is the largest input Parse accepts, in bytes (1 MiB).
	MaxSize = 1 << 20
	// MaxNodes bounds the number of values after alias expansion (defuses "billion laughs" alias bombs).
	MaxNodes = 200_000
	// MaxDepth bounds the nesting of lists and mappings.
	MaxDepth = 64
	// MaxKeys bounds the ":" separators of a document (URL "://" excepted). goccy/go-yaml's parser is
	// quadratic in the keys of one mapping (10,000 keys took 2.4 s and 446 MB, 2,000 take 19 MB); real
	// files have a few hundred.
	MaxKeys = 2_000
	// MaxTokens bounds the structural tokens (keys, list items, flow items, anchors, aliases, comments) counted
	// before parsing: the YAML parser spends about a kilobyte and microseconds on each. The largest real file
	// known (GlobaLeaks, 175 KB of translations in block scalars) counts about 5,500.
	MaxTokens = 20_000
	// maxFlowDepth bounds unclosed brackets before the (recursive) YAML parser sees the input; it is a
	// coarse guard (brackets inside strings count too), hence far above MaxDepth.
	maxFlowDepth = 1000
)

// node is the YAML tree with aliases and merge keys resolved and positions kept.
type node struct {
	kind      Kind
	text      string
	items     []*node
	keys      []string
	keyPos    []position
	vals      []*node
	line, col int
}

// treeError is a problem found while building the tree, with its position.
type treeError struct {
	code      string
	line, col int
	en, id    string
}

func (e *treeError) Error() string { return e.en }

type builder struct {
	anchors map[string]*node
	sizes   map[*node]int
	budget  int
}

// readTree parses data as YAML and returns the first document's body as a tree.
func readTree(data []byte) (n *node, err error) {
	defer func() {
		// The YAML library is outside input's first reader; a panic in it must become a message, not a crash.
		if r := recover(); r != nil {
			n, err = nil, &treeError{code: CodeSyntax, en: fmt.Sprintf("the YAML parser failed on this input: %v", r),
				id: fmt.Sprintf("pengurai YAML gagal membaca masukan ini: %v", r)}
		}
	}()
	_, tokens, line, col := structuralDepth(data, MaxDepth)
	if line > 0 {
		return nil, &treeError{code: CodeDepthLimit, line: line, col: col,
			en: fmt.Sprintf("the document nests more than %d levels deep here (lists, mappings and brackets, compact \"- - -\" ones included); it is refused before parsing", MaxDepth),
			id: fmt.Sprintf("dokumen bersarang lebih dari %d tingkat di sini (daftar, pemetaan dan kurung, termasuk bentuk ringkas \"- - -\"); berkas ditolak sebelum diurai", MaxDepth)}
	}
	if tokens > MaxTokens {
		return nil, &treeError{code: CodeTooLarge, line: 1, col: 1,
			en: fmt.Sprintf("the file has %d YAML tokens (keys, list items, flow items, anchors, aliases, comments), more than the %d a publiccode.yml may have", tokens, MaxTokens),
			id: fmt.Sprintf("berkas memiliki %d token YAML (kunci, butir daftar, butir alur, jangkar, alias, komentar), lebih dari batas %d untuk publiccode.yml", tokens, MaxTokens)}
	}
	if d := flowDepth(data); d > maxFlowDepth {
		return nil, &treeError{code: CodeDepthLimit, line: 1, col: 1,
			en: fmt.Sprintf("the document opens more than %d brackets without closing them", maxFlowDepth),
			id: fmt.Sprintf("dokumen membuka lebih dari %d kurung tanpa menutupnya", maxFlowDepth)}
	}
	if n := bytes.Count(data, []byte(":")) - bytes.Count(data, []byte("://")); n > MaxKeys {
		return nil, &treeError{code: CodeTooLarge, line: 1, col: 1,
			en: fmt.Sprintf("the file has %d key separators (\":\"), more than the %d a publiccode.yml may have", n, MaxKeys),
			id: fmt.Sprintf("berkas memiliki %d pemisah kunci (\":\"), lebih dari batas %d untuk publiccode.yml", n, MaxKeys)}
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, syntaxError(err)
	}
	var body ast.Node
	docs := 0
	for _, d := range f.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if _, ok := d.Body.(*ast.CommentGroupNode); ok {
			continue
		}
		docs++
		if body == nil {
			body = d.Body
		}
	}
	if body == nil {
		return nil, &treeError{code: CodeNotMapping, line: 1, col: 1, en: "the file is empty: it must be a YAML mapping of keys",
			id: "berkas kosong: isinya harus berupa pemetaan kunci YAML"}
	}
	if docs > 1 {
		tk := body.GetToken()
		return nil, &treeError{code: CodeSyntax, line: tk.Position.Line, col: tk.Position.Column,
			en: "the file holds more than one YAML document; publiccode.yml must be exactly one",
			id: "berkas berisi lebih dari satu dokumen YAML; publiccode.yml harus tepat satu"}
	}
	b := &builder{anchors: map[string]*node{}, sizes: map[*node]int{}, budget: MaxNodes}
	return b.build(body, 0)
}

// flowDepth is a cheap upper bound of bracket nesting, checked before the recursive YAML parser runs.
func flowDepth(data []byte) int {
	depth, maxd := 0, 0
	for _, c := range data {
		switch c {
		case '[', '{':
			depth++
			if depth > maxd {
				maxd = depth
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return maxd
}

func syntaxError(err error) *treeError {
	te := &treeError{code: CodeSyntax}
	var se *yaml.SyntaxError
	text := ""
	if errors.As(err, &se) {
		text = se.Message
		if se.Token != nil {
			te.line, te.col = se.Token.Position.Line, se.Token.Position.Column
		}
	} else {
		te.line, te.col, text = locate(err)
	}
	if strings.Contains(text, "already defined") {
		te.code = CodeDuplicateKey
	}
	te.en = "the file is not valid YAML: " + text
	te.id = "berkas bukan YAML yang sah: " + text
	return te
}

func (b *builder) spend(n int, tkLine, tkCol int) error {
	b.budget -= n
	if b.budget < 0 {
		return &treeError{code: CodeAliasLimit, line: tkLine, col: tkCol,
			en: fmt.Sprintf("the document expands to more than %d values (through aliases, or simply too many)", MaxNodes),
			id: fmt.Sprintf("dokumen berkembang menjadi lebih dari %d nilai (karena alias, atau memang terlalu banyak)", MaxNodes)}
	}
	return nil
}

func size(n *node, memo map[*node]int) int {
	if n == nil {
		return 1
	}
	if s, ok := memo[n]; ok {
		return s
	}
	s := 1
	for _, it := range n.items {
		s += size(it, memo)
	}
	for _, v := range n.vals {
		s += size(v, memo)
	}
	if s > MaxNodes*2 {
		s = MaxNodes * 2
	}
	memo[n] = s
	return s
}

func (b *builder) build(an ast.Node, depth int) (*node, error) {
	if an == nil {
		return &node{kind: KindNull}, nil
	}
	tk := an.GetToken()
	line, col := 0, 0
	if tk != nil {
		line, col = tk.Position.Line, tk.Position.Column
	}
	if depth > MaxDepth {
		return nil, &treeError{code: CodeDepthLimit, line: line, col: col,
			en: fmt.Sprintf("the document nests more than %d levels deep", MaxDepth),
			id: fmt.Sprintf("dokumen bersarang lebih dari %d tingkat", MaxDepth)}
	}
	if err := b.spend(1, line, col); err != nil {
		return nil, err
	}
	switch v := an.(type) {
	case *ast.NullNode:
		return &node{kind: KindNull, text: tk.Value, line: line, col: col}, nil
	case *ast.StringNode:
		return &node{kind: KindString, text: v.Value, line: line, col: col}, nil
	case *ast.LiteralNode:
		s := ""
		if v.Value != nil {
			s = v.Value.Value
		}
		return &node{kind: KindString, text: s, line: line, col: col}, nil
	case *ast.BoolNode:
		return &node{kind: KindBool, text: tk.Value, line: line, col: col}, nil
	case *ast.IntegerNode:
		return &node{kind: KindInt, text: tk.Value, line: line, col: col}, nil
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return &node{kind: KindFloat, text: tk.Value, line: line, col: col}, nil
	case *ast.TagNode:
		inner, err := b.build(v.Value, depth+1)
		if err != nil {
			return nil, err
		}
		// An explicit !!str makes any scalar a string; other tags are kept as the value they tag.
		if tk.Value == "!!str" && inner.kind != KindList && inner.kind != KindMap && inner.kind != KindString {
			if _, isAlias := v.Value.(*ast.AliasNode); isAlias {
				c := *inner // the aliased node is shared: change a copy
				c.kind = KindString
				return &c, nil
			}
			inner.kind = KindString // the tag belongs to this node, anchored or not
		}
		return inner, nil
	case *ast.AnchorNode:
		inner, err := b.build(v.Value, depth+1)
		if err != nil {
			return nil, err
		}
		if v.Name != nil {
			b.anchors[v.Name.GetToken().Value] = inner
		}
		return inner, nil
	case *ast.AliasNode:
		name := ""
		if v.Value != nil {
			name = v.Value.GetToken().Value
		}
		target, ok := b.anchors[name]
		if !ok {
			return nil, &treeError{code: CodeSyntax, line: line, col: col,
				en: fmt.Sprintf("alias *%s refers to no anchor defined before it", name),
				id: fmt.Sprintf("alias *%s merujuk ke jangkar yang belum didefinisikan", name)}
		}
		if err := b.spend(size(target, b.sizes), line, col); err != nil {
			return nil, err
		}
		return target, nil
	case *ast.SequenceNode:
		n := &node{kind: KindList, line: line, col: col}
		for _, it := range v.Values {
			c, err := b.build(it, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, c)
		}
		return n, nil
	case *ast.MappingNode:
		n := &node{kind: KindMap, line: line, col: col}
		return n, b.mapping(n, v.Values, depth)
	case *ast.MappingValueNode:
		n := &node{kind: KindMap, line: line, col: col}
		return n, b.mapping(n, []*ast.MappingValueNode{v}, depth)
	case *ast.CommentGroupNode:
		return &node{kind: KindNull, line: line, col: col}, nil
	default:
		return nil, &treeError{code: CodeSyntax, line: line, col: col,
			en: fmt.Sprintf("unsupported YAML construct %s", an.Type()),
			id: fmt.Sprintf("konstruksi YAML %s tidak didukung", an.Type())}
	}
}

func (b *builder) mapping(n *node, mvs []*ast.MappingValueNode, depth int) error {
	seen := map[string]bool{}
	var merges []*node
	for _, mv := range mvs {
		if mv == nil {
			continue
		}
		ktk := mv.Key.GetToken()
		kl, kc := 0, 0
		if ktk != nil {
			kl, kc = ktk.Position.Line, ktk.Position.Column
		}
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			m, err := b.build(mv.Value, depth+1)
			if err != nil {
				return err
			}
			merges = append(merges, m)
			continue
		}
		kn, err := b.build(mv.Key, depth+1)
		if err != nil {
			return err
		}
		if kn.kind == KindList || kn.kind == KindMap {
			return &treeError{code: CodeWrongType, line: kl, col: kc, en: "a mapping key must be a plain scalar, not a list or mapping",
				id: "kunci pemetaan harus skalar biasa, bukan daftar atau pemetaan"}
		}
		key := kn.text
		if seen[key] {
			return &treeError{code: CodeDuplicateKey, line: kl, col: kc,
				en: fmt.Sprintf("key %q appears twice in the same mapping", key),
				id: fmt.Sprintf("kunci %q muncul dua kali dalam pemetaan yang sama", key)}
		}
		seen[key] = true
		val, err := b.build(mv.Value, depth+1)
		if err != nil {
			return err
		}
		n.keys = append(n.keys, key)
		n.keyPos = append(n.keyPos, position{kl, kc})
		n.vals = append(n.vals, val)
	}
	// Merge keys (<<) add the keys of the merged mappings that the mapping itself does not set.
	for _, m := range merges {
		srcs := []*node{m}
		if m.kind == KindList {
			srcs = m.items
		}
		for _, s := range srcs {
			if s.kind != KindMap {
				return &treeError{code: CodeWrongType, line: s.line, col: s.col, en: "a merge key (<<) must refer to a mapping",
					id: "kunci gabung (<<) harus merujuk ke pemetaan"}
			}
			for i, k := range s.keys {
				if seen[k] {
					continue
				}
				seen[k] = true
				n.keys = append(n.keys, k)
				n.keyPos = append(n.keyPos, s.keyPos[i])
				n.vals = append(n.vals, s.vals[i])
			}
		}
	}
	return nil
}

// locate extracts the position and the first line of an error formatted as "[line:col] text".
func locate(err error) (line, col int, text string) {
	first := strings.SplitN(err.Error(), "\n", 2)[0]
	if strings.HasPrefix(first, "[") {
		if end := strings.Index(first, "]"); end > 0 {
			if _, e := fmt.Sscanf(first[1:end], "%d:%d", &line, &col); e == nil {
				return line, col, strings.TrimSpace(first[end+1:])
			}
		}
	}
	return 0, 0, first
}
