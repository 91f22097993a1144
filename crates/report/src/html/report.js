// Documents after the first few hundred are stored as inert text (a script block of another
// type, which the browser skips without building elements) and become markup when opened,
// so a report of ten thousand documents opens about as fast as a short one.
(function () {
  "use strict";
  function materialise(details) {
    var stored = details.querySelector(':scope > script[type="text/x-textpipe-document"]');
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
  function openLinkedDocument() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  window.addEventListener("hashchange", openLinkedDocument);
  document.addEventListener("DOMContentLoaded", openLinkedDocument);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.doc, details.removed").forEach(function (details) {
      if (!details.querySelector(":scope > script")) details.open = true;
    });
  });
})();
