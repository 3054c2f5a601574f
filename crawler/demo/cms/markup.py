"""HTML building blocks for generated sites: escaping, elements, and a site's own class names.

Each site gets a :class:`Markup` that names the roles of its blocks ("body", "newsletter",
"teaser", ...) in the idiom of its CMS, once per site, so one site's pages agree with each other
while two sites of one CMS do not: a WordPress theme spells ``entry-content`` where another says
``post-content entry-content``, a Next.js site hashes ``Article_body__3kd9F`` or ``css-1x9f3a``.
"""

from __future__ import annotations

import random
import string
from html import escape

# How a CMS names its blocks. "semantic": readable names from the style's vocabulary; the other
# schemes hash a role into generated names as CSS-in-JS tool chains do.
SCHEMES = ("semantic", "emotion", "styled", "modules")
# Class names that tell nothing about a block, for themes that name blocks by layout alone.
NEUTRAL = (
    "box",
    "module",
    "widget",
    "block",
    "panel",
    "unit",
    "component",
    "container",
    "row",
    "col-md-8",
    "grid-item",
    "card",
    "section",
    "inner",
    "content-block",
    "wp-block-group",
)


def esc(text: str) -> str:
    """Escape text for an HTML text node or a double-quoted attribute."""
    return escape(text, quote=True)


def attrs(**values: str | None) -> str:
    """' name="value"' for each value given (None and '' are left out); '_' in a name is '-'."""
    out = []
    for name, value in values.items():
        if value is None or value == "":
            continue
        name = name.rstrip("_").replace("_", "-")
        out.append(f' {name}="{esc(value)}"')
    return "".join(out)


def el(tag: str, inner: str = "", attr: str = "") -> str:
    """An element with already-rendered attributes and inner HTML."""
    return f"<{tag}{attr}>{inner}</{tag}>"


def _token(rng: random.Random, size: int, alphabet: str) -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


class Markup:
    """Names the blocks of one site: ``cls(role)`` gives the same class for a role every time.

    ``vocab`` maps a role to spellings the CMS might use (one is chosen per site); roles missing
    from it get a generic name, or none at all, as sites often leave blocks unnamed. ``scheme``
    says how names are written (see SCHEMES).
    """

    def __init__(
        self, rng: random.Random, vocab: dict[str, tuple[str, ...]], scheme: str = "semantic"
    ) -> None:
        self.rng = rng
        self.vocab = vocab
        self.scheme = scheme
        self._names: dict[str, str] = {}
        self._component = rng.choice(("Article", "Story", "Post", "ArticlePage", "Content"))
        self._unnamed = rng.random() * 0.3  # share of roles this site leaves without a class

    def name(self, role: str) -> str:
        """The class attribute value for ``role`` on this site ('' when it has none)."""
        if role not in self._names:
            self._names[role] = self._make(role)
        return self._names[role]

    def cls(self, role: str, *extra: str) -> str:
        """' class="..."' for ``role`` (plus ``extra`` classes), or '' when there is none."""
        names = " ".join(n for n in (self.name(role), *extra) if n)
        return attrs(class_=names)

    def _make(self, role: str) -> str:
        rng = self.rng
        if self.scheme == "emotion":
            return f"css-{_token(rng, rng.choice((6, 7)), string.digits + string.ascii_lowercase)}"
        if self.scheme == "styled":
            first = "sc-" + _token(rng, 6, string.ascii_letters)
            return f"{first} {_token(rng, 6, string.ascii_letters)}"
        if self.scheme == "modules":
            part = "".join(word.capitalize() for word in role.split("_"))
            component = self._component if rng.random() < 0.6 else part
            alphabet = string.ascii_letters + string.digits + "-_"
            return f"{component}_{role.split('_')[0]}__{_token(rng, 5, alphabet)}"
        choices = self.vocab.get(role)
        if choices and rng.random() < 0.7:
            return rng.choice(choices)
        roll = rng.random()
        if roll < self._unnamed:
            return ""
        if roll < self._unnamed + 0.35:
            # A name that says nothing about what the block is, as many themes use.
            base = rng.choice(NEUTRAL)
            return base if rng.random() < 0.4 else f"{base}-{rng.randint(1, 40)}"
        word = role.replace("_", "-")
        return rng.choice((word, f"{word}-block", f"c-{word}", f"{word}__wrapper"))

    def ident(self, prefix: str) -> str:
        """A random id attribute value, e.g. 'post-4821' or 'block-3f9a'."""
        if self.rng.random() < 0.5:
            return f"{prefix}-{self.rng.randint(100, 99999)}"
        return f"{prefix}-{_token(self.rng, 4, '0123456789abcdef')}"

    def box(self) -> str:
        """A tag for a block of junk: div mostly, sometimes section or aside."""
        return self.rng.choice(("div", "div", "div", "section", "aside"))

    def wrap(
        self, inner: str, depth: int, roles: tuple[str, ...] = ("wrap", "inner", "col")
    ) -> str:
        """``inner`` inside ``depth`` plain wrapper divs named after ``roles``."""
        for level in range(depth):
            inner = el("div", inner, self.cls(roles[level % len(roles)]))
        return inner
