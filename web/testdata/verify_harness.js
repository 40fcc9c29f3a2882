// Runs web/assets/verify.js under Node.js (whose WebCrypto is the browser
// API) against a bundle and a log key, with just enough of a page around
// it, and prints the verdict the page would show. Used by
// TestBrowserVerificationScript.
"use strict";
const fs = require("fs");
const [script, bundleFile, keyFile] = process.argv.slice(2);
const bundle = fs.readFileSync(bundleFile, "utf8");
const key = fs.readFileSync(keyFile, "utf8");
let onLoad;
const out = { dataset: { checking: "checking", ok: "OK", fail: "FAIL", incomplete: "INCOMPLETE", sigOk: "browser ✓", sigBad: "browser ✗" }, textContent: "", className: "" };
const cells = [];
global.document = {
  addEventListener: (ev, f) => { onLoad = f; },
  getElementById: () => ({ dataset: { bundle: "bundle", key: "key" }, querySelector: () => out }),
  querySelector: (sel) => ({ append: (s) => cells.push(sel + s) }),
};
global.fetch = async (u) => ({ ok: true, text: async () => (u === "bundle" ? bundle : key) });
if (typeof atob === "undefined") global.atob = (s) => Buffer.from(s, "base64").toString("binary");
eval(fs.readFileSync(script, "utf8"));
onLoad().then(() => {
  console.log(out.textContent);
  cells.forEach((c) => console.log(c));
});
