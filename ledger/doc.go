// Package ledger holds Kolaborasi's signature and public-log logic: the
// canonical bytes a party signs, the entries of the public tamper-evident
// log, the log's Merkle tree, signed checkpoints and proofs, and the
// offline verification bundle. It is pure logic: storage (HashStore) and
// HTTP live elsewhere. This comment is the specification third parties
// verify against; every format below is version 1.
//
// # Conventions
//
// "JCS(x)" is the RFC 8785 JSON Canonicalization Scheme encoding of the JSON
// value x: no white space, object members sorted by UTF-16 code units,
// numbers in ECMAScript shortest form, minimal string escapes, UTF-8.
// "hex" is lowercase hexadecimal; "base64" is standard, padded base64
// (RFC 4648 section 4) with zero padding bits. SHA-256 is FIPS 180-4.
//
// # Keys and key IDs
//
// Signing keys are Ed25519 (RFC 8032). The key ID of a public key is the
// hex of the first 8 bytes of SHA-256 of its 32 raw bytes (16 characters):
//
//	key_id = hex(SHA-256(public_key)[0:8])
//
// The log must not register two keys with the same ID; verifiers reject a
// bundle that holds two registrations of one key ID. Key files: the private
// key is a PKCS #8 "PRIVATE KEY" PEM block (RFC 8410); the public key is
// either a SubjectPublicKeyInfo "PUBLIC KEY" PEM block or the base64 of its
// 32 raw bytes. Private keys stay with the signer (the CLI signs); the
// server only ever sees public keys.
//
// # Agreement version and content hash
//
// An agreement version is the JSON object
//
//	{"agreement_id": string, "version": integer ≥ 1,
//	 "content": object, "attachments": {name: hex SHA-256 of the file}}
//
// where content is the legal content (title, type, parties, witnesses,
// scope, exchange items, dates, ...) chosen by the application, and
// attachments is {} when there are none. Its canonical bytes are
//
//	"kolaborasi/agreement-version/v1\n" || JCS(agreement version)
//
// and its content hash is the hex SHA-256 of those bytes. RFC 8785 reads
// every JSON number as an IEEE 754 double, so content should carry large
// integers and exact decimals (money) as strings.
//
// # Signature
//
// A party's signature covers the agreement version plus who signs it:
//
//	{"agreement_id", "version", "content", "attachments",   (as above)
//	 "party": region code such as "35.72",
//	 "role": "signatory" or "witness",
//	 "stage": "ksb" or "pks",
//	 "key_id": the signing key's ID}
//
// The signed bytes are
//
//	"kolaborasi/agreement-signature/v1\n" || JCS(that object)
//
// and the signature is the 64-byte Ed25519 signature of them. Because the
// agreement ID, version, party, role, stage and key ID are signed, a
// signature cannot be moved to another agreement, version, party, role,
// stage or key.
//
// # Log entries
//
// The log is a sequence of records, numbered from 0. Each record is
// JCS of one entry object with a "type" member, a "v" member equal to 1, and
// the members of its type:
//
//	key_registered: region, key_id, public_key (base64 of 32 bytes),
//	                holder_office, approved_by
//	key_revoked:    key_id, reason
//	signature:      agreement_id, version, stage, party, role, key_id,
//	                signature (base64 of 64 bytes), content_hash (hex)
//	status_change:  agreement_id, version, from, to, actor_role,
//	                time (RFC 3339 in UTC with "Z"; fractional seconds
//	                only when non-zero, without trailing zeros)
//
// Strings are non-empty and free of control characters; key_id in
// key_registered is the key ID of public_key. A record is accepted only in
// exactly this form: any other spelling of the same value is rejected.
//
// # Merkle tree
//
// The log's tree is the RFC 6962 (RFC 9162 section 2.1) Merkle tree over
// the records, with SHA-256: leaf hash SHA-256(0x00 || record), interior
// node SHA-256(0x01 || left || right), empty tree SHA-256(""). The server
// keeps it in the stored-hash layout of golang.org/x/mod/sumdb/tlog.
// Inclusion and consistency proofs are the RFC 6962 audit and consistency
// paths, as produced by tlog.ProveRecord and tlog.ProveTree.
//
// # Checkpoints
//
// A checkpoint is a C2SP tlog-checkpoint signed note
// (https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note):
//
//	<origin>\n
//	<tree size in decimal, no leading zeros>\n
//	<base64 root hash>\n
//	\n
//	— <origin> <base64(4-byte key hash || 64-byte Ed25519 signature)>\n
//
// The national log's origin is "kolaborasi.id/log" (DefaultOrigin). The
// note key's name equals the origin; its verifier key is published as
// "<origin>+<8 hex digits key hash>+<base64(0x01 || public key)>". Version 1
// checkpoints carry no extension lines and exactly one signature, the
// log's, with its base64 in canonical form. The server signs one checkpoint
// per appended batch, not per entry. A client holding an old checkpoint
// accepts a new one only with a consistency proof from the old size
// (VerifyExtends); two checkpoints of one size with different roots prove
// the log forked.
//
// # Bundle
//
// A bundle lets anyone verify offline that an agreement version reached a
// stage: that every party signed it. It is the JCS encoding (and nothing
// else: no white space, no trailing newline) of
//
//	{"format": "kolaborasi/bundle/v2",
//	 "agreement": agreement version (as above),
//	 "stage": "ksb" or "pks", the stage the bundle proves,
//	 "entries": [{"entry": log entry object, "index": log index,
//	              "proof": [base64 hash, ...] inclusion proof}, ...],
//	 "checkpoint": signed checkpoint (a string)}
//
// with entries in strictly increasing index order: the version's signature
// entries and status changes, and the key_registered and key_revoked
// entries of the keys that signed. Proving "pks" proves "ksb" too. Version 1
// bundles carried no stage and are refused.
//
// The agreement content names who signs: "parties" is an array of objects;
// a party with a "region" member (a region code) signs on the platform, as
// signatory, with its "name"; third parties, without "region", sign on
// paper. "witnesses" is an array of objects with "region" and "office"
// that may sign the KSB as witness.
//
// Each stage has the status in which its parties sign and the status the
// last signature moves the version to: ksb_negotiated and ksb_signed for
// the KSB, pks_drafted and pks_signed for the PKS. Every version starts as
// "draft".
//
// VerifyBundle, given the log's verifier key, accepts a bundle only if:
//
//  1. it is byte for byte the canonical encoding of its own content (so
//     unknown members, duplicates, other escapes, white space, trailing data
//     or non-canonical base64 all fail), and its stage is "ksb" or "pks";
//  2. the checkpoint is signed by the log key and its origin is the key's
//     name;
//  3. every entry's inclusion proof leads from the leaf hash of the
//     entry's record at its index to the checkpoint's root, at the
//     checkpoint's size;
//  4. there is at least one signature entry and every signature entry names
//     the bundle's agreement ID and version, has its content hash, and is by
//     a party the content names in that role (a party's region as
//     signatory, a witness's region as witness); status changes name the
//     same agreement version; key entries concern only keys that signed,
//     and no key is registered twice;
//  5. for every signature entry: a key_registered entry of its key ID is in
//     the bundle at a lower index, for the signature's party (region); no
//     key_revoked entry of the key is at a lower index than the signature;
//     and the signature verifies, with the registered public key, over the
//     signed bytes built from the agreement version and the entry's party,
//     role, stage and key ID;
//  6. the status changes, in index order, run without a gap from "draft":
//     the first moves from "draft" and each moves from the status the one
//     before moved to;
//  7. for the bundle's stage and every stage before it: the status changes
//     hold the move from the stage's signing status to its signed status;
//     every signature entry of the stage lies between the move into the
//     signing status and that move; and every party of the content with a
//     region has a signatory signature of the stage that holds (5).
//
// Every member of a bundle is thus bound by the checkpoint signature, an
// inclusion proof, the content hash or a signature, changing any single
// byte makes verification fail, and leaving out a party's signature (with
// its key registration or not) or a status change fails (6) or (7). A
// bundle proves what it contains; it cannot prove that the log holds no
// other entry, such as a revocation or a later status change (a
// termination) left out, so a verifier that is online should also ask the
// log for revocations of the keys and status changes of the version after
// the checkpoint.
package ledger
