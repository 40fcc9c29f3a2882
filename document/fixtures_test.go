package document

import "time"

// wib is Western Indonesian Time, where Blitar and Bandung are.
var wib = time.FixedZone("WIB", 7*60*60)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, wib) }

// seedKSB is the Kesepakatan Bersama of the seed story: Kota Blitar and Kota
// Bandung, 8 March 2017 at Balai Kota Kusuma Wicitra. Offices, scope,
// witnesses and place are from the press report; Blitar's number follows
// the example in the issue; Bandung's number, the key IDs and the article
// texts are synthetic.
func seedKSB() Agreement {
	return Agreement{
		Kind:  KindKSB,
		Type:  TypeKSDDSukarela,
		Title: "Kerja Sama Pengembangan Smart City dan Ekonomi Kerakyatan",
		Parties: []Party{
			{
				Region: "Pemerintah Kota Blitar",
				Office: "Wali Kota Blitar",
				Number: "415.4/12/410.010.1/2017",
				Signature: &Signature{
					SignedAt: time.Date(2017, 3, 8, 3, 15, 0, 0, time.UTC),
					KeyID:    "ed25519:3572-walikota-01",
				},
			},
			{
				Region: "Pemerintah Kota Bandung",
				Office: "Wali Kota Bandung",
				Number: "119/PKS.05-Huk/2017",
			},
		},
		Witnesses: []Witness{
			{Region: "Pemerintah Kabupaten Malang", Office: "Bupati Malang"},
			{Region: "Pemerintah Kota Mojokerto", Office: "Wali Kota Mojokerto"},
			{Region: "Pemerintah Kabupaten Probolinggo", Office: "Bupati Probolinggo"},
			{Region: "Pemerintah Kabupaten Kediri", Office: "Bupati Kediri"},
		},
		Purpose: []string{
			"Kesepakatan Bersama ini dimaksudkan sebagai landasan bagi PARA PIHAK untuk saling " +
				"berbagi program dan aplikasi pembangunan daerah yang telah terbukti berhasil.",
			"Kesepakatan Bersama ini bertujuan meningkatkan kualitas pelayanan publik dan " +
				"pertumbuhan ekonomi kerakyatan dengan semangat “kolaborasi”, bukan “kompetisi”.",
		},
		Scope: []string{
			"Smart City",
			"E-Government",
			"pengembangan usaha kecil menengah",
			"ekonomi kreatif",
			"koperasi",
		},
		Implementation: []string{
			"Pelaksanaan Kesepakatan Bersama ini dituangkan lebih lanjut dalam Perjanjian Kerja " +
				"Sama yang disusun oleh perangkat daerah PARA PIHAK sesuai dengan ruang lingkup " +
				"masing-masing.",
		},
		Exchanges: []Exchange{
			{
				Giver: 1, Receiver: 0,
				What:  "aplikasi smart city yang dikembangkan oleh PIHAK KEDUA beserta dokumentasinya",
				Terms: "dimanfaatkan untuk penyelenggaraan pemerintahan PIHAK KESATU tanpa biaya lisensi",
			},
			{
				Giver: 0, Receiver: 1,
				What:  "program ekonomi kerakyatan PIHAK KESATU, meliputi bantuan modal usaha kecil dan pembinaan koperasi",
				Terms: "melalui kunjungan kerja dan pendampingan teknis",
			},
		},
		Financing: []Funding{
			{Party: 0, Source: "Anggaran Pendapatan dan Belanja Daerah Kota Blitar"},
			{Party: 1, Source: "Anggaran Pendapatan dan Belanja Daerah Kota Bandung"},
		},
		Duration:  Duration{Start: day(2017, 3, 8), End: day(2022, 3, 7)},
		Place:     "Blitar",
		Venue:     "Balai Kota Kusuma Wicitra",
		Date:      day(2017, 3, 8),
		VerifyURL: "https://kolaborasi.example/verifikasi/ksb-3572-3273-2017-001",
	}
}

