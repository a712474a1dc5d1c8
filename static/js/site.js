// Small progressive enhancements; the site works without this file.
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr ? event.detail.xhr.status : 0;
  var box = document.querySelector(".flashes") || document.createElement("div");
  box.className = "flashes";
  box.setAttribute("role", "alert");
  box.textContent = status === 429 ? "Too many attempts: please wait a minute."
    : status === 403 || status === 404 ? "That action is not available."
    : "Something went wrong; please reload the page and try again.";
  var main = document.getElementById("main");
  if (main && !box.parentNode) { main.prepend(box); }
});
