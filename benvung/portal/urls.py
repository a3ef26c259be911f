"""Routes of the public portal (mounted at the site's root by `benvung/urls.py`).

/                                         home (also named `home`)
/tin-tuc/                                 news, every category (?trang=)
/tin-tuc/<category>/                      one category
/tin-tuc/<category>/<slug>/               an article (?in=1: print layout)
/tim-kiem/?q=                             search over news and indicators
/tien-do/?nam=                            public progress of the plan (approved data)
/tien-do/<indicator>/?nam=&trang=         one indicator
/du-lieu-mo/                              open data catalogue
/du-lieu-mo/tien-do.<csv|xlsx|json>?nam=  progress table of a year
/du-lieu-mo/chi-tieu/<code>.<fmt>?nam=    an indicator's yearly series
/du-lieu-mo/theo-huyen/<code>.<fmt>?nam=  an indicator by district
/du-lieu-mo/mo-hinh.<fmt>                 SCP models (public fields)
/du-lieu-mo/so-lieu.<fmt>                 approved values summed per district, element, year
/rss/, /rss/<category>/                   RSS feeds
"""

from django.urls import path, re_path

from benvung.portal import views
from benvung.portal.feeds import NewsFeed

app_name = "portal"

FMT = r"(?P<fmt>csv|xlsx|json)"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tin-tuc/", views.NewsListView.as_view(), name="news"),
    path("tin-tuc/<slug:category>/", views.NewsListView.as_view(), name="category"),
    path("tin-tuc/<slug:category>/<slug:slug>/", views.ArticleView.as_view(), name="article"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("tien-do/", views.ProgressView.as_view(), name="progress"),
    path("tien-do/<str:code>/", views.IndicatorView.as_view(), name="indicator"),
    path("du-lieu-mo/", views.OpenDataView.as_view(), name="open-data"),
    re_path(rf"^du-lieu-mo/tien-do\.{FMT}$", views.export_progress, name="export-progress"),
    re_path(
        rf"^du-lieu-mo/chi-tieu/(?P<code>[\w.]+)\.{FMT}$",
        views.export_series,
        name="export-series",
    ),
    re_path(
        rf"^du-lieu-mo/theo-huyen/(?P<code>[\w.]+)\.{FMT}$",
        views.export_districts,
        name="export-districts",
    ),
    re_path(rf"^du-lieu-mo/mo-hinh\.{FMT}$", views.export_models, name="export-models"),
    re_path(rf"^du-lieu-mo/so-lieu\.{FMT}$", views.export_values, name="export-values"),
    path("rss/", NewsFeed(), name="feed"),
    path("rss/<slug:category>/", NewsFeed(), name="category-feed"),
]
