// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Shared lab computers: logging out forgets the browser-side copies of unsent text.
  document.addEventListener("submit", function (event) {
    if (event.target.matches("[data-clears-drafts]")) {
      try {
        Object.keys(window.localStorage)
          .filter(function (key) { return key.indexOf("coursesite:") === 0; })
          .forEach(function (key) { window.localStorage.removeItem(key); });
      } catch (e) { /* storage unavailable: nothing to clear */ }
    }
  });
})();
