"""RSS of the news: `/rss/` (every category) and `/rss/<category>/`."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from benvung.portal.models import Article, Category
from benvung.portal.selectors import articles_published

ITEMS = 20
SITE = "Sở Công Thương Hải Dương"


class NewsFeed(Feed):  # type: ignore[type-arg]
    description = "Tin tức của Sở Công Thương Hải Dương"

    def get_object(self, request: HttpRequest, *args: object, **kwargs: str) -> Category | None:
        if "category" in kwargs:
            return get_object_or_404(Category, slug=kwargs["category"])
        return None

    def title(self, obj: Category | None) -> str:
        return f"{SITE} — {obj.name}" if obj else f"{SITE} — Tin tức"

    def link(self, obj: Category | None) -> str:
        return obj.get_absolute_url() if obj else reverse("portal:news")

    def items(self, obj: Category | None) -> QuerySet[Article]:
        articles = articles_published()
        if obj is not None:
            articles = articles.filter(category=obj)
        return articles[:ITEMS]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.lead

    def item_pubdate(self, item: Article) -> dt.datetime:
        return item.publish_at

    def item_updateddate(self, item: Article) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name]
