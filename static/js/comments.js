// Comment form enhancements; without JavaScript, Reply links go to ?replytocom=<id>#respond instead.
(function () {
  "use strict";

  // Counts words as text/words.py count_text_words does: URLs removed, each Han/Kana character one
  // word, other runs with a letter or digit one word. Uses the shared counter (static/js/words.js) when
  // the page has it.
  var CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var ADDRESS = /(?:https?:\/\/|www\.)\S+/gi;
  var WORD = new RegExp("[" + CJK + "]|[^\\s" + CJK + "]*[\\p{L}\\p{N}][^\\s" + CJK + "]*", "gu");

  function countWords(text) {
    var shared = window.Coursesite && window.Coursesite.countTextWords;
    if (typeof shared === "function") { return shared(text); }
    var matches = text.replace(ADDRESS, " ").match(WORD);
    return matches ? matches.length : 0;
  }

  function setUpCounter(textarea) {
    var out = document.getElementById("comment-words");
    if (!textarea || !out) { return; }
    var min = parseInt(out.getAttribute("data-min-words"), 10) || 0;
    function update() {
      var n = countWords(textarea.value);
      out.textContent = min ? n + " / " + min + " words" : n + (n === 1 ? " word" : " words");
      out.classList.toggle("comment-words--enough", min > 0 && n >= min);
    }
    textarea.addEventListener("input", update);
    update();
  }

  function setUpReplies(respond) {
    var form = document.getElementById("commentform");
    var parentField = document.getElementById("comment_parent");
    var title = document.getElementById("reply-title-text");
    var cancel = document.getElementById("cancel-comment-reply-link");
    if (!form || !parentField || !title || !cancel) { return; }
    var home = document.createElement("div");
    home.id = "respond-home";
    home.hidden = true;
    respond.parentNode.insertBefore(home, respond);
    var opener = null;  // the Reply link that opened the box, where Cancel reply gives the keyboard back

    function moveTo(link) {
      var item = document.getElementById("div-comment-" + link.getAttribute("data-comment-id"));
      if (!item) { return false; }
      item.parentNode.insertBefore(respond, item.nextSibling);
      parentField.value = link.getAttribute("data-comment-id");
      title.textContent = "Reply to " + link.getAttribute("data-author");
      cancel.hidden = false;
      respond.classList.add("comment-respond--inline");
      opener = link;
      document.getElementById("comment").focus();
      return true;
    }

    function reset() {
      home.parentNode.insertBefore(respond, home);
      parentField.value = "";
      title.textContent = title.getAttribute("data-default");
      cancel.hidden = true;
      respond.classList.remove("comment-respond--inline");
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest(".comment-reply-link");
      if (link && moveTo(link)) { event.preventDefault(); }
    });
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      reset();
      (opener && document.contains(opener) ? opener : document.getElementById("comment")).focus();
      opener = null;
    });
    // "Leave a Reply" under the heading means a new comment: with a reply box open under a comment, the form
    // goes back to its place first (as Cancel reply does), then the reader is taken to it.
    document.addEventListener("click", function (event) {
      if (!event.target.closest("a.comments-jump") || !parentField.value) { return; }
      event.preventDefault();
      reset();
      opener = null;
      respond.scrollIntoView({ block: "start" });
      document.getElementById("comment").focus({ preventScroll: true });
    });
    // Arrived by ?replytocom= (no JS before): show the form under that comment. A reply kept in this browser
    // may answer a comment on another page of a long thread: the title says so and leads there (Cancel reply
    // makes it a comment on the essay), rather than the box posting, unseen, under a comment not shown.
    if (parentField.value) {
      var current = document.querySelector('.comment-reply-link[data-comment-id="' + parentField.value + '"]');
      if (current) { moveTo(current); } else { onAnotherPage(parentField.value); }
    }

    function onAnotherPage(commentId) {
      var there = new URL(cancel.getAttribute("href"), window.location.href);
      there.search = "?replytocom=" + encodeURIComponent(commentId);
      there.hash = "respond";
      var link = document.createElement("a");
      link.href = there.pathname + there.search + there.hash;
      link.textContent = "Reply to a comment on another page";
      title.textContent = "";
      title.appendChild(link);
      cancel.hidden = false;
    }
  }

  // A copy of the comment being written, kept in this browser until it is posted, so a login that ended
  // (a logout in another tab or browser) or a lost connection does not lose it. The key starts with the
  // account's id: site.js forgets it at logout and on the pages of anyone else who logs in.
  function setUpKeptCopy(form, justPosted) {
    var key = form.getAttribute("data-storage-key");
    var textarea = form.querySelector("textarea[name=body]");
    var parentField = document.getElementById("comment_parent");
    if (!key || !textarea) { return; }
    function keep() {
      try {
        if (textarea.value.trim()) {
          window.localStorage.setItem(key, JSON.stringify({ body: textarea.value, parent: parentField ? parentField.value : "" }));
        } else {
          window.localStorage.removeItem(key);
        }
      } catch (e) { /* private mode or full storage: the form still posts */ }
    }
    function kept() {
      try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
    }
    textarea.addEventListener("input", keep);
    form.addEventListener("submit", keep);
    if (justPosted) { keep(); return; }  // the box is empty again: the copy is dropped
    var copy = kept();
    if (!copy || !copy.body || textarea.value.trim()) { return; }  // a refused comment is shown by the server
    textarea.value = copy.body;
    if (parentField && copy.parent && !parentField.value) { parentField.value = copy.parent; }
    var notice = document.createElement("div");
    notice.className = "notice notice--warning";
    notice.id = "comment-kept";
    notice.setAttribute("role", "status");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.textContent = "Discard it";
    discard.addEventListener("click", function () {
      textarea.value = "";
      keep();
      textarea.dispatchEvent(new Event("input"));
      notice.parentNode.removeChild(notice);
      textarea.focus();
    });
    form.insertBefore(notice, form.querySelector(".field"));
    window.setTimeout(function () {
      notice.appendChild(document.createTextNode("Your comment, kept in this browser, is back in the box below. It is not posted yet. "));
      notice.appendChild(discard);
    }, 100);
  }

  // Landed on a comment just posted, or on the thread a comment was deleted from: the page scrolled there, so
  // say so there rather than at the top of the page, out of sight. Filled after insertion so screen readers
  // announce it. True for a comment just posted.
  function showMessageAtComment() {
    var flashes = document.querySelector(".flashes");
    var match = /^#comment-(\d+)$/.exec(window.location.hash);
    var body = match && document.getElementById("div-comment-" + match[1]);
    var thread = window.location.hash === "#comments" && document.getElementById("comments");
    if (!flashes || !(body || thread)) { return false; }
    var status = document.createElement("div");
    status.className = "flashes flashes--at-comment";
    status.setAttribute("role", "status");
    if (body) {
      body.insertBefore(status, body.firstChild);
    } else {
      var heading = thread.querySelector(".comments-title");
      thread.insertBefore(status, heading ? heading.nextSibling : thread.firstChild);
    }
    var messages = Array.prototype.slice.call(flashes.children);
    flashes.parentNode.removeChild(flashes);
    window.setTimeout(function () {
      messages.forEach(function (m) { status.appendChild(m); });
      // The browser keeps the comment where it was as the message grows above it (scroll anchoring), which
      // would leave the message above the screen: bring it, whole, into view.
      status.scrollIntoView({ block: "nearest" });
    }, 100);
    return Boolean(body);
  }

  // A refused comment: the page opened at its message ("#respond"), and the box under it takes the focus, ready
  // to correct. After the load: going to "#respond" moves the focus to the page itself.
  window.addEventListener("load", function () {
    var refused = document.querySelector('#commentform textarea[aria-invalid="true"]');
    if (refused) { window.setTimeout(function () { refused.focus({ preventScroll: true }); }, 0); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var respond = document.getElementById("respond");
    var form = document.getElementById("commentform");
    var justPosted = showMessageAtComment();
    if (form) { setUpKeptCopy(form, justPosted); }
    setUpCounter(document.querySelector("#commentform textarea[name=body], #comment-edit textarea[name=body]"));
    if (respond) { setUpReplies(respond); }
  });
})();
