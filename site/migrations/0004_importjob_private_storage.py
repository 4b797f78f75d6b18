"""Import uploads move to the private ``imports`` storage (issue 20): a file of a job
that can still run is moved there; the others, which nothing reads any more, go."""

from django.db import migrations, models

import pioneer.models


def move_uploads(apps, schema_editor):
    from django.core.files.storage import default_storage, storages

    ImportJob = apps.get_model("pioneer", "ImportJob")
    private = storages["imports"]
    for job in ImportJob.objects.exclude(file="").iterator():
        name = job.file.name
        if not default_storage.exists(name):
            continue
        if job.status == "validated" and (not job.errors or job.skip_invalid):
            with default_storage.open(name, "rb") as handle:
                stored = private.save(name, handle)
            if stored != name:
                ImportJob.objects.filter(pk=job.pk).update(file=stored)
        default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("pioneer", "0003_regionalapprovaltask_regionrole"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importjob",
            name="file",
            field=models.FileField(
                storage=pioneer.models.import_storage, upload_to="imports/", verbose_name="文件"
            ),
        ),
        migrations.RunPython(move_uploads, migrations.RunPython.noop),
    ]
