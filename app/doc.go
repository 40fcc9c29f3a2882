// Package app holds Kolaborasi's use cases: validation, authorisation,
// workflow and time. It is the only caller of kolaborasi.Store; the web
// layer and the command line call it and pass the acting user along in the
// context.
package app
