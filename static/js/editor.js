// The essay editor, enhanced: formatting toolbar, live preview and word count, autosave to the server,
// and a copy in this browser so nothing typed is lost to a dropped connection or an expired login.
// Without this file the form still saves with its two buttons.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  if (!form || !window.fetch) { return; }
  var body = form.querySelector("#body");
  var title = form.querySelector("#title");
  // Categories and tags are typed text too: kept, saved and warned about like the title.
  var terms = { categories: form.querySelector("#categories"), tags: form.querySelector("#tags") };
  var versionInput = form.querySelector("input[name=version]");
  // This page's own name, sent with every save: a save whose answer was lost is not a conflict on retry.
  var editorInput = form.querySelector("input[name=editor]");
  editorInput.value = pageName();
  var csrf = form.querySelector("input[name=csrf_token]");
  var statusLine = document.getElementById("save-status");
  var notice = document.getElementById("local-copy-notice");
  var counter = document.getElementById("word-count");
  var preview = document.getElementById("preview");
  var data = form.dataset;
  var minWords = parseInt(data.minWords, 10) || 0;
  var storageKey = data.storageKey;
  var autosaveUrl = data.autosaveUrl;
  var SAVE_EVERY_MS = 5000;
  var RETRY_MS = 15000;
  var LOGOUT_WAIT_MS = 8000;

  var state = { dirty: false, saving: null, blocked: false, lastSent: null, retryTimer: null };

  // ---- small helpers -------------------------------------------------------------------------------------
  function text() {
    var typed = { title: title.value, body: body.value };
    Object.keys(terms).forEach(function (name) { if (terms[name]) { typed[name] = terms[name].value; } });
    return typed;
  }
  function pageName() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  // A copy made before categories and tags were kept has none: it says nothing about them.
  function sameTerms(a, b) {
    return Object.keys(terms).every(function (name) {
      return a[name] === undefined || b[name] === undefined || a[name] === b[name];
    });
  }
  function same(a, b) { return a && b && a.title === b.title && a.body === b.body && sameTerms(a, b); }
  function setStatus(message, kind) {
    statusLine.textContent = message;
    statusLine.className = "save-status" + (kind ? " save-status--" + kind : "");
  }
  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content) { node.textContent = content; }
    return node;
  }
  function showNotice(parts) {
    notice.textContent = "";
    parts.forEach(function (part) { notice.appendChild(part); });
    notice.hidden = false;
  }
  function hideNotice() { notice.hidden = true; notice.textContent = ""; }

  // ---- the copy in this browser (keys start with "coursesite:<account id>:": see site.js) ------------------
  function readLocal(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function writeLocal(dirty) {
    try {
      var copy = text();
      copy.savedAt = Date.now();
      copy.baseVersion = parseInt(versionInput.value, 10) || 0;
      copy.dirty = dirty;
      copy.assignment = (form.querySelector("[name=assignment_id]") || {}).value || "0";
      window.localStorage.setItem(storageKey, JSON.stringify(copy));
    } catch (e) { /* private mode or full storage: the server copy still works */ }
  }
  function dropLocal(key) { try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  function offerLocalCopy() {
    var copy = readLocal(storageKey);
    if (!copy || !copy.dirty) { return; }
    if (same(copy, text())) { writeLocal(false); return; }
    var serverVersion = parseInt(versionInput.value, 10) || 0;
    var serverSaved = parseInt(data.serverSaved, 10) || 0;
    var when = new Date(copy.savedAt).toLocaleString();
    var newer = copy.baseVersion >= serverVersion && copy.savedAt > serverSaved;
    if (newer) {
      var saved = text();
      restore(copy);
      var undo = element("button", "button--secondary", "Show the server’s version instead");
      undo.type = "button";
      undo.addEventListener("click", function () { restore(saved); state.dirty = false; writeLocal(false); hideNotice(); });
      showNotice([element("p", "", "Restored text from this browser (" + when + ") that had not reached the server. " +
        "It is being saved now."), undo]);
      markDirty();
      saveSoon(500);
    } else {
      var use = element("button", "button--secondary", "Use the text from this browser");
      use.type = "button";
      use.addEventListener("click", function () { restore(copy); hideNotice(); markDirty(); saveSoon(200); });
      var discard = element("button", "link-button", "Discard it");
      discard.type = "button";
      discard.addEventListener("click", function () { writeLocal(false); hideNotice(); });
      showNotice([element("p", "", "This browser kept different text for this essay (" + when + "), older than the " +
        "version saved on the server, which is shown below."), use, document.createTextNode(" "), discard]);
    }
  }
  function restore(copy) {
    title.value = copy.title || "";
    body.value = copy.body || "";
    Object.keys(terms).forEach(function (name) {
      if (terms[name] && copy[name] !== undefined) { terms[name].value = copy[name]; }
    });
    refreshCount();
    previewSoon(0);
  }

  // ---- word count and preview ------------------------------------------------------------------------------
  function showCount(words) {
    var line = words + (minWords ? " / " + minWords : "") + " words";
    if (minWords) {
      line += words >= minWords ? " · minimum reached" : " · " + (minWords - words) + " more to reach the minimum";
    }
    counter.textContent = line;
    counter.classList.toggle("word-count--short", minWords > 0 && words < minWords);
    counter.classList.toggle("word-count--ok", minWords > 0 && words >= minWords);
  }
  function refreshCount() { showCount(window.CoursesiteWords.countMarkdown(body.value)); }

  var previewTimer = null;
  function previewSoon(delay) {
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(renderPreview, delay === undefined ? 700 : delay);
  }
  function renderPreview() {
    postJSON(data.previewUrl, { body: body.value }).then(function (reply) {
      if (!reply.ok) { return; }
      // Sanitized on the server by the same pipeline that renders the published essay.
      preview.innerHTML = reply.json.html || "<p class=\"muted\">Nothing to preview yet.</p>";
      showCount(reply.json.word_count);
    }).catch(function () { /* offline: the local count stays */ });
  }

  // ---- talking to the server --------------------------------------------------------------------------------
  function postJSON(url, payload, extra) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: extra && extra.keepalive,
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf.value },
      body: JSON.stringify(payload)
    }).then(readReply);
  }
  function postForm(url) {
    var fields = new FormData(form);
    fields.set("action", "autosave");
    return fetch(url, { method: "POST", credentials: "same-origin", headers: { "Accept": "application/json" }, body: fields })
      .then(readReply);
  }
  function readReply(response) {
    var isJSON = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    // A login page instead of JSON means the session ended on the way.
    if (!isJSON) { return { ok: false, status: response.redirected ? 401 : response.status, json: {} }; }
    return response.json().then(function (json) { return { ok: response.ok, status: response.status, json: json }; });
  }

  function markDirty() {
    state.dirty = true;
    writeLocal(true);
  }

  // The server's rule (essays/writing.worth_a_draft): no "Untitled draft" from a few stray words.
  function worthADraft(typed) {
    return typed.title.trim() !== "" ||
      window.CoursesiteWords.countMarkdown(typed.body) >= (parseInt(data.draftMinWords, 10) || 0);
  }

  var saveTimer = null;
  function saveSoon(delay) {
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(save, delay);
  }

  function save(options) {
    if (state.saving) { return state.saving; }
    if (!state.dirty || state.blocked) { return Promise.resolve(); }
    if (state.needsToken) {
      state.saving = refreshToken().then(function (fresh) {
        state.saving = null;
        if (fresh) { return save(options); }
        retryLater();
      });
      return state.saving;
    }
    var sent = text();
    if (!autosaveUrl && !worthADraft(sent)) {
      setStatus("Kept in this browser. A new essay is saved to your drafts once it has a title or " +
        data.draftMinWords + " words.");
      return Promise.resolve();
    }
    setStatus("Saving…");
    var request = autosaveUrl
      ? postJSON(autosaveUrl, { title: sent.title, body: sent.body, categories: sent.categories, tags: sent.tags,
        version: parseInt(versionInput.value, 10) || 0, editor: editorInput.value }, options)
      : postForm(data.newUrl);
    state.saving = request.then(function (reply) { handleReply(reply, sent); }, function () {
      setStatus("Offline: not saved to the server yet. Your text is kept in this browser and is saved as soon as " +
        "the connection returns.", "pending");
      retryLater();
    }).then(function () { state.saving = null; });
    return state.saving;
  }

  // A save on its way may carry older text than the page now holds: then one more.
  function saveEverything() {
    return Promise.resolve(save()).then(function () { return state.dirty ? save() : undefined; });
  }

  function retryLater() {
    window.clearTimeout(state.retryTimer);
    state.retryTimer = window.setTimeout(function () { save(); }, RETRY_MS);
  }

  // After a new login (in another tab), this page's CSRF token belongs to the old session: read a fresh one
  // from the editor page. A login page in reply means the writer has not logged in yet.
  function refreshToken() {
    // getAttribute: the buttons named "action" shadow the form's own .action property.
    return fetch(form.getAttribute("action"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var token = page.querySelector("#editor-form input[name=csrf_token]");
        if (!token) { return false; }
        csrf.value = token.value;
        state.needsToken = false;
        hideNotice();
        return true;
      }, function () { return false; });
  }

  function handleReply(reply, sent) {
    var json = reply.json || {};
    if (reply.ok) {
      versionInput.value = json.version;
      if (!autosaveUrl) { becameSaved(json); }
      if (same(sent, text())) { state.dirty = false; }
      writeLocal(state.dirty);
      setStatus(json.saved_text || "Saved", "ok");
      // Typed while this save was on its way (a blur then found it in flight): save that too, soon.
      if (state.dirty) { saveSoon(SAVE_EVERY_MS); }
      return;
    }
    if (reply.status === 401 || reply.status === 400) {
      // Logged out, or the session that issued this page's token ended: ask to log in again, and keep
      // trying to pick up a fresh token so saving resumes by itself once the writer has logged in.
      var login = element("a", "", "Log in again (opens a new tab)");
      login.href = data.loginUrl;
      login.target = "_blank";
      login.rel = "noopener";
      showNotice([element("p", "", "Your login has ended or changed, so this was not saved to the server. Your " +
        "text is kept in this browser. Log in again in another tab: saving resumes here by itself."), login]);
      setStatus("Not saved: logged out. Your text is kept in this browser.", "pending");
      state.needsToken = true;
      retryLater();
    } else if (reply.status === 409) {
      state.blocked = true;
      showConflict(json);
    } else if (reply.status === 404) {
      state.blocked = true;
      setStatus("This essay can no longer be saved here (it may have been moved to the trash). Your text is kept " +
        "in this browser.", "error");
    } else {
      setStatus((json.message || "Not saved (error " + reply.status + ").") + " Your text is kept in this browser.",
        "error");
      retryLater();
    }
  }

  function becameSaved(json) {
    var oldKey = storageKey;
    autosaveUrl = json.autosave_url;
    storageKey = json.storage_key;
    form.setAttribute("action", json.edit_url);
    dropLocal(oldKey);
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", json.edit_url); }
  }

  function showConflict(json) {
    var other = json.current || {};
    var details = element("details");
    details.appendChild(element("summary", "", "The other version: “" + (other.title || "") + "”"));
    details.appendChild(element("pre", "conflict__text", other.body || ""));
    var keep = element("button", "", "Keep my text (save it over the other version)");
    keep.type = "button";
    keep.addEventListener("click", function () {
      versionInput.value = other.version;
      state.blocked = false;
      hideNotice();
      markDirty();
      save();
    });
    var load = element("button", "button--secondary", "Load the other version");
    load.type = "button";
    load.addEventListener("click", function () {
      if (!window.confirm("Replace the text in this editor with the other version? Your text here stays in the " +
        "notice until you reload.")) { return; }
      versionInput.value = other.version;
      restore(other);
      state.blocked = false;
      state.dirty = false;
      writeLocal(false);
    });
    showNotice([element("p", "", json.message || "This essay changed in another tab or window."), details, keep,
      document.createTextNode(" "), load]);
    setStatus("Not saved: the essay changed elsewhere. Choose which text to keep.", "error");
  }

  // ---- the toolbar --------------------------------------------------------------------------------------------
  function replaceSelection(before, after, placeholder) {
    var start = body.selectionStart, end = body.selectionEnd;
    var chosen = body.value.slice(start, end) || placeholder;
    insert(before + chosen + after, start, end);
    body.setSelectionRange(start + before.length, start + before.length + chosen.length);
  }
  function insert(snippet, start, end) {
    body.focus();
    body.setSelectionRange(start, end);
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    if (!document.execCommand || !document.execCommand("insertText", false, snippet)) {
      body.setRangeText(snippet, start, end, "end");
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
  function prefixLines(prefix) {
    var value = body.value;
    var start = value.lastIndexOf("\n", body.selectionStart - 1) + 1;
    var end = value.indexOf("\n", body.selectionEnd);
    if (end === -1) { end = value.length; }
    var lines = value.slice(start, end).split("\n").map(function (line) { return prefix + line; });
    insert(lines.join("\n"), start, end);
  }
  var formats = {
    bold: function () { replaceSelection("**", "**", "bold text"); },
    italic: function () { replaceSelection("*", "*", "italic text"); },
    link: function () {
      var start = body.selectionStart, end = body.selectionEnd;
      var label = body.value.slice(start, end) || "link text";
      insert("[" + label + "](https://)", start, end);
      var urlStart = start + label.length + 3;
      body.setSelectionRange(urlStart, urlStart + 8);
    },
    heading: function () { prefixLines("## "); },
    quote: function () { prefixLines("> "); },
    list: function () { prefixLines("- "); },
    image: function () { document.getElementById("toolbar-image").click(); }
  };

  function setUpToolbar() {
    var toolbar = form.querySelector(".toolbar");
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    toolbar.hidden = false;
    // One tab stop for the whole toolbar; arrow keys move between its buttons (the ARIA toolbar pattern).
    buttons.forEach(function (button, index) {
      button.tabIndex = index === 0 ? 0 : -1;
      button.addEventListener("click", function () { formats[button.dataset.format](); });
    });
    toolbar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) { return; }
      var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: buttons.length - 1 }[event.key];
      if (next === undefined) { return; }
      event.preventDefault();
      next = (next + buttons.length) % buttons.length;
      buttons[index].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });
    body.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) { return; }
      var key = event.key.toLowerCase();
      if (key === "b" || key === "i") {
        event.preventDefault();
        formats[key === "b" ? "bold" : "italic"]();
      }
    });
    document.getElementById("toolbar-image").addEventListener("change", uploadImage);
  }

  function uploadImage(event) {
    var file = event.target.files[0];
    event.target.value = "";
    if (!file) { return; }
    var fields = new FormData();
    fields.append("image", file);
    fields.append("alt", "");
    setStatus("Uploading " + file.name + "…");
    fetch(data.uploadUrl, {
      method: "POST", credentials: "same-origin", body: fields,
      headers: { "Accept": "application/json", "X-CSRFToken": csrf.value }
    }).then(readReply).then(function (reply) {
      if (!reply.ok) {
        setStatus(reply.json.message || (reply.status === 401 ? "Log in again to upload pictures." : "The picture was not uploaded."), "error");
        return;
      }
      var start = body.selectionStart;
      var described = data.undescribedPicture;
      insert("\n\n![" + described + "](" + reply.json.url + ")\n\n", start, body.selectionEnd);
      body.setSelectionRange(start + 4, start + 4 + described.length);
      setStatus("Picture added. Replace “" + described + "” with a short description.", "ok");
    }, function () { setStatus("Offline: the picture was not uploaded. Try again when connected.", "pending"); });
  }

  // ---- wiring ---------------------------------------------------------------------------------------------------
  var localTimer = null;
  function onTyping() {
    state.dirty = true;
    window.clearTimeout(localTimer);
    localTimer = window.setTimeout(function () { writeLocal(true); }, 300);
    refreshCount();
    previewSoon();
    if (!saveTimer || state.saving === null) { saveSoon(SAVE_EVERY_MS); }
  }

  // A press on Save draft or Publish blurs the essay box, whose save rewrites the status line under the buttons.
  // Were the bar to change height then, the button would leave the finger and the press would be lost: the bar
  // keeps its height until the press is over (its click comes before the timer).
  function holdButtonsStill() {
    var actions = form.querySelector(".editor__actions");
    function release() { window.setTimeout(function () { actions.style.height = ""; }, 0); }
    actions.addEventListener("pointerdown", function () { actions.style.height = actions.offsetHeight + "px"; });
    document.addEventListener("pointerup", release);
    document.addEventListener("pointercancel", release);
  }

  setUpToolbar();
  holdButtonsStill();
  document.querySelector(".editor__preview").hidden = false;
  form.classList.add("editor--enhanced");
  [title, body, terms.categories, terms.tags].filter(Boolean).forEach(function (field) {
    field.addEventListener("input", onTyping);
    field.addEventListener("blur", function () { if (state.dirty) { writeLocal(true); save(); } });
  });
  // Going in to write, the count under the box comes into sight: on a phone the buttons held at the foot of the
  // screen could cover it (the page's scroll-padding keeps clear of them). After the click has placed the caret;
  // not when a toolbar button hands the focus back, which would move the toolbar from under the finger.
  body.addEventListener("focus", function (event) {
    if (event.relatedTarget && event.relatedTarget.closest(".toolbar")) { return; }
    window.setTimeout(function () { counter.scrollIntoView({ block: "nearest" }); }, 0);
  });
  // Choosing the assignment sets the minimum the counter measures against (each option carries its own).
  var assignmentSelect = form.querySelector("select[name=assignment_id]");
  if (assignmentSelect) {
    assignmentSelect.addEventListener("change", function () {
      var chosen = assignmentSelect.options[assignmentSelect.selectedIndex];
      minWords = parseInt(chosen && chosen.getAttribute("data-min-words"), 10) || 0;
      refreshCount();
    });
  }
  window.addEventListener("online", function () { setStatus("Back online: saving…"); save(); });
  window.addEventListener("offline", function () {
    setStatus("Offline: your text is kept in this browser and is saved when the connection returns.", "pending");
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && state.dirty) { writeLocal(true); save({ keepalive: true }); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (state.dirty && !state.submitting) { writeLocal(true); event.preventDefault(); event.returnValue = ""; }
  });
  // Log out from here: the logout ends the login a save needs and forgets this browser's copy, so what is typed
  // and not yet on the server (a save on its way, or the last seconds of typing) is saved first. Saved, the page
  // goes without asking; not saved (offline, a new essay too short to be a draft), "Leave site?" still asks.
  var logout = document.querySelector("form[data-clears-drafts]");
  if (logout) {
    logout.addEventListener("submit", function (event) {
      if (state.leaving || !(state.dirty || state.saving)) { return; }
      event.preventDefault();
      if (state.loggingOut) { return; }  // a second press while the first one's save is on its way
      state.loggingOut = true;
      window.clearTimeout(saveTimer);
      setStatus("Saving before you log out…");
      var submitter = event.submitter;
      var giveUp = new Promise(function (resolve) { window.setTimeout(resolve, LOGOUT_WAIT_MS); });
      Promise.race([saveEverything(), giveUp]).then(function () {
        state.loggingOut = false;
        state.leaving = true;  // the submit event of requestSubmit comes at once, before the page goes
        logout.requestSubmit(submitter);
        state.leaving = false;
      });
    });
  }
  form.addEventListener("submit", function (event) {
    if (!navigator.onLine) {
      event.preventDefault();
      setStatus("You are offline, so this cannot be sent now. Your text is kept in this browser; press the button " +
        "again when connected.", "pending");
      return;
    }
    writeLocal(true);
    if (state.needsToken) {
      event.preventDefault();
      setStatus("Log in again first (the link is above); your text is kept in this browser.", "pending");
      return;
    }
    if (state.saving) {
      // Let the autosave in flight finish first, so the form carries the version it produced.
      event.preventDefault();
      var submitter = event.submitter;
      state.saving.then(function () { state.submitting = true; form.requestSubmit(submitter); });
      return;
    }
    state.submitting = true;
    window.clearTimeout(saveTimer);
  });
  window.setInterval(function () { if (state.dirty && !state.saving) { save(); } }, SAVE_EVERY_MS * 2);
  offerLocalCopy();
  refreshCount();
  if (body.value.trim()) { previewSoon(0); }
})();
