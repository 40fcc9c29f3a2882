// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Filters submit as the visitor types or picks, after a short pause.
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    var timer;
    var submit = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { el.form.requestSubmit(); }, el.tagName === "SELECT" ? 0 : 350);
    };
    el.addEventListener(el.tagName === "SELECT" ? "change" : "input", submit);
  });
  // Keep focus in the search box after an auto-submitted reload.
  var q = document.querySelector("input[type=search][data-autosubmit]");
  if (q && q.value && sessionStorage.getItem("refocus") === location.pathname) {
    q.focus();
    q.setSelectionRange(q.value.length, q.value.length);
  }
  if (q) q.form.addEventListener("submit", function () { sessionStorage.setItem("refocus", location.pathname); });
});
