package web

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
)

// Pages in one language: the labels of a page (T calls with a literal ID
// and no data, about fifty on the solution page) are the same text on
// every request in a language, yet html/template looked the method up,
// called it through reflection and escaped its result each time: a third
// of the solution page's rendering (K8). localizedPages makes, per page
// and language on first use, a copy of the page's templates in which each
// such label is resolved once: to a string constant before html/template
// escapes the copy (so it is escaped for its context like any value), and
// then, where html/template chose only HTML escaping (text, quoted
// attributes, RCDATA), to the escaped text itself. Labels in other
// contexts (URLs, scripts) stay escaped constants.
//
// Every T of the data a page template renders translates in the page's
// language (pageBase.T and rowAdder.T use the page's translator), which
// is what makes the copy per language exact; TestLocalizedPagesRenderAsBefore
// compares every main page both ways.
type localizedPages struct {
	// trees are each page's parse trees as parsed, before any execution
	// escaped them.
	trees map[string][]*parse.Tree
	funcs template.FuncMap
	m     sync.Map // page + "\x00" + lang → *localizedPage
}

type localizedPage struct {
	once sync.Once
	t    *template.Template // nil: use the page as parsed
}

// keep records the parse trees of page t before it is executed.
func (l *localizedPages) keep(page string, t *template.Template) {
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			l.trees[page] = append(l.trees[page], tt.Tree.Copy())
		}
	}
}

// page returns the template of page with the labels of tr's language
// resolved, nil when it cannot be made (the page as parsed is then used,
// and reports the problem when it runs).
func (l *localizedPages) page(page string, tr translator) *template.Template {
	v, _ := l.m.LoadOrStore(page+"\x00"+tr.lang, &localizedPage{})
	lp := v.(*localizedPage)
	lp.once.Do(func() {
		t, err := l.localize(page, tr)
		if err == nil {
			lp.t = t
		}
	})
	return lp.t
}

// localize copies the page's templates, resolves their labels in tr's
// language, escapes the copy from its entry points (title and content)
// and writes the labels html/template only HTML-escapes as text.
func (l *localizedPages) localize(page string, tr translator) (*template.Template, error) {
	trees, ok := l.trees[page]
	if !ok {
		return nil, fmt.Errorf("no page template %q", page)
	}
	t := template.New(page).Funcs(l.funcs)
	for _, tree := range trees {
		c := tree.Copy()
		walk(c.Root, func(n parse.Node) {
			if cmd, ok := n.(*parse.CommandNode); ok {
				resolveLabel(cmd, tr)
			}
		})
		if _, err := t.AddParseTree(c.Name, c); err != nil {
			return nil, err
		}
	}
	// Executing escapes the templates an entry point reaches; without
	// data it then stops at the first value. Only an escaping error
	// (html/template.Error) means the copy is unusable.
	for _, entry := range []string{"title", "content"} {
		err := t.ExecuteTemplate(io.Discard, entry, nil)
		if e, ok := err.(*template.Error); ok {
			return nil, e
		}
	}
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			foldEscapedLabels(tt.Tree.Root)
		}
	}
	return t, nil
}

// resolveLabel turns the command `.T "id"` or `$.T "id"` into the string
// constant of the message.
func resolveLabel(cmd *parse.CommandNode, tr translator) {
	if len(cmd.Args) != 2 {
		return
	}
	id, ok := cmd.Args[1].(*parse.StringNode)
	if !ok {
		return
	}
	switch f := cmd.Args[0].(type) {
	case *parse.FieldNode:
		if len(f.Ident) != 1 || f.Ident[0] != "T" {
			return
		}
	case *parse.VariableNode:
		if len(f.Ident) != 2 || f.Ident[0] != "$" || f.Ident[1] != "T" {
			return
		}
	default:
		return
	}
	id.Text = tr.T(id.Text)
	id.Quoted = strconv.Quote(id.Text)
	cmd.Args = cmd.Args[1:]
}

// htmlEscapers are the escapers html/template puts after a value in HTML
// text, a quoted attribute and RCDATA: for a string each is htmlEscape.
var htmlEscapers = map[string]bool{"_html_template_htmlescaper": true, "_html_template_attrescaper": true,
	"_html_template_rcdataescaper": true}

// foldEscapedLabels replaces each action of list that writes a string
// constant through HTML escapers only (a resolved label) by its text.
func foldEscapedLabels(list *parse.ListNode) {
	walk(list, func(n parse.Node) {
		l, ok := n.(*parse.ListNode)
		if !ok {
			return
		}
		for i, item := range l.Nodes {
			if text, ok := escapedConstant(item); ok {
				l.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: item.Position(), Text: []byte(text)}
			}
		}
	})
}

// escapedConstant is the output of an action that writes a string
// constant through HTML escapers only.
func escapedConstant(n parse.Node) (string, bool) {
	a, ok := n.(*parse.ActionNode)
	if !ok || len(a.Pipe.Decl) > 0 || len(a.Pipe.Cmds) < 2 || len(a.Pipe.Cmds[0].Args) != 1 {
		return "", false
	}
	s, ok := a.Pipe.Cmds[0].Args[0].(*parse.StringNode)
	if !ok {
		return "", false
	}
	out := s.Text
	for _, cmd := range a.Pipe.Cmds[1:] {
		id, ok := cmd.Args[0].(*parse.IdentifierNode)
		if len(cmd.Args) != 1 || !ok || !htmlEscapers[id.Ident] {
			return "", false
		}
		out = htmlEscape(out)
	}
	return out, true
}

// htmlEscape escapes a string as html/template escapes a string value in
// HTML text, quoted attributes and RCDATA (its htmlReplacementTable: ASCII
// bytes only, so other bytes, valid UTF-8 or not, pass unchanged);
// TestHTMLEscapeAsTemplates compares the two.
func htmlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			b.WriteString("\uFFFD")
		case '"':
			b.WriteString("&#34;")
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '+':
			b.WriteString("&#43;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// walk calls fn for n and every node below it.
func walk(n parse.Node, fn func(parse.Node)) {
	fn(n)
	switch n := n.(type) {
	case *parse.ListNode:
		for _, c := range n.Nodes {
			walk(c, fn)
		}
	case *parse.ActionNode:
		walk(n.Pipe, fn)
	case *parse.PipeNode:
		for _, c := range n.Cmds {
			walk(c, fn)
		}
	case *parse.CommandNode:
		for _, c := range n.Args {
			walk(c, fn)
		}
	case *parse.ChainNode:
		walk(n.Node, fn)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.TemplateNode:
		if n.Pipe != nil {
			walk(n.Pipe, fn)
		}
	}
}

func walkBranch(b *parse.BranchNode, fn func(parse.Node)) {
	walk(b.Pipe, fn)
	walk(b.List, fn)
	if b.ElseList != nil {
		walk(b.ElseList, fn)
	}
}
