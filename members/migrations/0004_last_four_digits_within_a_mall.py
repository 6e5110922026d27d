"""The last-four-digits lookup reads only the desk's own mall's rows: at
1,000,000 members a tail is shared by about 100 members, 55 of them in one
mall, each on its own heap page. The table is analysed at once: without
statistics on the new expression the planner guessed 2,700 matches and
walked the name index of the whole mall instead (640 ms against 0.5 ms)."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_name_search_without_pending_list"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="member", name="member_phone_last4"),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                django.db.models.functions.text.Right("phone", 4),
                models.F("mall"),
                name="member_phone_last4_mall",
            ),
        ),
        migrations.RunSQL("ANALYZE members_member", migrations.RunSQL.noop),
    ]
