// Tag picker enhancement (templates/macros/tags.html). Without this file the picker is a
// plain list of checkboxes; with it, a search box suggests tags (htmx) and a suggestion
// ticks its checkbox.
(function () {
  "use strict";

  function reveal(root) {
    root.querySelectorAll(".tag-search[hidden]").forEach(function (box) { box.hidden = false; });
  }

  function pick(button) {
    var picker = button.closest(".tag-picker");
    if (!picker) { return; }
    var value = button.getAttribute("data-tag");
    var box = picker.querySelector('.tag-options input[value="' + CSS.escape(value) + '"]');
    var status = picker.querySelector("[data-tag-status]");
    var search = picker.querySelector(".tag-search input");
    if (box) { box.checked = true; }
    if (status) { status.textContent = button.textContent + " ticked."; }
    picker.querySelector(".tag-suggestions-box").replaceChildren();
    if (search) { search.value = ""; search.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:afterSettle", function (event) { reveal(event.target); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".tag-suggestion");
    if (button) { event.preventDefault(); pick(button); }
  });

  // Enter in a search box picks the first suggestion instead of submitting the whole form.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches(".tag-search input")) { return; }
    event.preventDefault();
    var picker = event.target.closest(".tag-picker");
    var first = picker && picker.querySelector(".tag-suggestion");
    if (first) { pick(first); }
  });
})();
