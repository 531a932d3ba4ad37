// The search page: Pagefind's UI over the index that `newsgen build` wrote into pagefind/.
// Result links are made relative to this site's root, so the site works under any path on any static server.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") {
    if (box) {
      box.insertAdjacentHTML("beforeend", "<p>The search index is missing: this site was built without Pagefind.</p>");
    }
    return;
  }
  var root = new URL(box.getAttribute("data-site-root"), window.location.href).pathname.replace(/index\.html$/, "");
  var ui = new PagefindUI({ element: "#search", baseUrl: root, showSubResults: false, showImages: false, resetStyles: false });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
