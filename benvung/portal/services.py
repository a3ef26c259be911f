"""Writes of the news: every article is saved through `article_save`.

It owns what must hold for every article however it was written (admin, demo, a future
import): the body is sanitised by an allowlist (nh3), the slug is made from the title, and the
folded search text is recomputed, so the public pages and the search never see unsafe HTML or
stale text.
"""

from __future__ import annotations

import html
import re
from typing import Any

import nh3
from django.db import transaction
from django.utils.text import slugify

from benvung.orgunits.selectors import fold
from benvung.portal.models import Article

# The tags the editor produces (`models.EDITOR_EXTENSIONS`) and nothing else: no script,
# style, iframe, form or event attribute survives.
ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_TAG = re.compile(r"<[^>]+>")
SLUG_MAX = 120


def sanitize_html(markup: str) -> str:
    """The body HTML with only the allowed tags and attributes ("" for an empty editor)."""
    cleaned = _CLEANER.clean(markup or "").strip()
    return "" if re.fullmatch(r"(<p>\s*</p>\s*)*", cleaned) else cleaned


def html_text(markup: str) -> str:
    """The visible text of an HTML fragment, one space between blocks."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def article_search_text(*, title: str, lead: str, body: str) -> str:
    """What the search compares with: title, lead and body text, folded."""
    return fold(" ".join([title, lead, html_text(body)]))


def _unique_slug(article: Article) -> str:
    base = slugify(fold(article.title))[:SLUG_MAX].strip("-") or "tin"
    slug, n = base, 2
    others = Article.objects.exclude(pk=article.pk)
    while others.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def article_save(*, article: Article, user: Any = None) -> Article:
    """Sanitise, slug and index an article, then save it (new or changed)."""
    with transaction.atomic():
        article.body = sanitize_html(article.body)
        article.title = " ".join(article.title.split())
        article.lead = article.lead.strip()
        if not article.slug:
            article.slug = _unique_slug(article)
        article.search_text = article_search_text(
            title=article.title, lead=article.lead, body=article.body
        )
        if article.pk is None and user is not None and getattr(user, "pk", None):
            article.created_by = user
        article.full_clean(exclude=["image", "created_by"])
        article.save()
    return article
