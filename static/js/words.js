// Counting words the one way the server does (coursesite/services/words.py): URLs do not count, each
// Chinese or Japanese character is a word, any other run of non-space characters holding a letter or digit
// is a word. The character classes are spelled out as on the server; tests/fixtures/word_cases.json holds
// the cases both sides must agree on.
(function (root) {
  "use strict";
  var SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
  var CJK = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  var URL = new RegExp("(?:https?://|www\\.)[^" + SPACE + "]+", "giu");
  // The letter or digit a word needs is not a CJK character: those are words of their own.
  var WORD = new RegExp("[" + CJK + "]|[^" + SPACE + CJK + "]*(?:(?![" + CJK + "])[\\p{L}\\p{N}])[^" + SPACE + CJK +
    "]*", "gu");
  // Markdown whose text is not shown as words: an image's description and a link's address.
  var IMAGE = /!\[[^\]]*\]\([^)]*\)/g;
  var LINK_TARGET = /\]\([^)]*\)/g;

  function countText(text) {
    var matches = String(text || "").replace(URL, " ").match(WORD);
    return matches ? matches.length : 0;
  }

  function countMarkdown(markdown) {
    return countText(String(markdown || "").replace(IMAGE, " ").replace(LINK_TARGET, "] "));
  }

  root.CoursesiteWords = { countText: countText, countMarkdown: countMarkdown };
})(window);
