"""Everything the programme's site needs before content: ``manage.py setup_site``.

Locales; the regions (``pioneer.core.regions``) and their English copies; the home page, the
lesson index and the five function indexes, the news index with a section for every
region, the policy library, the urgent notices, the broadcast schedule; site settings and
texts; the public address (``SITE_URL``) on Wagtail's ``Site``; the offices' groups, region
roles and workflows (``pioneer.editorial.role_setup``); the English tree synchronised.
Every step first looks for what it would make, so a second run changes nothing and a run
after adding a region adds only what that region needs. ``load_demo`` runs this, then adds content.
"""

from django.db import transaction
from django.utils import translation
from wagtail.models import Locale, Page, Site

from pioneer.core.addresses import site_origin

SITE_NAME = "时代先锋网"

HOME_INTRO = (
    "时代先锋网是浙江省农村党员干部现代远程教育的教学辅助网站。"
    "这里汇集了省、市、县制作的课件和节目，按思想理论教育、实用技术培训、文化艺术熏陶、"
    "学历教育培训、信息沟通与应急响应五大功能分类，村里的终端接收站点和每一位学员都可以随时观看、下载。"
)

FUNCTION_INTROS = {
    "theory": "党的理论、党史党章和政策解读，帮助农村党员干部学懂弄通、学以致用。",
    "skills": "种植、养殖、农村电商等实用技术，一看就懂、一学就会。",
    "culture": "越剧、婺剧、剪纸、农民画和乡村文化礼堂，丰富村民的精神生活。",
    "education": "开放大学和成人学历教育课程，让农村党员干部在家门口提升学历。",
    "response": "防台防汛、森林防火、防范诈骗和社会保障政策，关键时刻用得上。",
}


def ensure_locales():
    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    return zh, en


def ensure_child(parent, model, slug, **fields):
    """The child of ``parent`` with ``slug``, created and published when missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(slug=slug, **fields)
    with transaction.atomic():
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page, True


def ensure_home(locale):
    """A HomePage at the site root, replacing Wagtail's placeholder welcome page, and the
    default ``Site`` on it at the public address."""
    from home.models import HomePage

    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=locale).first()
    if home is None:
        home = HomePage(
            title=SITE_NAME,
            slug="shidai-xianfeng",
            intro=HOME_INTRO,
            locale=locale,
            show_in_menus=False,
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    hostname, port = site_origin()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=SITE_NAME
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" placeholder
    apply_site_url(site)
    return home, site


def apply_site_url(site=None):
    """Point the default ``Site`` at ``SITE_URL``; True when it changed."""
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return False
    hostname, port = site_origin()
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save()
    return True


def ensure_site_settings(site, locale):
    from pioneer.core.models import SiteSettings, SiteText

    site_settings = SiteSettings.for_site(site)
    if site_settings.text_id is None:
        text = SiteText.objects.filter(locale=locale).first()
        site_settings.text = text or SiteText.objects.create(locale=locale)
        site_settings.save()
    return site_settings


def ensure_synchronised_tree(source, target):
    """New Chinese pages appear in the English tree as aliases until translated."""
    from wagtail_localize.models import LocaleSynchronization

    sync, created = LocaleSynchronization.objects.get_or_create(
        locale=target, defaults={"sync_from": source}
    )
    if not created:
        sync.sync_trees()  # pages added since the last run


def build_structure():
    """The page tree, regions and settings (no roles): the dict ``load_demo`` builds on."""
    from lessons.models import LessonIndexPage
    from news.models import NewsIndexPage, PolicyIndexPage
    from notices.models import NoticeIndexPage
    from pioneer.core.five_functions import FUNCTION_SLUGS, Function
    from pioneer.core.regions import ensure_region_translations, ensure_regions
    from schedule.models import SchedulePage

    with translation.override("zh-hans"):
        locale, english = ensure_locales()
        regions, _created = ensure_regions(locale)
        ensure_region_translations(locale, english)
        home, site = ensure_home(locale)
        ensure_site_settings(site, locale)
        lessons, _ = ensure_child(
            home,
            LessonIndexPage,
            "lessons",
            title="课程",
            intro="全省远程教育课件库中的全部课程，按最新发布排列。",
            show_in_menus=True,
        )
        function_indexes = {}
        for choice in Function:
            function_indexes[choice.value], _ = ensure_child(
                lessons,
                LessonIndexPage,
                FUNCTION_SLUGS[choice],
                title=str(choice.label),
                function=choice.value,
                intro=FUNCTION_INTROS[choice.value],
            )
        news, _ = ensure_child(
            home,
            NewsIndexPage,
            "news",
            title="工作动态",
            intro="各市、县（市、区）远程教育工作的最新进展。",
            show_in_menus=True,
        )
        policies, _ = ensure_child(
            home,
            PolicyIndexPage,
            "policies",
            title="政策文件",
            intro="远程教育工作的通知、意见、方案、办法和重要讲话。废止的文件仍可查阅，并标明替代文件。",
            show_in_menus=True,
        )
        notices, _ = ensure_child(
            home,
            NoticeIndexPage,
            "notices",
            title="预警通知",
            intro="台风、汛情、疫情等紧急情况下，省、市、县远程教育办公室发给各终端站点和学员的预警通知。",
            show_in_menus=True,
        )
        schedule, _ = ensure_child(
            home,
            SchedulePage,
            "schedule",
            title="节目单",
            intro="远程教育频道每天播出的节目：现在播什么、接下来播什么，以及未来一周的安排。站点管理员可以订阅到手机日历，或打印贴在公告栏。",
        )
    return {
        "home": home,
        "site": site,
        "notices": notices,
        "schedule": schedule,
        "locale": locale,
        "english": english,
        "regions": regions,
        "lessons": lessons,
        "function_indexes": function_indexes,
        "news": news,
        "policies": policies,
    }


def setup_site():
    """The whole structure, then the offices' roles, the English tree and the shipped
    synonym groups; returns the tree dict with ``groups`` (the number of office groups)."""
    from pioneer.content_io.bulk import indexed_once
    from pioneer.editorial.role_setup import setup_roles
    from search import synonym_data

    # Hundreds of pages (each office's news section, the English tree): indexed for
    # search and references once, in bulk, not once a save.
    with indexed_once():
        tree = build_structure()
        with translation.override("zh-hans"):
            tree["groups"] = setup_roles(tree["locale"])
            with transaction.atomic():
                ensure_synchronised_tree(tree["locale"], tree["english"])
            tree["synonyms"] = synonym_data.load()
    return tree


def missing_structure():
    """What ``import_content`` needs and this site lacks (empty when ready)."""
    from lessons.models import LessonIndexPage
    from news.models import NewsIndexPage, PolicyIndexPage
    from pioneer.core.models import Region

    locale = Locale.objects.filter(language_code="zh-hans").first()
    if locale is None:
        return ["语言"]
    missing = []
    if not Region.objects.filter(locale=locale).exists():
        missing.append("地区")
    if LessonIndexPage.objects.filter(locale=locale).exclude(function="").count() < 5:
        missing.append("课程目录")
    if not NewsIndexPage.objects.filter(locale=locale, slug="news").exists():
        missing.append("工作动态")
    if not PolicyIndexPage.objects.filter(locale=locale, slug="policies").exists():
        missing.append("政策文件库")
    return missing
