"""The public portal's pages: home, news, search, progress and open data.

Views only read the request, call a selector and render; nothing here needs an account.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.views.generic import ListView, TemplateView
from django.views.static import serve

from benvung.indicators.presentation import indicator_chart, qualitative_rows
from benvung.plans.models import Indicator, Plan
from benvung.portal import opendata, selectors
from benvung.portal.forms import SearchForm
from benvung.portal.models import Category
from benvung.portal.progress import (
    PUBLIC_SOURCE,
    progress_overview,
    progress_summary,
    public_indicator,
    public_year,
)

PAGE = "trang"
YEAR = "nam"
NEWS_PER_PAGE = 10
UNITS_PER_PAGE = 50


def _plan_or_404() -> Plan:
    plan = selectors.public_plan()
    if plan is None:
        raise Http404("Chưa có kế hoạch")
    return plan


class HomeView(TemplateView):
    """`/`: the latest news beside the plan's progress summary."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        latest = list(selectors.articles_published()[:10])
        plan = selectors.public_plan()
        context.update(
            featured=latest[0] if latest else None,
            latest=latest[1:],
            categories=selectors.categories_list(),
            plan=plan,
        )
        if plan is not None:
            year = public_year(plan, None)
            context.update(year=year, summary=progress_summary(plan=plan, year=year))
        return context


class NewsListView(ListView):  # type: ignore[type-arg]
    """`/tin-tuc/` and `/tin-tuc/<category>/`: public articles, newest first, paginated."""

    template_name = "portal/news_list.html"
    context_object_name = "articles"
    paginate_by = NEWS_PER_PAGE
    page_kwarg = PAGE

    def get_queryset(self) -> Any:
        articles = selectors.articles_published()
        self.category: Category | None = None
        if "category" in self.kwargs:
            self.category = get_object_or_404(Category, slug=self.kwargs["category"])
            articles = articles.filter(category=self.category)
        return articles

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(category=self.category, categories=selectors.categories_list())
        return context


class ArticleView(TemplateView):
    """`/tin-tuc/<category>/<slug>/` (`?in=1`: the print layout, for browsers without JS)."""

    template_name = "portal/article.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        article = selectors.article_published_get(slug=kwargs["slug"])
        if article is None:
            raise Http404("Không có tin này")
        if article.category.slug != kwargs["category"]:
            return HttpResponsePermanentRedirect(article.get_absolute_url())
        self.article = article
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            article=self.article,
            category=self.article.category,
            related=selectors.articles_related(article=self.article),
            print_view=self.request.GET.get("in") == "1",
        )
        return context


class SearchView(TemplateView):
    """`/tim-kiem/?q=`: news and indicators, every word, accents and case ignored."""

    template_name = "portal/search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        context.update(form=form, query=query)
        if query:
            context["results"] = selectors.site_search(query=query)
        return context


class ProgressView(TemplateView):
    """`/tien-do/?nam=`: every indicator of the plan, from approved data."""

    template_name = "portal/progress.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = _plan_or_404()
        year = public_year(plan, self.request.GET.get(YEAR))
        context.update(
            plan=plan,
            year=year,
            years=list(plan.years),
            overview=progress_overview(plan=plan, year=year),
            source=gettext(PUBLIC_SOURCE),
        )
        return context


class IndicatorView(TemplateView):
    """`/tien-do/<code>/?nam=&trang=`: one indicator, its chart, series and districts."""

    template_name = "portal/indicator.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = _plan_or_404()
        indicator = get_object_or_404(
            Indicator.objects.filter(plan=plan)
            .select_related("objective", "plan")
            .prefetch_related("targets__milestones", "assessments", "versions"),
            code=kwargs["code"],
        )
        year = public_year(plan, self.request.GET.get(YEAR))
        card, breakdown = public_indicator(plan=plan, indicator=indicator, year=year)
        context.update(
            plan=plan,
            indicator=indicator,
            year=year,
            years=list(plan.years),
            card=card,
            current=card.current,
            series=list(reversed(card.series)),
            targets=indicator.targets.all(),
            source=gettext(PUBLIC_SOURCE),
        )
        if breakdown is None:
            context["assessments"] = qualitative_rows(indicator)
            return context
        units = Paginator(breakdown.units, UNITS_PER_PAGE).get_page(self.request.GET.get(PAGE))
        context.update(
            chart_narrow=indicator_chart(
                indicator, card.series, card.projection, width=420, height=330, max_x_labels=6
            ),
            breakdown=breakdown,
            units_page=units,
            year_query=f"nam={year}&",
        )
        return context


class OpenDataView(TemplateView):
    """`/du-lieu-mo/`: the catalogue of downloadable tables."""

    template_name = "portal/open_data.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = _plan_or_404()
        year = public_year(plan, self.request.GET.get(YEAR))
        context.update(
            plan=plan,
            year=year,
            years=list(plan.years),
            indicators=list(plan.indicators.order_by("order")),
            formats=opendata.FORMATS,
            source=gettext(PUBLIC_SOURCE),
        )
        return context


PUBLIC_MEDIA_FOLDER = "tin-tuc/"


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """`/media/<path>`: an uploaded file (news images), served by the application like the
    static files, since an intranet install has no separate web server. Only image types can
    be uploaded, and `nosniff` keeps browsers to the type the extension gives. Only the news
    folder is public: any other upload (e.g. evidence) is served by its own checked view."""
    if not path.startswith(PUBLIC_MEDIA_FOLDER):
        raise Http404
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


def _download(table: opendata.Table, fmt: str) -> HttpResponse:
    response = HttpResponse(opendata.render(table, fmt), content_type=opendata.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{opendata.file_name(table, fmt)}"'
    return response


def _indicator(plan: Plan, code: str) -> Indicator:
    return get_object_or_404(
        Indicator.objects.filter(plan=plan).prefetch_related(
            "targets__milestones", "assessments", "versions"
        ),
        code=code,
    )


def export_progress(request: HttpRequest, fmt: str) -> HttpResponse:
    """`/du-lieu-mo/tien-do.<fmt>?nam=`."""
    plan = _plan_or_404()
    year = public_year(plan, request.GET.get(YEAR))
    return _download(opendata.progress_table(plan=plan, year=year), fmt)


def export_series(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """`/du-lieu-mo/chi-tieu/<code>.<fmt>?nam=` (the years up to `nam`)."""
    plan = _plan_or_404()
    year = public_year(plan, request.GET.get(YEAR))
    table = opendata.series_table(plan=plan, indicator=_indicator(plan, code), last_year=year)
    return _download(table, fmt)


def export_districts(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """`/du-lieu-mo/theo-huyen/<code>.<fmt>?nam=`."""
    plan = _plan_or_404()
    year = public_year(plan, request.GET.get(YEAR))
    table = opendata.district_table(plan=plan, indicator=_indicator(plan, code), year=year)
    return _download(table, fmt)


def export_models(request: HttpRequest, fmt: str) -> HttpResponse:
    """`/du-lieu-mo/mo-hinh.<fmt>`."""
    return _download(opendata.models_table(plan=_plan_or_404()), fmt)


def export_values(request: HttpRequest, fmt: str) -> HttpResponse:
    """`/du-lieu-mo/so-lieu.<fmt>`."""
    return _download(opendata.values_table(plan=_plan_or_404()), fmt)
