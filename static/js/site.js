// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Shared lab computers: copies of unsent text kept in this browser ("coursesite:<account id>:…") belong to
  // one person. Logging out forgets them all; any page of someone else's login forgets the other accounts'.
  function forget(keep) {
    try {
      Object.keys(window.localStorage)
        .filter(function (key) { return key.indexOf("coursesite:") === 0 && !(keep && key.indexOf(keep) === 0); })
        .forEach(function (key) { window.localStorage.removeItem(key); });
    } catch (e) { /* storage unavailable: nothing to clear */ }
  }
  var logout = document.querySelector("[data-clears-drafts][data-account]");
  if (logout) { forget("coursesite:" + logout.getAttribute("data-account") + ":"); }
  document.addEventListener("submit", function (event) {
    if (event.target.matches("[data-clears-drafts]")) { forget(null); }
  });
})();
