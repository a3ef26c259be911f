"""Demo news for `benvung init --demo`: the department's article on KH-2627 and the titles
listed beside it on the department's portal.

The first item is the source article of the project (Sở Công Thương Hải Dương, "Tin hoạt
động ngành", 28/09/2020 15:00:13, by Lê Minh) with its text as published, two typing errors
corrected ("sản xut" → "sản xuất", "trin khai" → "triển khai"). The other items carry only
their real titles and times; their bodies say they are illustrations ("(minh họa)"). Every
item has `is_demo=True`. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from benvung.portal.models import Article, ArticleStatus, Category
from benvung.portal.services import article_save

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
NEWS = ("tin-hoat-dong-nganh", "Tin hoạt động ngành")
DOCUMENTS = ("van-ban", "Văn bản")
DEMO_NOTE = "(minh họa)"


@dataclass(frozen=True)
class DemoArticle:
    category: tuple[str, str]
    title: str
    published: dt.datetime
    lead: str
    body: str
    author: str = ""
    source: str = ""


def _at(year: int, month: int, day: int, hour: int, minute: int, second: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=LOCAL)


def _items(items: list[str]) -> str:
    return "".join(f"<li>{item}</li>" for item in items)


SOURCE_TITLE = (
    "Kế hoạch hành động Chương trình sản xuất và tiêu dùng bền vững tỉnh Hải Dương "
    "giai đoạn 2021-2030"
)
SOURCE_LEAD = (
    "Theo Kế hoạch, giai đoạn 2021- 2025 sẽ xây dựng, áp dụng 5 đến 10 mô hình sản xuất và "
    "tiêu dùng bền vững; phổ biến, nhân rộng các mô hình về sản xuất sạch hơn, các mô hình về "
    "sản xuất và tiêu dùng bền vững."
)
SOURCE_2025 = [
    "70% các khu, cụm công nghiệp, làng nghề được phổ biến, nâng cao nhận thức về sản xuất "
    "và tiêu dùng bền vững;",
    "Xây dựng, áp dụng 5 đến 10 mô hình sản xuất và tiêu dùng bền vững; phổ biến, nhân rộng "
    "các mô hình về sản xuất sạch hơn, các mô hình về sản xuất và tiêu dùng bền vững;",
    "80% các huyện, thị xã, thành phố tổ chức tuyên truyền, phổ biến nâng cao nhận thức về "
    "lối sống, tiêu dùng bền vững;",
    "85% các siêu thị, trung tâm thương mại phân phối, sử dụng sản phẩm bao bì thân thiện môi "
    "trường thay thế dần cho sản phẩm bao bì nhựa dùng một lần, khó phân hủy; xây dựng, thúc "
    "đẩy phát triển chuỗi cung ứng bền vững; khuyến khích phân phối các sản phẩm thân thiện "
    "môi trường, được dán nhãn sinh thái tại các siêu thị, trung tâm thương mại;",
    "Khuyến khích lồng ghép nội dung về sản xuất và tiêu dùng bền vững trong chương trình đào "
    "tạo, giảng dạy tại các cấp đào tạo.",
]
SOURCE_2030 = [
    "Triển khai và thực hiện có hiệu quả chính sách pháp luật về sản xuất và tiêu dùng bền vững;",
    "Giảm 7- 10% mức tiêu hao nguyên nhiên vật liệu của các ngành sản xuất chính như dệt "
    "may, thép, nhựa, hóa chất, xi măng, rượu bia nước giải khát và một số ngành sản xuất "
    "khác;",
    "100% các khu, cụm công nghiệp, làng nghề được phổ biến, nâng cao nhận thức về sản xuất "
    "và tiêu dùng bền vững;",
    "Phổ biến, nhân rộng các mô hình về sản xuất sạch hơn, mô hình về sản xuất và tiêu dùng "
    "bền vững;",
    "100% các huyện, thị xã, thành phố tổ chức tuyên truyền, phổ biến nâng cao nhận thức về "
    "lối sống, tiêu dùng bền vững;",
    "100% các siêu thị, trung tâm thương mại sử dụng sản phẩm bao bì thân thiện môi trường "
    "thay thế cho sản phẩm bao bì nhựa sử dụng một lần, khó phân hủy;",
]
SOURCE_BODY = (
    "<p>Thực hiện Quyết định số 889/QĐ-TTg ngày 24/6/2020 của Thủ tướng Chính phủ phê duyệt "
    "Chương trình hành động quốc gia về sản xuất và tiêu dùng bền vững giai đoạn 2021- 2030, "
    "ngày 31/8/2020 UBND tỉnh Hải Dương đã ban hành Quyết định số 2627/QĐ-UBND về ban hành Kế "
    "hoạch hành động thực hiện Chương trình sản xuất và tiêu dùng bền vững tỉnh Hải Dương giai "
    "đoạn 2021-2030.</p>"
    "<p>Mục tiêu của Kế hoạch nhằm thúc đẩy quản lý, khai thác và sử dụng hiệu quả, bền vững "
    "tài nguyên, nhiên liệu, nguyên vật liệu, khuyến khích phát triển các nguồn tài nguyên, "
    "nhiên liệu, nguyên vật liệu và sản phẩm thân thiện môi trường; có thể tái tạo, tái sử "
    "dụng và tái chế; thúc đẩy sản xuất và tiêu dùng bền vững trên nền tảng đổi mới, sáng tạo, "
    "thực hành và phát triển các mô hình sản xuất và tiêu dùng bền vững, đẩy mạnh sản xuất và "
    "tiêu dùng nội địa bền vững, tạo việc làm ổn định và việc làm xanh, thúc đẩy lối sống bền "
    "vững và nâng cao chất lượng cuộc sống người dân, hướng đến phát triển nền kinh tế tuần "
    "hoàn ở Việt Nam.</p>"
    "<p>Trong Kế hoạch cũng đã đề ra một số mục tiêu cụ thể như:</p>"
    "<ul>"
    f"<li><strong>Trong giai đoạn 2021- 2025</strong><ul>{_items(SOURCE_2025)}</ul></li>"
    f"<li><strong>Đến năm 2030</strong><ul>{_items(SOURCE_2030)}</ul></li>"
    "</ul>"
    "<p>Từ những mục tiêu trên, Kế hoạch cũng đã xây dựng các công việc và phân công nhiệm vụ "
    "cụ thể cho từng sở, ngành có liên quan để triển khai thực hiện có hiệu quả.</p>"
    "<p>Căn cứ nội dung, nhiệm vụ của Kế hoạch và các chính sách có liên quan; hàng năm UBND "
    "tỉnh giao Sở Công Thương chủ trì, phối hợp với các Sở, ngành, UBND các huyện, thị xã và "
    "các đơn vị, tổ chức có liên quan triển khai thực hiện hiệu quả Kế hoạch hành động thực "
    "hiện Chương trình sản xuất và tiêu dùng bền vững tỉnh Hải Dương giai đoạn 2021- 2030; "
    "đồng thời hàng năm xây dựng Kế hoạch tổ chức triển khai và Dự toán kinh phí thực hiện "
    "theo quy định./.</p>"
)

# The titles listed under "Các tin cùng Chuyên mục" beside the source article, with the times
# shown there (the portal's M/D/YYYY h:mm:ss AM/PM, read as local time).
RELATED = [
    (
        "Thông báo: Chấm dứt hoạt động của Văn phòng đại diện MCI INC tại Hải Dương",
        _at(2021, 1, 13, 15, 2, 57),
    ),
    (
        "Sở Công Thương tự đánh giá chấm điểm cải cách thủ tục hành chính năm 2020",
        _at(2020, 12, 18, 7, 51, 30),
    ),
    (
        "Ngành Công Thương Hải Dương xây dựng kế hoạch phục vụ Tết Nguyên đán Tân Sửu năm 2021",
        _at(2020, 12, 15, 10, 13, 7),
    ),
    ("Thông báo: Cấp Giấy phép thành lập VPĐD Move Plus CO., LTD", _at(2020, 12, 1, 8, 13, 5)),
    (
        "Sở Công Thương tham gia Hội thao Khối thi đua cơ quan tham mưu quản lý nhà nước về "
        "kinh tế 2020",
        _at(2020, 11, 24, 8, 17, 0),
    ),
    (
        "Kết quả công tác phổ biến giáo dục pháp luật năm 2020 của Sở Công Thương",
        _at(2020, 11, 23, 10, 47, 8),
    ),
    (
        "Biện pháp phòng dịch Covid - 19 và quản lý xuất nhập khẩu hàng hóa sang tỉnh Vân Nam "
        "(Trung Quốc)",
        _at(2020, 11, 18, 8, 30, 40),
    ),
    (
        "Sở Công Thương dự Hội nghị kết nối tiêu thụ các sản phẩm thực phẩm an toàn",
        _at(2020, 11, 11, 13, 42, 41),
    ),
    (
        "Sở Công Thương vận động ủng hộ nhân dân các tỉnh miền Trung khắc phục thiên tai",
        _at(2020, 10, 30, 15, 10, 9),
    ),
    (
        "Bộ Công Thương công bố doanh nghiệp xuất khẩu uy tín năm 2019",
        _at(2020, 8, 31, 15, 52, 0),
    ),
]


def _illustration(title: str, category: tuple[str, str], published: dt.datetime) -> DemoArticle:
    return DemoArticle(
        category=category,
        title=title,
        published=published,
        lead=f"{DEMO_NOTE} Tin minh họa: tiêu đề và thời điểm đăng như trên cổng thông tin "
        "của Sở Công Thương Hải Dương.",
        body=f"<p><em>{DEMO_NOTE}</em> Đây là tin minh họa của bản cài đặt thử nghiệm. Chỉ "
        "tiêu đề và thời điểm đăng lấy từ danh sách tin trên cổng thông tin của Sở; nội dung "
        "đầy đủ của tin không được nạp.</p>",
        source="Dữ liệu minh họa",
    )


def demo_articles() -> list[DemoArticle]:
    """The demo news, the source article first (pure: no database)."""
    articles = [
        DemoArticle(
            category=NEWS,
            title=SOURCE_TITLE,
            published=_at(2020, 9, 28, 15, 0, 13),
            lead=SOURCE_LEAD,
            body=SOURCE_BODY,
            author="Lê Minh",
        )
    ]
    articles += [_illustration(title, NEWS, when) for title, when in RELATED]
    articles.append(
        _illustration(
            "Quyết định số 2627/QĐ-UBND ngày 31/8/2020 ban hành Kế hoạch hành động thực hiện "
            "Chương trình sản xuất và tiêu dùng bền vững tỉnh Hải Dương giai đoạn 2021-2030",
            DOCUMENTS,
            _at(2020, 8, 31, 16, 0, 0),
        )
    )
    return articles


def generate_news_demo(*, seed: int) -> list[str]:
    """Load the demo news (the seed is accepted for symmetry: the news is fixed text)."""
    del seed
    created = 0
    for item in demo_articles():
        slug, name = item.category
        category, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name})
        article = Article.objects.filter(title=item.title, is_demo=True).first()
        if article is None:
            article = Article(title=item.title, is_demo=True)
            created += 1
        article.category = category
        article.lead = item.lead
        article.body = item.body
        article.author = item.author
        article.source = item.source
        article.status = ArticleStatus.PUBLISHED
        article.publish_at = item.published
        article_save(article=article)
    return [f"Tin tức minh họa: {created} tin mới ({len(demo_articles())} tin minh họa)."]
