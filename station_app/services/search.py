"""Search keys clerks type: substrings, 拼音首字母 ("dhxq" → 东海新区…), numbers.

Full pinyin is deliberately not in the key: concatenated syllables match almost any two letters
across a syllable boundary ("集团有限" → "jituanyouxian" contains "ny"), which buried real hits.

Each registry row stores one lower-case ``search_key`` built at write time, so a search is one
indexed-table LIKE in SQL on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def pinyin_initials(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda s: s)).lower()


def build_search_key(*names: str | None, extra: tuple[str | None, ...] = ()) -> str:
    """Names get their pinyin initials; ``extra`` (codes, numbers) go in as typed."""
    parts: list[str] = []
    for name in names:
        if not name:
            continue
        parts += [name.lower(), pinyin_initials(name)]
    parts += [e.lower() for e in extra if e]
    return "|".join(parts)


def like_pattern(query: str) -> str:
    """A LIKE pattern for a clerk's query (escape % and _ with backslash)."""
    q = query.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{q}%"
