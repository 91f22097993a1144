// Documents past the first hundred, in pages, and a long index are stored as inert text (a
// script block of another type, which the browser skips without building elements) and
// become markup when opened, so a report of ten thousand documents opens about as fast as a
// short one.
(function () {
  "use strict";
  function materialise(details) {
    var stored = details.querySelector(':scope > script[type="text/x-textpipe-stored"]');
    if (!stored) return;
    stored.insertAdjacentHTML("beforebegin", stored.textContent);
    var note = details.querySelector(":scope > .deferred-note");
    if (note) note.remove();
    stored.remove();
  }
  // `toggle` does not bubble, so listen while it is captured on its way down.
  document.addEventListener("toggle", function (event) {
    if (event.target.open) materialise(event.target);
  }, true);
  // A link to `#doc-N` may point into a stored page: build that page first.
  function openLinkedDocument() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    var number = /^doc-(\d+)$/.exec(id);
    var main = document.querySelector("main.documents");
    if (!target && number && main) {
      var live = Number(main.dataset.live), size = Number(main.dataset.pageSize);
      var page = document.getElementById("page-" + Math.ceil((Number(number[1]) - live) / size));
      if (page) {
        materialise(page);
        page.open = true;
        target = document.getElementById(id);
      }
    }
    if (!target) return;
    if (target.tagName === "DETAILS") target.open = true;
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", openLinkedDocument);
  document.addEventListener("DOMContentLoaded", openLinkedDocument);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.doc, details.removed").forEach(function (details) {
      details.open = true;
    });
  });
})();
