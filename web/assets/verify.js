// Verifies an agreement's bundle in the browser, independently of the
// server's verdict printed on the page (which works without this script).
// The format is specified in ledger/doc.go (bundle version 2): like
// ledger.VerifyBundle it checks the signatures and that the bundle proves
// its stage (every party signed, the status changes are all there); no
// libraries.
"use strict";
(function () {
  var enc = new TextEncoder();

  // jcs is RFC 8785 canonical JSON. JSON.stringify already writes strings
  // and numbers the way RFC 8785 requires (the RFC adopts ECMAScript's
  // rules); object members are sorted by UTF-16 code units, which is what
  // Array.prototype.sort does with strings.
  function jcs(v) {
    if (v === null || typeof v !== "object") return JSON.stringify(v);
    if (Array.isArray(v)) return "[" + v.map(jcs).join(",") + "]";
    return "{" + Object.keys(v).sort().map(function (k) { return JSON.stringify(k) + ":" + jcs(v[k]); }).join(",") + "}";
  }

  function b64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function hex(buf) {
    return Array.from(new Uint8Array(buf)).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function concat() {
    var n = 0, i, parts = Array.from(arguments);
    for (i = 0; i < parts.length; i++) n += parts[i].length;
    var out = new Uint8Array(n), off = 0;
    for (i = 0; i < parts.length; i++) { out.set(parts[i], off); off += parts[i].length; }
    return out;
  }
  async function sha256(bytes) { return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)); }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  async function ed25519Verify(pub, sig, msg) {
    var key = await crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, false, ["verify"]);
    return crypto.subtle.verify({ name: "Ed25519" }, key, sig, msg);
  }

  // RFC 6962 hashing: leaf SHA-256(0x00 || record), node SHA-256(0x01 || l || r).
  function leafHash(rec) { return sha256(concat(new Uint8Array([0]), rec)); }
  function nodeHash(l, r) { return sha256(concat(new Uint8Array([1]), l, r)); }
  // maxpow2 is the largest power of two below n (n > 1).
  function maxpow2(n) { var k = 1; while (k * 2 < n) k *= 2; return k; }
  // rootFromProof runs an inclusion proof as golang.org/x/mod/sumdb/tlog
  // does (the RFC 6962 audit path, leaf level first).
  async function rootFromProof(p, lo, hi, n, leaf) {
    if (lo + 1 === hi) {
      if (p.length !== 0) throw new Error("proof too long");
      return leaf;
    }
    if (p.length === 0) throw new Error("proof too short");
    var k = maxpow2(hi - lo), last = b64(p[p.length - 1]), rest = p.slice(0, -1);
    if (n < lo + k) return nodeHash(await rootFromProof(rest, lo, lo + k, n, leaf), last);
    return nodeHash(last, await rootFromProof(rest, lo + k, hi, n, leaf));
  }

  // parseVerifierKey reads "<name>+<hex key hash>+<base64(0x01 || key)>".
  // Names hold no "+"; the base64 key may.
  function parseVerifierKey(text) {
    var m = /^([^+]+)\+([0-9a-f]{8})\+(\S+)$/.exec(text.trim());
    if (!m) throw new Error("log key");
    var parts = m.slice(1), k = b64(parts[2]);
    if (k.length !== 33 || k[0] !== 1) throw new Error("log key algorithm");
    return { name: parts[0], hash: parts[1], pub: k.slice(1) };
  }

  // openCheckpoint checks the signed note and returns size and root.
  async function openCheckpoint(text, key) {
    var cut = text.indexOf("\n\n");
    if (cut < 0) throw new Error("checkpoint without signature");
    var msg = text.slice(0, cut + 1), sigs = text.slice(cut + 2).split("\n").filter(Boolean);
    var lines = msg.split("\n");
    if (lines[0] !== key.name) throw new Error("checkpoint origin " + lines[0]);
    var ok = false;
    for (var i = 0; i < sigs.length; i++) {
      var m = /^\u2014 (\S+) (\S+)$/.exec(sigs[i]);
      if (!m || m[1] !== key.name) continue;
      var raw = b64(m[2]);
      if (raw.length !== 68 || hex(raw.slice(0, 4)) !== key.hash) continue;
      ok = await ed25519Verify(key.pub, raw.slice(4), enc.encode(msg));
    }
    if (!ok) throw new Error("checkpoint signature");
    return { size: Number(lines[1]), root: b64(lines[2]) };
  }

  // The stages in order, with the status in which each is signed and the
  // status its last signature moves the version to.
  var STAGES = ["ksb", "pks"];
  var STAGE_STATUS = { ksb: ["ksb_negotiated", "ksb_signed"], pks: ["pks_drafted", "pks_signed"] };

  async function verifyBundle(text, keyText) {
    var b = JSON.parse(text);
    if (jcs(b) !== text) throw new Error("bundle is not canonical");
    if (b.format !== "kolaborasi/bundle/v2") throw new Error("bundle format");
    if (STAGES.indexOf(b.stage) < 0) throw new Error("bundle stage");
    var key = parseVerifierKey(keyText);
    // The key hash names the key: SHA-256(name "\n" 0x01 key)[0:4].
    var kh = await sha256(concat(enc.encode(key.name + "\n"), new Uint8Array([1]), key.pub));
    if (hex(kh.slice(0, 4)) !== key.hash) throw new Error("log key hash");
    var cp = await openCheckpoint(b.checkpoint, key);
    var av = b.agreement, hash = hex(await sha256(enc.encode("kolaborasi/agreement-version/v1\n" + jcs(av))));
    // Who signs: parties with a region code as signatory, witnesses as witness.
    var named = { signatory: {}, witness: {} }, regions = [];
    (av.content.parties || []).forEach(function (p) {
      if (p.region && !named.signatory[p.region]) { named.signatory[p.region] = p.name || p.region; regions.push(p.region); }
    });
    (av.content.witnesses || []).forEach(function (w) { named.witness[w.region] = w.office || w.region; });
    if (regions.length === 0) throw new Error("no party with a region");
    var regs = {}, revoked = {}, statuses = [], last = -1;
    for (var i = 0; i < b.entries.length; i++) {
      var e = b.entries[i];
      if (e.index <= last) throw new Error("entries out of order");
      last = e.index;
      var root = await rootFromProof(e.proof, 0, cp.size, e.index, await leafHash(enc.encode(jcs(e.entry))));
      if (!equal(root, cp.root)) throw new Error("inclusion proof of entry " + e.index);
      if (e.entry.type === "key_registered") regs[e.entry.key_id] = e;
      if (e.entry.type === "key_revoked") revoked[e.entry.key_id] = e.index;
      if (e.entry.type === "status_change") {
        if (e.entry.agreement_id !== av.agreement_id || e.entry.version !== av.version) throw new Error("status change of another version");
        statuses.push(e);
      }
    }
    var results = [];
    for (i = 0; i < b.entries.length; i++) {
      e = b.entries[i];
      var s = e.entry;
      if (s.type !== "signature") continue;
      var res = { index: e.index, party: s.party, role: s.role, stage: s.stage, ok: false };
      results.push(res);
      if (!named[s.role] || !named[s.role][s.party]) throw new Error("signature " + e.index + " by " + s.party + ", not named as " + s.role);
      var reg = regs[s.key_id];
      if (s.agreement_id !== av.agreement_id || s.version !== av.version || s.content_hash !== hash) { res.problem = "agreement"; continue; }
      if (!reg || reg.index > e.index || reg.entry.region !== s.party) { res.problem = "key not registered"; continue; }
      if (revoked[s.key_id] !== undefined && revoked[s.key_id] < e.index) { res.problem = "key revoked"; continue; }
      var signed = Object.assign({}, av, { party: s.party, role: s.role, stage: s.stage, key_id: s.key_id });
      res.ok = await ed25519Verify(b64(reg.entry.public_key), b64(s.signature),
        enc.encode("kolaborasi/agreement-signature/v1\n" + jcs(signed)));
      if (!res.ok) res.problem = "signature";
    }
    if (results.length === 0) throw new Error("no signatures");

    // Completeness: status changes without a gap from draft, and for each
    // stage up to the bundle's, its completing status change and every
    // party's signatory signature, logged while the stage was open.
    var missing = [], status = "draft";
    statuses.forEach(function (sc) {
      if (sc.entry.from !== status) throw new Error("status change missing before " + sc.index);
      status = sc.entry.to;
    });
    STAGES.slice(0, STAGES.indexOf(b.stage) + 1).forEach(function (st) {
      var ss = STAGE_STATUS[st], done = -1, opened = -1;
      for (var j = 0; j < statuses.length; j++) {
        if (statuses[j].entry.from === ss[0] && statuses[j].entry.to === ss[1]) { done = statuses[j].index; opened = statuses[j - 1].index; break; }
      }
      if (done < 0) missing.push("no status change to " + ss[1]);
      results.forEach(function (r) {
        if (r.stage === st && done >= 0 && (r.index < opened || r.index > done)) throw new Error("signature " + r.index + " outside the " + st.toUpperCase());
      });
      regions.forEach(function (region) {
        var ok = results.some(function (r) { return r.party === region && r.role === "signatory" && r.stage === st && r.ok; });
        if (!ok) missing.push(region + " " + named.signatory[region] + " has no valid " + st.toUpperCase() + " signature");
      });
    });
    return { size: cp.size, signatures: results, stage: b.stage, missing: missing };
  }

  document.addEventListener("DOMContentLoaded", async function () {
    var box = document.getElementById("verification");
    var out = box && box.querySelector(".browser-result");
    if (!out || !box.dataset.bundle) return;
    out.textContent = out.dataset.checking;
    try {
      var r = await Promise.all([fetch(box.dataset.bundle), fetch(box.dataset.key)]);
      if (!r[0].ok || !r[1].ok) throw new Error("download failed");
      var res = await verifyBundle(await r[0].text(), await r[1].text());
      var sigsOK = res.signatures.every(function (s) { return s.ok; }), allOK = sigsOK && res.missing.length === 0;
      res.signatures.forEach(function (s) {
        var cell = document.querySelector('tr[data-log-index="' + s.index + '"] .sig-state');
        if (cell) cell.append(" · " + (s.ok ? out.dataset.sigOk : out.dataset.sigBad + " " + s.problem));
      });
      // Valid signatures of a stage not every party has signed yet are not
      // a failure, but not a proof of the stage either.
      var verdict = allOK ? out.dataset.ok : sigsOK ? out.dataset.incomplete : out.dataset.fail;
      if (!allOK) verdict += " " + res.stage.toUpperCase() + ": " + res.missing.join("; ");
      out.textContent = verdict + " (" + res.size + ")";
      out.className = "browser-result " + (allOK ? "ok" : sigsOK ? "partial" : "bad");
    } catch (err) {
      out.textContent = out.dataset.fail + " " + err.message;
      out.className = "browser-result bad";
    }
  });
})();
