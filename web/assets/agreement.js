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
