from django.core.management.base import BaseCommand, CommandError

from notices.demo import load_demo_notices
from pioneer.content_io.bulk import indexed_once
from pioneer.demo.english import translate_demo, translate_demo_snippets
from pioneer.demo.loader import SECTIONS, DemoDataError, build_site, import_records, media_folder
from pioneer.demo.media import MediaListError
from pioneer.site_setup import setup_site
from schedule.demo import load_demo_schedule


def _messages(locale):
    from station_messages.demo import load_demo_messages
    from station_messages.models import StationMessage

    return load_demo_messages(locale), StationMessage.objects.count()


class Command(BaseCommand):
    help = (
        "Fill the site (built by setup_site) with the original Chinese demo content "
        "from site/data/demo/, through the importer and wagtail-localize (idempotent)."
    )

    def handle(self, *args, **options):
        # Every page, snippet and file the demo saves is indexed for search and
        # references once, in bulk, at the end (and after each import batch).
        with indexed_once():
            self.load()

    def load(self):
        groups = setup_site()["groups"]
        tree = build_site()
        self.stdout.write(
            "站点结构：首页、课程（五大功能）、工作动态、政策文件、预警通知、节目单 ✓"
        )
        self.stdout.write(f"省、市、县编辑和审核：{groups} 个用户组，审核流程已就绪")
        try:
            folder = media_folder()
            steps = [
                (label, lambda name=name, models=models: import_records(name, models, folder))
                for label, name, models in SECTIONS
            ]
        except MediaListError as error:
            raise CommandError(str(error)) from error
        steps += [
            ("预警通知", lambda: load_demo_notices(tree["locale"])),
            ("站点留言", lambda: _messages(tree["locale"])),
            ("节目单（一周）", lambda: load_demo_schedule(tree["locale"])),
            ("英文译本（话题和网站文字）", lambda: translate_demo_snippets(tree)),
            ("英文译本（页面）", lambda: translate_demo(tree)),
        ]
        for label, step in steps:
            try:
                created, total = step()
            except DemoDataError as error:
                raise CommandError(f"演示数据有错误：\n{error}") from error
            # What exists now, then what this run added (0 on a second run).
            self.stdout.write(f"{label}：共 {total} 个，本次新建 {created} 个")
        self.stdout.write(self.style.SUCCESS("演示内容已就绪"))
