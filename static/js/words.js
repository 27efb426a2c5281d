// Counting words the one way the server does (coursesite/text/words.py): URLs do not count, each
// Chinese or Japanese character is a word, any other run of non-space characters holding a letter or digit
// is a word. The character classes are spelled out as on the server; tests/fixtures/word_cases.json holds
// the cases both sides must agree on.
(function (root) {
  "use strict";
  var SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
  var CJK = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  var URL = new RegExp("(?:https?://|www\\.)[^" + SPACE + "]+", "giu");
  // A run of non-space characters is matched whole and then tested for a letter or digit (CJK characters are
  // words of their own): one pattern asking for the letter inside the run backtracks through every run
  // without one from each of its characters, the square of its length.
  var RUN = new RegExp("[" + CJK + "]|[^" + SPACE + CJK + "]+", "gu");
  var CJK_CHAR = new RegExp("^[" + CJK + "]$", "u");
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
  // Markdown whose text is not shown as words: an image's description and a link's address.
  var IMAGE = /!\[[^\]]*\]\([^)]*\)/g;
  var LINK_TARGET = /\]\([^)]*\)/g;

  function countText(text) {
    var runs = String(text || "").replace(URL, " ").match(RUN) || [];
    return runs.filter(function (run) { return CJK_CHAR.test(run) || LETTER_OR_DIGIT.test(run); }).length;
  }

  // Both patterns end at the first ")" after their start: none can start after the last ")", and searching
  // there from each "](" of a long run would cost the square of its length.
  function replaceBeforeLastParen(text, pattern, replacement) {
    var end = text.lastIndexOf(")") + 1;
    return text.slice(0, end).replace(pattern, replacement) + text.slice(end);
  }

  function countMarkdown(markdown) {
    var text = replaceBeforeLastParen(String(markdown || ""), IMAGE, " ");
    return countText(replaceBeforeLastParen(text, LINK_TARGET, "] "));
  }

  root.CoursesiteWords = { countText: countText, countMarkdown: countMarkdown };
})(window);
