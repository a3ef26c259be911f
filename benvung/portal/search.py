"""Accent-insensitive matching and highlighting for the portal's search (plain Python).

`query_words("Sản  xuất")` → ["san", "xuat"]; `matches(words, text)` is true when every word
is in the folded text; `highlight(text, words)` marks the matched stretches of the *original*
text with <mark>, so "san xuat" highlights "sản xuất" as written.
"""

from __future__ import annotations

import unicodedata
from html import escape

from benvung.orgunits.selectors import fold

MAX_WORDS = 10


def query_words(query: str) -> list[str]:
    """The distinct folded words of a query (at most `MAX_WORDS`)."""
    words: list[str] = []
    for word in fold(query).split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def matches(words: list[str], text: str) -> bool:
    folded = fold(text)
    return bool(words) and all(word in folded for word in words)


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    bare = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return bare.casefold()


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The text folded character by character, and for each folded character the index of
    the original character it came from (whitespace kept as is, so positions line up)."""
    folded: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for piece in _fold_char(ch):
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


def match_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Merged [start, end) spans of the original text where any of the words occurs."""
    folded, origin = _folded_with_positions(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        if not word:
            continue
        start = folded.find(word)
        while start != -1:
            end = start + len(word) - 1
            spans.append((origin[start], origin[end] + 1))
            start = folded.find(word, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, words: list[str]) -> str:
    """The text HTML-escaped, with every match wrapped in <mark>."""
    out: list[str] = []
    last = 0
    for start, end in match_spans(text, words):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def excerpt(text: str, words: list[str], width: int = 220) -> str:
    """About `width` characters of the text around its first match (word boundaries kept)."""
    if len(text) <= width:
        return text
    spans = match_spans(text, words)
    centre = spans[0][0] if spans else 0
    start = max(0, centre - width // 3)
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space != -1 else 0
    end = min(len(text), start + width)
    space = text.find(" ", end)
    end = space if space != -1 else len(text)
    piece = text[start:end].strip()
    return ("… " if start > 0 else "") + piece + (" …" if end < len(text) else "")
