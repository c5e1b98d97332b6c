#!/usr/bin/env python3
"""Builds seeds/countries.json from the npm package world-countries plus a hand-written overlay.

Usage (from the repository root; needs only Python 3.8+, not npm at test time):
    cd /tmp && npm pack world-countries@5.1.0 && tar xzf world-countries-5.1.0.tgz
    python3 seeds/tools/build-countries.py /tmp/package/countries.json > seeds/countries.json

The package (ODbL-1.0, see seeds/countries.LICENSE.md) gives every ISO 3166-1 country its common
and official names, alternative spellings, English demonyms, capital, region and subregion.
seeds/tools/countries-overlay.json adds what a news reader knows and the data does not: seats of
government and leaders used as metonyms ("the Kremlin"), major cities and states, ambiguous forms
that count only next to a clear mention ("Georgia", "Jordan", "Chad", "Turkey"), phrases that look
like countries but are not ("Paris Agreement", "New Mexico" as a US place), forms to drop, and
regions and political groups (EU, G7, NATO) on top of the package's continents and subregions.
"""
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ("aliases", "demonyms", "metonyms", "places", "ambiguous")


def latin(text):
    """Forms in other scripts never occur in English news; Latin letters with accents do (Türkiye)."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def usable_spelling(spelling, country):
    # Codes ("AF", "IN", "NO") are common words in upper-case titles; inverted ISO names
    # ("Korea, Republic of") and parenthesized forms never appear in running text.
    codes = {country["cca2"], country["cca3"], country.get("ccn3", ""), country.get("cioc", "")}
    return spelling not in codes and "," not in spelling and "(" not in spelling and latin(spelling)


def data_forms(country):
    names = [country["name"]["common"], country["name"]["official"]]
    names += [s for s in country.get("altSpellings", []) if usable_spelling(s, country)]
    # "Antiguan, Barbudan" and "Kittitian or Nevisian" are two demonyms each.
    demonyms = [part for d in (country.get("demonyms", {}).get("eng") or {}).values() if d
                for part in re.split(r",\s*|\s+or\s+", d)]
    capital = next(iter(country.get("capital") or []), None)
    return names, demonyms, capital


def unique(items):
    seen, result = set(), []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            result.append(item)
    return result


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        data = [c for c in json.load(f) if c.get("status") == "officially-assigned"]
    with open(argv[2] if len(argv) == 3 else os.path.join(HERE, "countries-overlay.json"), encoding="utf-8") as f:
        overlay = json.load(f)

    hand = overlay["countries"]
    drop = set(overlay.get("drop", []))
    not_countries = set(overlay["notCountries"])
    entries = []
    for country in sorted(data, key=lambda c: c["cca2"]):
        code = country["cca2"]
        extra = hand.get(code, {})
        names, demonyms, capital = data_forms(country)
        name = extra.get("name", names[0])
        entries.append({
            "code": code,
            "independent": bool(country.get("independent")),
            "name": name,
            "aliases": unique(a for a in names + extra.get("aliases", []) if a != name),
            "demonyms": unique(demonyms + extra.get("demonyms", [])),
            "capital": extra.get("capital", capital),
            "metonyms": extra.get("metonyms", []),
            "places": extra.get("places", []),
            "ambiguous": extra.get("ambiguous", []),
            "hand": {variant for kind in KINDS for form in extra.get(kind, []) for variant in (form, form + "s")}
                    | {extra.get("capital"), extra.get("name")},
            "region": country["region"],
            "subregion": country["subregion"],
        })

    # A form must name one country. The overlay decides where it speaks; otherwise the one
    # sovereign claimant wins ("Norwegian" is Norway's, not Svalbard's); otherwise nobody gets it.
    claims = {}
    for entry in entries:
        for form in [entry["name"], entry["capital"]] + [f for kind in KINDS for f in entry[kind]]:
            if form:
                claims.setdefault(form, set()).add(entry["code"])
                if form in entry["demonyms"]:
                    claims.setdefault(form + "s", set()).add(entry["code"])
    owner = {}
    for form, codes in claims.items():
        by_hand = [e["code"] for e in entries if e["code"] in codes and form in e["hand"]]
        sovereign = [e["code"] for e in entries if e["code"] in codes and e["independent"]]
        if len(codes) == 1:
            owner[form] = next(iter(codes))
        elif len(by_hand) == 1:
            owner[form] = by_hand[0]
        elif len(sovereign) == 1:
            owner[form] = sovereign[0]
        else:
            print(f"dropped '{form}': claimed by {', '.join(sorted(codes))}", file=sys.stderr)

    def keep(entry, form):
        return form not in drop and form not in not_countries and owner.get(form) == entry["code"]

    countries = []
    for entry in entries:
        out = {"code": entry["code"], "name": entry["name"]}
        for kind in KINDS:
            forms = [f for f in entry[kind] if keep(entry, f) and (kind != "demonyms" or keep(entry, f + "s"))]
            if forms:
                out[kind] = forms
        if entry["capital"] and keep(entry, entry["capital"]):
            out["capital"] = entry["capital"]
        countries.append(out)

    codes = [c["code"] for c in countries]
    regions = []
    for region in overlay["regions"]:
        members = set(region.get("members", []))
        members |= {e["code"] for e in entries if e["region"] in region.get("regions", []) or e["subregion"] in region.get("subregions", [])}
        members -= set(region.get("remove", []))
        unknown = members - set(codes)
        if unknown:
            sys.exit(f"region {region['name']}: unknown codes {sorted(unknown)}")
        regions.append({"name": region["name"], "aliases": region.get("aliases", []), "members": sorted(members)})

    document = {
        "version": 1,
        "about": overlay["about"],
        "weights": overlay["weights"],
        "comparisonSuffixes": overlay["comparisonSuffixes"],
        "notCountries": overlay["notCountries"],
        "countries": countries,
        "regions": regions,
    }
    # One country or region a line: reviewable diffs, still valid JSON.
    lines = ["{"] + [f'  "{k}": {json.dumps(v, ensure_ascii=False)},' for k, v in document.items() if k not in ("countries", "regions")]
    for key in ("countries", "regions"):
        items = document[key]
        lines.append(f'  "{key}": [')
        lines += ["    " + json.dumps(item, ensure_ascii=False) + ("," if i < len(items) - 1 else "") for i, item in enumerate(items)]
        lines.append("  ]" + ("," if key == "countries" else ""))
    lines.append("}")
    sys.stdout.write("\n".join(lines) + "\n")
    print(f"{len(countries)} countries, {len(regions)} regions", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
