"""Demo skeleton: locales, regions, site settings and the page tree every section hangs on."""

from django.utils import translation
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from lessons.functions import FUNCTION_SLUGS, Function
from lessons.models import LessonIndexPage
from news.models import NewsIndexPage, PolicyIndexPage
from pioneer.demo import ensure_child
from pioneer.models import Region, SiteSettings, SiteText

# slug, full name, short name, level, parent slug
REGIONS = [
    ("zhejiang", "浙江省", "浙江", "province", None),
    ("hangzhou", "杭州市", "杭州", "city", "zhejiang"),
    ("ningbo", "宁波市", "宁波", "city", "zhejiang"),
    ("wenzhou", "温州市", "温州", "city", "zhejiang"),
    ("jiaxing", "嘉兴市", "嘉兴", "city", "zhejiang"),
    ("huzhou", "湖州市", "湖州", "city", "zhejiang"),
    ("shaoxing", "绍兴市", "绍兴", "city", "zhejiang"),
    ("jinhua", "金华市", "金华", "city", "zhejiang"),
    ("quzhou", "衢州市", "衢州", "city", "zhejiang"),
    ("zhoushan", "舟山市", "舟山", "city", "zhejiang"),
    ("taizhou", "台州市", "台州", "city", "zhejiang"),
    ("lishui", "丽水市", "丽水", "city", "zhejiang"),
    ("tonglu", "桐庐县", "桐庐", "county", "hangzhou"),
    ("keqiao", "柯桥区", "柯桥", "county", "shaoxing"),
    ("anji", "安吉县", "安吉", "county", "huzhou"),
    ("yuyao", "余姚市", "余姚", "county", "ningbo"),
    ("suichang", "遂昌县", "遂昌", "county", "lishui"),
    ("jiangshan", "江山市", "江山", "county", "quzhou"),
]

HOME_INTRO = (
    "时代先锋网是浙江省农村党员干部现代远程教育的教学辅助网站。"
    "这里汇集了省、市、县制作的课件和节目，按思想理论教育、实用技术培训、文化艺术熏陶、"
    "学历教育培训、信息沟通与应急响应五大功能分类，村里的终端接收站点和每一位学员都可以随时观看、下载。"
)

FUNCTION_INTROS = {
    Function.THEORY: "党的理论、党史党章和政策解读，帮助农村党员干部学懂弄通、学以致用。",
    Function.SKILLS: "种植、养殖、农村电商等实用技术，一看就懂、一学就会。",
    Function.CULTURE: "越剧、婺剧、剪纸、农民画和乡村文化礼堂，丰富村民的精神生活。",
    Function.EDUCATION: "开放大学和成人学历教育课程，让农村党员干部在家门口提升学历。",
    Function.RESPONSE: "防台防汛、森林防火、防范诈骗和社会保障政策，关键时刻用得上。",
}


def ensure_locales():
    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    Locale.objects.get_or_create(language_code="en")
    return zh


def ensure_regions(locale):
    regions = {}
    for order, (slug, name, short, level, parent) in enumerate(REGIONS):
        region = Region.objects.filter(slug=slug, locale=locale).first()
        if region is None:
            region = Region.objects.create(
                slug=slug,
                name=name,
                short_name=short,
                level=level,
                parent=regions.get(parent),
                sort_order=order,
                locale=locale,
            )
        regions[slug] = region
    return regions


def ensure_home(locale):
    """Put a HomePage at the site root, replacing Wagtail's placeholder welcome page."""
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=locale).first()
    if home is None:
        home = HomePage(
            title="时代先锋网",
            slug="shidai-xianfeng",
            intro=HOME_INTRO,
            locale=locale,
            show_in_menus=False,
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="时代先锋网",
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "时代先锋网"
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" placeholder
    settings = SiteSettings.for_site(site)
    if settings.text_id is None:
        settings.text = SiteText.objects.create(
            locale=locale, contact_address="浙江省杭州市（演示地址）"
        )
        settings.contact_phone = "0571-8700 0000"  # a number reads the same in English
        settings.contact_email = "ycjy@example.org"
        settings.icp_number = "浙ICP备00000000号-1（演示）"
        settings.save()
    return home, site


def build_site():
    """The skeleton: home page, lesson indexes per function, news and policy library."""
    with translation.override("zh-hans"):
        locale = ensure_locales()
        regions = ensure_regions(locale)
        home, _site = ensure_home(locale)
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
                intro=FUNCTION_INTROS[choice],
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
    return {
        "home": home,
        "locale": locale,
        "regions": regions,
        "lessons": lessons,
        "function_indexes": function_indexes,
        "news": news,
        "policies": policies,
    }
