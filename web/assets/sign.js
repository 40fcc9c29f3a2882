// Signing keys in the browser: a NON-EXTRACTABLE Ed25519 key pair made with
// WebCrypto and kept in this browser's IndexedDB. Only the public key is
// exported (to register it); the private key never leaves the browser, and
// the page signs the canonical bytes the server serves for an agreement.
"use strict";
(function () {
  function b64(bytes) { return btoa(String.fromCharCode.apply(null, new Uint8Array(bytes))); }
  function unb64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function hex(buf) {
    return Array.from(new Uint8Array(buf)).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function db() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open("kolaborasi-keys", 1);
      req.onupgradeneeded = function () { req.result.createObjectStore("keys", { keyPath: "keyId" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  async function tx(mode, fn) {
    var d = await db();
    return new Promise(function (resolve, reject) {
      var t = d.transaction("keys", mode), req = fn(t.objectStore("keys"));
      t.oncomplete = function () { resolve(req.result); };
      t.onerror = function () { reject(t.error); };
    });
  }
  function getKey(id) { return tx("readonly", function (s) { return s.get(id); }); }

  // keyID is hex(SHA-256(raw public key)[0:8]), as in ledger/doc.go.
  async function keyID(raw) { return hex(await crypto.subtle.digest("SHA-256", raw)).slice(0, 16); }

  async function generate(form) {
    var out = form.querySelector(".keygen-result");
    try {
      var pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
      var raw = await crypto.subtle.exportKey("raw", pair.publicKey);
      var id = await keyID(raw);
      await tx("readwrite", function (s) {
        return s.put({ keyId: id, privateKey: pair.privateKey, publicKey: pair.publicKey, created: new Date().toISOString() });
      });
      form.querySelector("textarea[name=public_key]").value = b64(raw);
      out.textContent = form.dataset.generated + " " + id;
    } catch (err) {
      out.textContent = form.dataset.unsupported + " (" + err.message + ")";
    }
  }

  async function sign(box) {
    var out = box.querySelector(".sign-result");
    var keyId = box.querySelector(".sign-key").value;
    var mandate = box.querySelector(".sign-mandate");
    try {
      var rec = await getKey(keyId);
      if (!rec) { out.textContent = box.dataset.missing; return; }
      out.textContent = box.dataset.signing;
      var d = box.dataset;
      var q = new URLSearchParams({ version: d.version, party: d.party, role: d.role, stage: d.stage, key_id: keyId });
      var resp = await fetch("/api/v1/agreements/" + d.agreement + "/signing-content?" + q, { credentials: "same-origin" });
      var body = await resp.json();
      if (!resp.ok) throw new Error(body.detail || resp.status);
      var sig = await crypto.subtle.sign({ name: "Ed25519" }, rec.privateKey, unb64(body.data.canonical));
      resp = await fetch("/api/v1/agreements/" + d.agreement + "/signatures", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": d.csrf },
        body: JSON.stringify({ version: Number(d.version), stage: d.stage, party: d.party, role: d.role, key_id: keyId,
          signature: b64(sig), mandate_sha256: mandate ? mandate.value : "" })
      });
      if (!resp.ok) throw new Error((await resp.json()).detail || resp.status);
      out.textContent = d.done;
      location.href = "/kerjasama/" + d.agreement;
    } catch (err) {
      out.textContent = err.message;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.crypto || !crypto.subtle || !window.indexedDB) return;
    var form = document.querySelector("form.key-form");
    if (form) {
      var gen = form.querySelector(".browser-keygen");
      gen.hidden = false;
      gen.querySelector("button").addEventListener("click", function () { generate(form); });
    }
    document.querySelectorAll("tr[data-key-id]").forEach(async function (row) {
      if (await getKey(row.dataset.keyId)) row.querySelector(".key-here").textContent = "✓";
    });
    var box = document.querySelector(".browser-sign");
    if (box) {
      box.hidden = false;
      box.querySelector(".sign-button").addEventListener("click", function () { sign(box); });
    }
  });
})();
