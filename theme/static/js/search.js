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
  var query = new URLSearchParams(window.location.search).get("q") || "";
  var bundle = root + "pagefind/";
  // The index comes in pieces (pagefind/pieces.json lists them with their languages): the first piece that holds
  // this page's language is searched and the others that hold it are merged into it. A piece without the language
  // is left out, as Pagefind would otherwise search it in another language. No list (an older index): one bundle.
  fetch(bundle + "pieces.json", { cache: "no-cache" })
    .then(function (response) {
      return response.ok ? response.json() : { pieces: [{ path: "", languages: [] }] };
    })
    .catch(function () {
      return { pieces: [{ path: "", languages: [] }] };
    })
    .then(function (listed) {
      var language = (document.documentElement.lang || "").toLowerCase();
      var holding = listed.pieces.filter(function (piece) {
        return piece.languages.indexOf(language) >= 0 || piece.languages.indexOf(language.split("-")[0]) >= 0;
      });
      var paths = (holding.length ? holding : listed.pieces).map(function (piece) {
        return bundle + piece.path;
      });
      var ui = new PagefindUI({
        element: "#search",
        bundlePath: paths[0],
        mergeIndex: paths.slice(1).map(function (path) {
          return { bundlePath: path };
        }),
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
      labelTheBox();
      box.hidden = false;
    });
  // Pagefind's box has no label of its own: name it with the visible text above it.
  function labelTheBox() {
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
  }
});
