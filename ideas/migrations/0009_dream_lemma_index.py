import core.text.search
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ideas", "0008_dream_language_search")]

    operations = [
        migrations.AddIndex(
            model_name="dream",
            index=core.text.search.LemmaIndex(
                field="search_terms", name="ideas_dream_lemmas"
            ),
        ),
    ]
