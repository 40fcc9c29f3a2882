// Package kolaborasi holds the domain of Kolaborasi: the entities Indonesian
// regions share and agree on, the filters used to find them, the Store
// interface that persists them, and the Error type whose codes every layer
// understands.
//
// The package imports only the standard library. Rules live in package app,
// storage in package store, HTTP in package web.
package kolaborasi
