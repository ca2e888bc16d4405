"""Create (or complete) a municipality and apply starter kits: ``municipality_bootstrap``.

    python manage.py municipality_bootstrap --list-kits
    python manage.py municipality_bootstrap --slug kilkis --name-el "Δήμος Κιλκίς" \\
        --name-genitive "Δήμου Κιλκίς" --name-accusative "Δήμο Κιλκίς" \\
        --name-en "Municipality of Kilkis" --code KIL --host kilkis.dimos.gr \\
        --open311-jurisdiction kilkis.gr --centre 40.993,22.875 \\
        --boundary kilkis.geojson --units kilkis-units.geojson \\
        --kit departments --kit report-categories --kit eservices --kit appointments

Greek sentences need the name in the genitive («του Δήμου Κιλκίς») and the
accusative («στον Δήμο Κιλκίς»). Without ``--name-genitive`` / ``--name-accusative``
the command suggests them from the Greek name and, at a terminal, asks to confirm
or correct each one; otherwise it uses the suggestion and prints it.

The work is done by ``dimos.core.bootstrap.municipality_bootstrap``; this command
only reads the files and the arguments.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dimos.core.bootstrap import kits_available, municipality_bootstrap
from dimos.core.exceptions import ApplicationError
from dimos.core.greek import greek_name_cases


class Command(BaseCommand):
    help = "Create (or complete) a municipality and apply starter kits (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list-kits", action="store_true", help="List the available starter kits.")
        parser.add_argument("--slug")
        parser.add_argument("--name-el", help="Greek name, e.g. «Δήμος Κιλκίς».")
        parser.add_argument(
            "--name-genitive", default="", help="Greek name in the genitive, e.g. «Δήμου Κιλκίς»."
        )
        parser.add_argument(
            "--name-accusative", default="", help="Greek name in the accusative, e.g. «Δήμο Κιλκίς»."
        )
        parser.add_argument(
            "--no-input", action="store_true", help="Do not ask; use the suggested cases when not given."
        )
        parser.add_argument("--name-en", help="English name.")
        parser.add_argument("--code", help="2–8 capital Latin letters or digits, e.g. KIL.")
        parser.add_argument("--host", action="append", default=[], help="A host name (repeatable).")
        parser.add_argument("--open311-jurisdiction", help="Open311 jurisdiction_id (default: SLUG.gr).")
        parser.add_argument("--centre", help="Map centre as LAT,LON.")
        parser.add_argument("--boundary", help="GeoJSON file: the municipal boundary (Polygon or Feature).")
        parser.add_argument(
            "--units",
            help="GeoJSON FeatureCollection of municipal units (properties: name_el, name_en, population).",
        )
        parser.add_argument(
            "--kit", action="append", default=[], help="A starter kit name or JSON file (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_kits"]:
            self._list_kits()
            return
        missing = [k for k in ("slug", "name_el", "name_en", "code", "centre") if not options[k]]
        if missing or not options["host"]:
            names = [f"--{k.replace('_', '-')}" for k in missing] + ([] if options["host"] else ["--host"])
            raise CommandError(f"Missing: {', '.join(names)} (or --list-kits).")
        try:
            lat, lon = (float(v) for v in options["centre"].split(","))
        except ValueError as exc:
            raise CommandError("--centre must be LAT,LON, e.g. 41.0857,23.5480") from exc
        boundary = _geometry(_read_json(options["boundary"])) if options["boundary"] else None
        units = _units(options["units"]) if options["units"] else []
        genitive, accusative = self._cases(options)
        try:
            municipality = municipality_bootstrap(
                slug=options["slug"],
                name_el=options["name_el"],
                name_en=options["name_en"],
                code=options["code"],
                hostnames=options["host"],
                open311_jurisdiction=options["open311_jurisdiction"] or f"{options['slug']}.gr",
                centre_lat=lat,
                centre_lon=lon,
                boundary=boundary,
                units=units,
                kits=[Path(k) if k.endswith(".json") else k for k in options["kit"]],
                name_genitive=genitive,
                name_accusative=accusative,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{municipality.name_el} ({municipality.code}) ready at "
                f"{', '.join(municipality.hostnames)}; kits: {', '.join(options['kit']) or '—'}."
            )
        )
        self.stdout.write(
            f"Genitive: «του {municipality.name_genitive}» · accusative: «στον {municipality.name_accusative}» "
            "(correct them with --name-genitive / --name-accusative or in the admin)."
        )

    def _cases(self, options: dict[str, Any]) -> tuple[str, str]:
        """The genitive and accusative: given, else suggested and (at a terminal) confirmed."""
        suggested = greek_name_cases(options["name_el"])
        given = [options["name_genitive"].strip(), options["name_accusative"].strip()]
        interactive = not options["no_input"] and sys.stdin.isatty()
        cases = []
        for value, suggestion, prompt in zip(
            given, suggested, ("Genitive (του …)", "Accusative (στον …)"), strict=True
        ):
            if not value and interactive:
                value = input(f"{prompt} [{suggestion}]: ").strip()
            cases.append(value or suggestion)
        return cases[0], cases[1]

    def _list_kits(self) -> None:
        try:
            kits = kits_available()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for kit in kits:
            counts = ", ".join(f"{name} {len(rows)}" for name, rows in kit.sections.items())
            self.stdout.write(f"{kit.name:22} {kit.title_el}")
            self.stdout.write(f"{'':22} {kit.title_en} [{counts}]")


def _read_json(name: str) -> Any:
    try:
        return json.loads(Path(name).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{name}: {exc}") from exc


def _geometry(data: Any) -> dict[str, Any]:
    """A GeoJSON geometry, from a geometry, a Feature or a one-feature collection."""
    if (
        isinstance(data, dict)
        and data.get("type") == "FeatureCollection"
        and len(data.get("features", [])) == 1
    ):
        data = data["features"][0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        raise CommandError("The boundary must be a GeoJSON Polygon or MultiPolygon.")
    return data


def _units(name: str) -> list[dict[str, Any]]:
    data = _read_json(name)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise CommandError(f"{name}: expected a GeoJSON FeatureCollection.")
    units = []
    for index, feature in enumerate(data.get("features", [])):
        props = feature.get("properties") or {}
        if not props.get("name_el"):
            raise CommandError(f"{name}: feature {index + 1} has no properties.name_el.")
        units.append(
            {
                "name_el": props["name_el"],
                "name_en": props.get("name_en", ""),
                "population": props.get("population"),
                "seat_lat": props.get("seat_lat"),
                "seat_lon": props.get("seat_lon"),
                "boundary": _geometry(feature),
            }
        )
    return units
