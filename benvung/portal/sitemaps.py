"""`/sitemap.xml`: the portal's fixed pages, every public article and every indicator."""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from benvung.plans.models import Indicator
from benvung.portal.models import Article
from benvung.portal.selectors import PLAN_CODE, articles_published


class StaticSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["portal:home", "portal:news", "portal:progress", "portal:open-data"]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "monthly"
    priority = 0.6

    def items(self) -> QuerySet[Article]:
        return articles_published()

    def lastmod(self, item: Article) -> dt.datetime:
        return item.updated_at


class IndicatorSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "weekly"
    priority = 0.5

    def items(self) -> QuerySet[Indicator]:
        return Indicator.objects.filter(plan__code=PLAN_CODE).order_by("order")

    def location(self, item: Indicator) -> str:
        return reverse("portal:indicator", kwargs={"code": item.code})


SITEMAPS = {"trang": StaticSitemap, "tin-tuc": ArticleSitemap, "chi-tieu": IndicatorSitemap}
