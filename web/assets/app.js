// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Long texts show how much of their limit is used; maxlength alone
  // already keeps them within it.
  var fmt = new Intl.NumberFormat(document.documentElement.lang || "id");
  document.querySelectorAll("textarea[maxlength]").forEach(function (el) {
    var max = el.maxLength;
    var out = document.createElement("span");
    out.className = "counter";
    out.setAttribute("aria-live", "polite");
    var show = function () {
      out.textContent = fmt.format(el.value.length) + " / " + fmt.format(max);
      out.classList.toggle("near", el.value.length > max * 0.9);
    };
    el.insertAdjacentElement("afterend", out);
    el.addEventListener("input", show);
    show();
  });
  // Region filters submit as the visitor types or picks, after a pause.
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    var timer;
    var submit = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { el.form.requestSubmit(); }, el.tagName === "SELECT" ? 0 : 350);
    };
    el.addEventListener(el.tagName === "SELECT" ? "change" : "input", submit);
  });
  var q = document.querySelector("input[type=search][data-autosubmit]");
  if (q && q.value && sessionStorage.getItem("refocus") === location.pathname) {
    q.focus();
    q.setSelectionRange(q.value.length, q.value.length);
  }
  if (q) q.form.addEventListener("submit", function () { sessionStorage.setItem("refocus", location.pathname); });

  // The catalog searches as the visitor types: it asks the same page for
  // its results only and swaps them in, keeping the URL shareable.
  // Wide tables (four or more columns, or fewer that do not fit) become one
  // card per row on phones: each cell is labelled
  // with its column's heading (CSS does the layout). Without this script
  // the same tables scroll sideways instead.
  document.querySelectorAll("table.list").forEach(function (t) {
    var heads = Array.from(t.querySelectorAll("thead th")).map(function (th) { return th.textContent.trim(); });
    // Narrower tables stack too when they do not fit the screen.
    if (heads.length < 4 && t.scrollWidth <= t.clientWidth + 1) return;
    t.classList.add("stackable");
    t.querySelectorAll("tbody tr").forEach(function (tr) {
      var col = 0;
      Array.from(tr.children).forEach(function (td) {
        if (heads[col]) td.setAttribute("data-label", heads[col]);
        col += td.colSpan || 1;
      });
    });
  });

  // The catalog's filters fold behind a button on narrow screens; wide
  // screens open them, and a refresh keeps them as the visitor left them.
  var wide = window.matchMedia("(min-width: 50rem)");
  var filtersOpen = function () {
    var d = document.querySelector("details.facet-toggle");
    return d ? d.open : false;
  };
  var openFilters = function (open) {
    var d = document.querySelector("details.facet-toggle");
    if (d && open) d.open = true;
  };
  openFilters(wide.matches);
  var form = document.querySelector("form[data-live-search]");
  if (form) {
    var live = document.getElementById("live");
    var pending, timer;
    var refresh = function (typing) {
      var params = new URLSearchParams(new FormData(form));
      for (var [k, v] of Array.from(params.entries())) { if (v === "") params.delete(k); }
      history.replaceState(null, "", form.action + (params.toString() ? "?" + params : ""));
      if (typing) params.set("ketik", "1");
      params.set("bagian", "hasil");
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(form.action + "?" + params, { signal: pending.signal, headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var open = filtersOpen();
          live.innerHTML = html;
          openFilters(open);
        })
        .catch(function () {});
    };
    form.querySelector("input[name=q]").addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { refresh(true); }, 150);
    });
    form.addEventListener("change", function (e) {
      if (e.target.name !== "q") refresh(false);
    });
  }
});
