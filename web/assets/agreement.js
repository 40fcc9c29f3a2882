// Drafting form: shows whether DPRD approval is needed as the two questions
// are answered (the server derives the same on saving).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var out = document.querySelector(".dprd-result");
  if (!out) return;
  var form = out.closest("form");
  var update = function () {
    var burdens = form.querySelector("input[name=burdens_community]:checked");
    var budgeted = form.querySelector("input[name=budgeted_in_apbd]:checked");
    var needed = (burdens && burdens.value === "yes") || !(budgeted && budgeted.value === "yes");
    out.textContent = needed ? out.dataset.needed : out.dataset.notNeeded;
  };
  form.querySelectorAll("input[type=radio]").forEach(function (r) { r.addEventListener("change", update); });
});

// Drafting form, made quicker with a script (it works without one: the
// "add a row" and "refresh" buttons then post the form and it comes back):
// rows are added in place, the exchange and financing rows name the
// parties as they are typed, and catalog solutions of the parties are
// suggested from the search API as one types.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-agreement-form]");
  if (!form) return;
  var lang = document.documentElement.lang || "id";

  // Regions by name and by code, from the suggestions list.
  var codeOf = {}, nameOf = {};
  document.querySelectorAll("#regions option").forEach(function (o) {
    codeOf[o.value.toLowerCase()] = o.textContent;
    nameOf[o.textContent] = o.value;
  });
  var regionCode = function (text) {
    text = text.trim();
    if (/^\d\d(\.\d\d)?$/.test(text)) return text;
    return codeOf[text.toLowerCase()] || "";
  };

  // The parties typed so far: [row number, label].
  var parties = function () {
    var out = [];
    form.querySelectorAll("[data-rows=p] [data-row]").forEach(function (row) {
      var region = row.querySelector("input[name$=_region]");
      var third = row.querySelector("input[name$=_third]");
      var n = region.name.match(/^p(\d+)_/)[1];
      var text = region.value.trim();
      var label = nameOf[text] || text || third.value.trim();
      if (label) out.push([n, label]);
    });
    return out;
  };

  var fillParties = function () {
    var ps = parties();
    form.querySelectorAll("select[data-party-select]").forEach(function (sel) {
      var keep = sel.value;
      while (sel.options.length > 1) sel.remove(1);
      ps.forEach(function (p) { sel.add(new Option(p[1], p[0], false, p[0] === keep)); });
    });
    form.querySelectorAll("fieldset[data-party-checks]").forEach(function (fs) {
      var name = fs.dataset.partyChecks;
      var checked = {};
      fs.querySelectorAll("input[type=checkbox]").forEach(function (c) { if (c.checked) checked[c.value] = true; });
      fs.querySelectorAll("label.check, .muted").forEach(function (l) { l.remove(); });
      var err = fs.querySelector(".field-error");
      ps.forEach(function (p) {
        var label = document.createElement("label");
        label.className = "check";
        var box = document.createElement("input");
        box.type = "checkbox"; box.name = name; box.value = p[0]; box.checked = !!checked[p[0]];
        label.append(box, " " + p[1]);
        fs.insertBefore(label, err);
      });
    });
  };

  // One more blank row, numbered after the last.
  var addRow = function (section) {
    var rows = section.querySelectorAll("[data-row]");
    var last = rows[rows.length - 1];
    var row = last.cloneNode(true);
    var next = rows.length;
    row.querySelectorAll("[name]").forEach(function (el) {
      el.name = el.name.replace(/^([pwxf])\d+_/, "$1" + next + "_");
      if (el.type === "checkbox" || el.type === "radio") el.checked = false;
      else if (el.tagName === "SELECT") el.selectedIndex = 0;
      else el.value = "";
    });
    row.querySelectorAll("[data-party-checks]").forEach(function (fs) { fs.dataset.partyChecks = "x" + next + "_receivers"; });
    row.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
    var no = row.querySelector(".row-no");
    if (no) no.textContent = (next + 1) + ".";
    last.after(row);
    var first = row.querySelector("input:not([type=checkbox]), select");
    if (first) first.focus();
    fillParties();
  };
  form.querySelectorAll("button[data-add-row]").forEach(function (b) {
    b.addEventListener("click", function (e) {
      e.preventDefault();
      addRow(b.closest("[data-rows]"));
    });
  });
  // Names follow the parties as they are typed: no refresh needed.
  form.querySelectorAll("[data-refresh]").forEach(function (el) { el.hidden = true; });
  form.addEventListener("input", function (e) {
    if (e.target.closest("[data-rows=p]")) fillParties();
  });

  // Solutions of the parties, suggested as one types.
  var list = document.getElementById("solutions");
  var pending, timer;
  form.addEventListener("input", function (e) {
    if (!e.target.matches("input[data-solution]")) return;
    var q = e.target.value.trim();
    clearTimeout(timer);
    if (q.length < 2 || /^#?\d+$/.test(q)) return;
    timer = setTimeout(function () {
      var params = new URLSearchParams({ q: q, prefix: "true", lang: lang, "page[size]": "10" });
      var codes = [];
      form.querySelectorAll("[data-rows=p] input[name$=_region]").forEach(function (i) {
        var c = regionCode(i.value);
        if (c) codes.push(c);
      });
      if (codes.length) params.set("region", codes.join(","));
      if (pending) pending.abort();
      pending = new AbortController();
      fetch("/api/v1/solutions?" + params, { signal: pending.signal, headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (res) {
          if (!res) return;
          list.replaceChildren();
          res.data.forEach(function (s) {
            var name = (lang === "en" ? s.name.en || s.name.id : s.name.id || s.name.en);
            list.append(new Option((nameOf[s.region_code] || s.region_code) + " · #" + s.id, name));
          });
        })
        .catch(function () {});
    }, 200);
  });
});
