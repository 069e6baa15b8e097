# Placeholder for insights' first migration (helper "insmetrics" lands the real
# 0001_initial; on merging, theirs replaces this empty one and 0002 follows it).

from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations: list = []
