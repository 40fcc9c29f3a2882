// Package document renders cooperation agreements between Indonesian regions
// (kerja sama daerah under PP 28/2018) as PDF files in the formal Indonesian
// layout: a Kesepakatan Bersama (KSB, the framework agreement signed by the
// heads of region) or a Perjanjian Kerja Sama (PKS, the implementing
// agreement).
//
// The package is pure: it takes an Agreement value, which the caller maps
// from the domain model, and returns PDF bytes. It does no I/O besides
// writing into memory, reads no clock, and produces byte-identical output for
// identical input, so rendered documents can be hashed, signed and compared
// with golden files.
//
// It also holds the Indonesian spelling helpers the layout needs (numbers,
// weekdays, months and dates written out in words), because an agreement
// states its signing date in words ("Pada hari ini Rabu tanggal delapan bulan
// Maret tahun dua ribu tujuh belas").
package document
