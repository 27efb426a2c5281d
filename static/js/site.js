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
    // Held back (the essay editor saves first, then logs out): the copies are forgotten when it goes.
    if (event.target.matches("[data-clears-drafts]") && !event.defaultPrevented) { forget(null); }
  });

  // A field refused for being empty (data-refused-empty names its message): once it holds a value, the message
  // and the invalid state go, and come back if it is emptied again. The server checks again when it is sent.
  document.addEventListener("input", function (event) {
    var control = event.target;
    var messageId = control.getAttribute && control.getAttribute("data-refused-empty");
    var message = messageId && document.getElementById(messageId);
    if (!message) { return; }
    var filled = control.value.trim() !== "";
    var described = (control.getAttribute("aria-describedby") || "").split(/\s+/)
      .filter(function (id) { return id && id !== messageId; });
    if (!filled) { described.push(messageId); }
    message.hidden = filled;
    if (filled) { control.removeAttribute("aria-invalid"); } else { control.setAttribute("aria-invalid", "true"); }
    if (described.length) {
      control.setAttribute("aria-describedby", described.join(" "));
    } else {
      control.removeAttribute("aria-describedby");
    }
    var field = control.closest(".field");
    if (field) { field.classList.toggle("field--error", !filled); }
    // "Please correct the fields marked below" goes with the last field marked.
    var summary = control.form && control.form.querySelector("[data-fields-marked]");
    if (summary) { summary.hidden = !control.form.querySelector(".field--error"); }
  });

  // A form refused by the server: its summary takes the focus, so the page opens where the refusal is said
  // (a screen reader reads it; on a phone it may be screens below the top).
  var summary = document.querySelector("[data-error-summary]");
  if (summary && !summary.hidden) { summary.focus(); }

  // A form marked data-warn-unsaved: leaving the page with changes typed in it and not sent asks first. On the
  // account page, a name typed in the profile would otherwise be lost to the password form sent beside it.
  // data-unsaved: what the form shows was refused, so it is not saved even before anything is typed.
  var sending = null;
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) { sending = event.target; }
  });
  function changed(form) {
    if (form.hasAttribute("data-unsaved")) { return true; }
    return Array.prototype.some.call(form.elements, function (control) {
      if (control.type === "checkbox" || control.type === "radio") { return control.checked !== control.defaultChecked; }
      if (control.tagName === "SELECT") {
        return Array.prototype.some.call(control.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      return control.type !== "hidden" && "defaultValue" in control && control.value !== control.defaultValue;
    });
  }
  window.addEventListener("beforeunload", function (event) {
    var forms = document.querySelectorAll("form[data-warn-unsaved]");
    if (Array.prototype.some.call(forms, function (form) { return form !== sending && changed(form); })) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
