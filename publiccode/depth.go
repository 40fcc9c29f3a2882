package publiccode

// structuralDepth is an upper bound of how deep the YAML text nests, found in one pass over the bytes before
// the YAML parser sees them (goccy/go-yaml's cost grows with the square of the nesting: 50,000 compact levels
// "- - - … x" took 15 s and 3.8 GB). It counts what opens a level:
//
//   - block indicators at the start of a line, compact ones included ("- - a:" opens three levels),
//   - a key whose value follows on the next lines (its children are the more indented lines, or a
//     sequence at the key's own indentation),
//   - open flow brackets ([ and {) outside quoted strings and comments.
//
// Every line goes through the indentation logic whatever the scanner believes about quotes, flow or block
// scalars, so no mistaken mode can hide the lines that follow; content that only looks structured (a Markdown
// list inside a block scalar) can only make the bound larger, never smaller. It returns the depth and the
// 1-based line and column where it was first exceeded, or the maximum found when limit is never exceeded.
func structuralDepth(data []byte, limit int) (depth, tokens, line, col int) {
	type open struct{ threshold, depth int } // lines with 2*indent(+1 for "- ") > threshold are inside
	var stack []open
	flow := 0 // open flow brackets
	quote := byte(0)
	maxd := 0
	lineNo := 0
	for start := 0; start < len(data); {
		end := start
		for end < len(data) && data[end] != '\n' {
			end++
		}
		ln := data[start:end]
		next := end + 1
		lineNo++
		i := skipBlanks(ln, 0)
		if i == len(ln) || ln[i] == '#' || ln[i] == '\r' {
			if i < len(ln) && ln[i] == '#' {
				tokens++ // the parser keeps comments as nodes
			}
			start = next
			continue
		}
		if len(ln) >= 3 && (string(ln[:3]) == "---" || string(ln[:3]) == "...") {
			tokens++
		}
		pos := 2 * i
		if isIndicator(ln, i) {
			pos++
		}
		for len(stack) > 0 && stack[len(stack)-1].threshold >= pos {
			stack = stack[:len(stack)-1]
		}
		d := 0
		if len(stack) > 0 {
			d = stack[len(stack)-1].depth
		}
		// Compact block indicators: "- ", "? " (and a bare "-" or "?" ending the line).
		for isIndicator(ln, i) {
			d++
			tokens++
			if d > limit {
				return d, tokens, lineNo, i + 1
			}
			stack = append(stack, open{2*i + 1, d})
			i = skipBlanks(ln, i+1)
		}
		// The rest of the line: a key, a value, brackets, quotes, a comment.
		keyCol, keyEnd := -1, false
		tokenStart := true
		for j := i; j < len(ln); j++ {
			c := ln[j]
			if quote != 0 {
				switch {
				case quote == '"' && c == '\\':
					j++
				case c == quote:
					if quote == '\'' && j+1 < len(ln) && ln[j+1] == '\'' {
						j++
						continue
					}
					quote = 0
				}
				continue
			}
			switch c {
			case '#':
				if j == 0 || ln[j-1] == ' ' || ln[j-1] == '\t' {
					j = len(ln)
					continue
				}
			case '"', '\'':
				if tokenStart {
					quote = c
				}
			case '[', '{':
				flow++
				tokens++
				if d+flow > maxd {
					maxd = d + flow
					if maxd > limit {
						return maxd, tokens, lineNo, j + 1
					}
				}
				tokenStart = true
				continue
			case ']', '}':
				if flow > 0 {
					flow--
				}
			case ',':
				if flow > 0 {
					tokens++
				}
				tokenStart = true
				continue
			case ':':
				if j+1 == len(ln) || ln[j+1] == ' ' || ln[j+1] == '\r' {
					tokens++
				}
				if flow == 0 && keyCol < 0 && (j+1 == len(ln) || ln[j+1] == ' ' || ln[j+1] == '\r') {
					keyCol = i
					keyEnd = true
					d++ // the mapping
				}
				tokenStart = true
				continue
			case ' ', '\t':
				tokenStart = true
				continue
			}
			if tokenStart && c == '*' {
				tokens++
			}
			if tokenStart && (c == '&' || c == '!') {
				tokens++
				// An anchor or a tag before a value that follows on the next lines.
				for j+1 < len(ln) && ln[j+1] != ' ' && ln[j+1] != '\t' {
					j++
				}
				continue
			}
			if keyEnd && c != '\r' {
				keyEnd = false // the key has its value on its own line
			}
			tokenStart = false
		}
		if d+1 > maxd {
			maxd = d + 1
			if maxd > limit {
				return maxd, tokens, lineNo, i + 1
			}
		}
		if keyCol >= 0 && keyEnd {
			// The value follows on the next lines: more indented ones, or a sequence at the key's indentation.
			stack = append(stack, open{2 * keyCol, d})
		}
		start = next
	}
	return maxd, tokens, 0, 0
}

// isIndicator reports whether ln[i:] starts with a block sequence entry or complex key indicator.
func isIndicator(ln []byte, i int) bool {
	if i >= len(ln) || (ln[i] != '-' && ln[i] != '?') {
		return false
	}
	return i+1 == len(ln) || ln[i+1] == ' ' || ln[i+1] == '\t' || ln[i+1] == '\r'
}

// skipBlanks returns the index of the first byte at or after i that is not a space or a tab (tabs are no YAML
// indentation, but counting them as such keeps the bound an upper bound whatever the parser makes of them).
func skipBlanks(ln []byte, i int) int {
	for i < len(ln) && (ln[i] == ' ' || ln[i] == '\t') {
		i++
	}
	return i
}
