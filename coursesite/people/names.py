"""When two names shown to readers would look the same: the test against taking someone else's name.

Two names are the same when they read the same: compatibility forms (fullwidth, ligatures), case, accents,
invisible characters, spaces, punctuation ("Mr. T" and "Mr T") and the common Cyrillic and Greek look-alikes
of Latin letters do not tell them apart.
"""

from __future__ import annotations

import unicodedata

# Letters drawn like Latin ones: Cyrillic and Greek look-alikes, and Latin letters with a stroke that no
# decomposition removes.
LOOKALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ӏ": "l", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ı": "i", "ł": "l", "ø": "o", "đ": "d",
    "ħ": "h", "ŧ": "t", "ƀ": "b", "ɨ": "i", "ʉ": "u", "ƶ": "z", "ǥ": "g", "ɇ": "e",
    "0": "o", "1": "l", "|": "l",
})


def name_key(name: str) -> str:
    """What a name looks like to a reader, for comparing names; empty for a name of nothing visible."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = unicodedata.normalize("NFKD", text)
    # Accents, zero-width and direction characters, punctuation and spaces: nothing a reader tells apart.
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "MCPZ")
    return "".join(text.translate(LOOKALIKES).split())


def same_name(a: str, b: str) -> bool:
    key = name_key(a)
    return bool(key) and key == name_key(b)
