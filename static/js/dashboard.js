// Progressive enhancement for the dashboard; every form works without this file.
(function () {
  "use strict";
})();
