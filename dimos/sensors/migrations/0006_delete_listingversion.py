"""The NGSI-LD listing no longer keeps a version row per municipality (every ingest batch
updated it): the listing has a short micro-cache instead (``ngsild/listing.py``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sensors", "0005_listing_version")]
    operations = [migrations.DeleteModel(name="ListingVersion")]
