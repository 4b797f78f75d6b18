from django.core.management.base import BaseCommand
from wagtail.models import Page

from pioneer.core.models import Region
from pioneer.core.regions import source
from pioneer.site_setup import setup_site


class Command(BaseCommand):
    help = (
        "Build what the programme's site needs (regions, page structure, settings, the "
        "offices' groups and workflows, the public address); idempotent."
    )

    def handle(self, *args, **options):
        before = (Region.objects.count(), Page.objects.count())
        tree = setup_site()
        data = source()
        regions = Region.objects.filter(locale=tree["locale"])
        self.stdout.write(
            f"地区：{regions.count()} 个（{data['package']} {data['version']}，"
            f"数据截至 {data['data_date']}）"
        )
        self.stdout.write("站点结构：首页、课程（五大功能）、工作动态（各地区栏目）、政策文件 ✓")
        self.stdout.write(f"省、市、县编辑和审核：{tree['groups']} 个用户组，审核流程已就绪")
        self.stdout.write(f"网站地址：{tree['site'].root_url}")
        after = (Region.objects.count(), Page.objects.count())
        added = f"新增地区 {after[0] - before[0]} 个、页面 {after[1] - before[1]} 个"
        self.stdout.write(self.style.SUCCESS(f"站点已就绪（{added}）"))
