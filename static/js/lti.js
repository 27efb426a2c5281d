// LTI pages: the cookie check before an LMS sign-in, and the deep-linking answer sent back to the LMS.
(function () {
  "use strict";

  function cookiesKept() {
    var secure = location.protocol === "https:" ? "; SameSite=None; Secure" : "";
    document.cookie = "lti_cookie_check=1; path=/" + secure;
    var kept = document.cookie.indexOf("lti_cookie_check=1") !== -1;
    document.cookie = "lti_cookie_check=; path=/; max-age=0" + secure;
    return kept;
  }

  var check = document.querySelector("[data-lti-cookie-check]");
  if (check) {
    if (cookiesKept()) {
      location.replace(check.getAttribute("data-onward"));
    } else {
      check.querySelector("[data-lti-blocked]").hidden = false;
    }
  }

  var answer = document.querySelector("form[data-lti-auto-submit]");
  if (answer) {
    answer.submit();
  }
})();