// seedPKS implements seedKSB: Bandung's smart-city applications for Blitar,
// signed by the heads of Diskominfo under a surat kuasa. Numbers, dates,
// key IDs and texts are synthetic.
func seedPKS() Agreement {
	ksb := seedKSB()
	return Agreement{
		Kind:  KindPKS,
		Type:  TypeKSDDSukarela,
		Title: "Pemanfaatan Aplikasi Smart City Kota Bandung oleh Pemerintah Kota Blitar",
		Parties: []Party{
			{
				Region:  "Pemerintah Kota Blitar",
				Office:  "Kepala Dinas Komunikasi, Informatika dan Statistik Kota Blitar",
				Address: "Jalan Merdeka Nomor 105, Kota Blitar",
				Number:  "555/41/410.104/2017",
				Mandate: &Mandate{Grantor: "Wali Kota Blitar", Number: "180/7/410.010.2/2017", Date: day(2017, 5, 22)},
				Signature: &Signature{
					SignedAt: time.Date(2017, 6, 5, 2, 0, 0, 0, time.UTC),
					KeyID:    "ed25519:3572-diskominfo-01",
				},
			},
			{
				Region:  "Pemerintah Kota Bandung",
				Office:  "Kepala Dinas Komunikasi dan Informatika Kota Bandung",
				Address: "Jalan Wastukancana Nomor 2, Kota Bandung",
				Number:  "555/PKS.17-Diskominfo/2017",
				Mandate: &Mandate{Grantor: "Wali Kota Bandung", Number: "180/SK.33-Huk/2017", Date: day(2017, 5, 24)},
				Signature: &Signature{
					SignedAt: time.Date(2017, 6, 5, 2, 30, 0, 0, time.UTC),
					KeyID:    "ed25519:3273-diskominfo-02",
				},
			},
		},
		Reference: &Reference{
			Title:   ksb.Title,
			Numbers: []string{ksb.Parties[0].Number, ksb.Parties[1].Number},
			Date:    ksb.Date,
		},
		Purpose: []string{
			"Perjanjian Kerja Sama ini bertujuan agar PIHAK KESATU dapat memanfaatkan aplikasi " +
				"smart city PIHAK KEDUA untuk mempercepat pelayanan publik berbasis elektronik.",
		},
		Scope: []string{
			"penyerahan kode sumber dan dokumentasi aplikasi",
			"pelatihan aparatur pengelola aplikasi",
			"pendampingan teknis pengoperasian aplikasi",
		},
		Exchanges: []Exchange{{
			Giver: 1, Receiver: 0,
			What:  "aplikasi Panic Button, e-Budgeting dan GAMPIL beserta kode sumbernya",
			Terms: "tidak dialihkan kepada pihak lain tanpa persetujuan PIHAK KEDUA",
		}},
		Financing: []Funding{
			{Party: 0, Source: "Anggaran Pendapatan dan Belanja Daerah Kota Blitar"},
			{Party: 1, Source: "Anggaran Pendapatan dan Belanja Daerah Kota Bandung"},
		},
		Duration:  Duration{End: day(2019, 6, 4)},
		Place:     "Bandung",
		Venue:     "Balai Kota Bandung",
		Date:      day(2017, 6, 5),
		VerifyURL: "https://kolaborasi.example/verifikasi/pks-3572-3273-2017-004",
	}
}

// threeParty is a synthetic three-party KSB without financing or duration,
// so that its articles are renumbered; one party's signatory is named.
func threeParty() Agreement {
	return Agreement{
		Kind:  KindKSB,
		Type:  TypeKSDDWajib,
		Title: "Pengelolaan Bersama Layanan E-Government di Wilayah Perbatasan",
		Parties: []Party{
			{Region: "Pemerintah Kota Blitar", Office: "Wali Kota Blitar", Number: "415.4/20/410.010.1/2018"},
			{Region: "Pemerintah Kabupaten Blitar", Office: "Bupati Blitar", Number: "415.4/88/409.011/2018"},
			{
				Region: "Pemerintah Kabupaten Malang", Office: "Bupati Malang",
				Name: "Contoh Nama Pejabat", Number: "415.4/31/35.07.201/2018",
			},
		},
		Witnesses: []Witness{{Region: "Pemerintah Provinsi Jawa Timur", Office: "Gubernur Jawa Timur"}},
		Purpose: []string{
			"Kesepakatan Bersama ini bertujuan menyatukan layanan e-government PARA PIHAK bagi warga di wilayah perbatasan.",
		},
		Scope:     []string{"E-Government", "koperasi"},
		Dispute:   []string{"Perselisihan diselesaikan secara musyawarah untuk mufakat."},
		Place:     "Malang",
		Date:      day(2018, 1, 17),
		VerifyURL: "https://kolaborasi.example/verifikasi/ksb-3572-3505-3507-2018-002",
	}
}
