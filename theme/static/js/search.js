// Archive search (Pagefind). An enhancement only: without JavaScript, or before `invoke build` has indexed the
// site, the search page still offers the year archive and the category pages, and this script does nothing.
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search-box");
  var element = document.getElementById("search");
  if (!box || !element || typeof PagefindUI === "undefined") {
    return;
  }
  // Absolute paths from the site's root, so results link correctly wherever the site is served (e.g. /newsroom/).
  var root = new URL(element.getAttribute("data-site"), window.location.href).pathname.replace(/\/?$/, "/");
  box.hidden = false;
  var query = new URLSearchParams(window.location.search).get("q") || "";
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: root + "pagefind/",
    baseUrl: root,
    showSubResults: false,
    showImages: false,
    autofocus: false,
    translations: { placeholder: element.getAttribute("data-placeholder") || "e.g. dividend, Kessler Ridge" },
  });
  // /search/?q=dividend fills the box and searches: a search can be linked to and bookmarked.
  if (query) {
    ui.triggerSearch(query);
  }
  // Pagefind's box has no label of its own: name it with the visible text above it.
  var input = element.querySelector("input");
  if (input) {
    input.id = "search-input";
    input.setAttribute("aria-labelledby", "search-label");
    input.setAttribute("name", "q");
    // The address follows the words typed, so the back button and a copied link come back to these results.
    input.addEventListener("input", function () {
      var url = new URL(window.location.href);
      if (input.value) {
        url.searchParams.set("q", input.value);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url);
    });
  }
});
