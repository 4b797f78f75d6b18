from django.core.management.base import BaseCommand

from home.demo import build_site
from pioneer.site_setup import setup_site


class Command(BaseCommand):
    help = (
        "Fill the site (built by setup_site) with the original Chinese demo content (idempotent)."
    )

    def handle(self, *args, **options):
        from home.demo_i18n import translate_demo, translate_demo_snippets
        from lessons.demo import load_lessons
        from news.demo import load_news, load_policies

        groups = setup_site()["groups"]
        tree = build_site()
        self.stdout.write("站点结构：首页、课程（五大功能）、工作动态、政策文件 ✓")
        self.stdout.write(f"省、市、县编辑和审核：{groups} 个用户组，审核流程已就绪")
        for label, loader in (
            ("课程和专题", load_lessons),
            ("工作动态", load_news),
            ("政策文件", load_policies),
            ("英文译本（话题和网站文字）", translate_demo_snippets),
            ("英文译本（页面）", translate_demo),
        ):
            created, total = loader(tree)
            # What exists now, then what this run added (0 on a second run).
            self.stdout.write(f"{label}：共 {total} 个，本次新建 {created} 个")
        self.stdout.write(self.style.SUCCESS("演示内容已就绪"))
