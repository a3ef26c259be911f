"""Public reads of the news and the search over news and indicators.

Only these functions decide what the public sees of the news: an article is public when it is
not a draft and its publish time has passed (`articles_published`), so a scheduled article
appears at its time without any job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from benvung.plans.models import Indicator, Plan
from benvung.portal import search
from benvung.portal.models import Article, ArticleStatus, Category
from benvung.portal.services import html_text

PLAN_CODE = "KH-2627"


def articles_published(*, now: dt.datetime | None = None) -> QuerySet[Article]:
    """Every article the public may read at `now` (default: this moment), newest first."""
    moment = now or timezone.now()
    return (
        Article.objects.select_related("category")
        .exclude(status=ArticleStatus.DRAFT)
        .filter(publish_at__lte=moment)
        .order_by("-publish_at", "-id")
    )


def article_published_get(*, slug: str) -> Article | None:
    return articles_published().filter(slug=slug).first()


def articles_related(*, article: Article, limit: int = 10) -> list[Article]:
    """The other public articles of the article's category, newest first."""
    return list(
        articles_published()
        .filter(category=article.category_id)
        .exclude(pk=article.pk)
        .only("title", "slug", "publish_at", "category__slug")[:limit]
    )


def categories_list() -> list[Category]:
    return list(Category.objects.order_by("order", "name"))


def public_plan() -> Plan | None:
    """The plan the portal publishes (KH-2627, else the first plan)."""
    plans = Plan.objects.select_related("scope_root")
    return plans.filter(code=PLAN_CODE).first() or plans.order_by("code").first()


# --- Search -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleHit:
    article: Article
    title: str  # highlighted HTML
    excerpt: str  # highlighted HTML


@dataclass(frozen=True)
class IndicatorHit:
    indicator: Indicator
    code: str  # highlighted HTML
    name: str
    excerpt: str


@dataclass
class SearchResults:
    query: str
    words: list[str]
    articles: list[ArticleHit] = field(default_factory=list)
    indicators: list[IndicatorHit] = field(default_factory=list)
    article_count: int = 0

    @property
    def total(self) -> int:
        return self.article_count + len(self.indicators)


def search_articles(words: list[str]) -> QuerySet[Article]:
    """Public articles whose folded text holds every word (a LIKE per word: the same on
    SQLite and PostgreSQL, since both sides are already lower case without accents)."""
    articles = articles_published()
    for word in words:
        articles = articles.filter(search_text__contains=word)
    return articles


def search_indicators(words: list[str], plan: Plan | None) -> list[IndicatorHit]:
    """The plan's indicators whose code, name or methodology holds every word (folded in
    Python: a plan has a few dozen indicators)."""
    if plan is None or not words:
        return []
    hits = []
    for indicator in plan.indicators.order_by("order"):
        text = " ".join([indicator.code, indicator.name, indicator.methodology])
        if search.matches(words, text):
            hits.append(
                IndicatorHit(
                    indicator=indicator,
                    code=search.highlight(indicator.code, words),
                    name=search.highlight(indicator.name, words),
                    excerpt=search.highlight(search.excerpt(indicator.methodology, words), words),
                )
            )
    return hits


def site_search(*, query: str, limit: int = 50) -> SearchResults:
    """News and indicators matching every word of the query, accents and case ignored."""
    words = search.query_words(query)
    results = SearchResults(query=query, words=words)
    if not words:
        return results
    articles = search_articles(words)
    results.article_count = articles.count()
    for article in articles[:limit]:
        text = " ".join([article.lead, html_text(article.body)])
        results.articles.append(
            ArticleHit(
                article=article,
                title=search.highlight(article.title, words),
                excerpt=search.highlight(search.excerpt(text, words), words),
            )
        )
    results.indicators = search_indicators(words, public_plan())
    return results
