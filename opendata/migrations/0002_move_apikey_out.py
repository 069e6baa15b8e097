"""Move the API keys from opendata to core: rename their table in place.

The table keeps every key and is only renamed (`opendata_apikey` →
`core_apikey`); `core.0005_apikey` then takes the model over in Django's state
without touching the rows, adds the scopes and moves the content type (with its
permissions and the groups holding them).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("opendata", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="apikey", table="core_apikey"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiKey")],
            database_operations=[],
        ),
    ]
