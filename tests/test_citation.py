"""Cite this book: CITATION.cff and the BibTeX entry on the landing page say the same thing.

Both must agree with each other and with _config.yml (the book's title, its year, the
repository) and point at the published site, https://OWNER.github.io/REPO/ for the
repository named in _config.yml (the site .github/workflows/publish.yml publishes).
"""

import pathlib
import re
import urllib.parse

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text())
INTRO = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")


def pages_url():
    """The GitHub Pages address of the repository in _config.yml."""
    path = urllib.parse.urlparse(CONFIG["repository"]["url"]).path.strip("/")
    owner, repo = path.split("/")[:2]
    return f"https://{owner}.github.io/{repo}/"


def bibtex_entry():
    """(entry type, key, {field: value}) of the one ```bibtex block of the landing page."""
    blocks = re.findall(r"```bibtex\n(.*?)```", INTRO, re.DOTALL)
    assert len(blocks) == 1, f"expected one ```bibtex block in book/intro.md, found {len(blocks)}"
    head = re.match(r"\s*@(\w+)\{([^,\s]+),", blocks[0])
    assert head, f"not a BibTeX entry: {blocks[0][:80]!r}"
    fields = {}
    for name, value in re.findall(r"^\s*(\w+)\s*=\s*\{(.*)\},?\s*$", blocks[0], re.MULTILINE):
        fields[name.lower()] = value
    return head.group(1).lower(), head.group(2), fields


def unbrace(value):
    return re.sub(r"[{}]", "", value).strip()


def cff_authors(record):
    return [author.get("name") or f"{author['given-names']} {author['family-names']}" for author in record["authors"]]


def test_cff_has_what_a_citation_needs():
    assert CFF["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "license", "repository-code", "url", "preferred-citation"):
        assert CFF.get(key), f"CITATION.cff lacks {key}"
    assert CFF["preferred-citation"]["type"] == "book"


def test_cff_matches_the_book_configuration():
    assert CFF["title"] == CONFIG["title"]
    assert CFF["preferred-citation"]["title"] == CONFIG["title"]
    assert cff_authors(CFF) == cff_authors(CFF["preferred-citation"]) == [CONFIG["author"]]
    assert CFF["repository-code"] == CONFIG["repository"]["url"]
    assert str(CFF["preferred-citation"]["year"]) == str(CONFIG["copyright"])
    assert CFF["url"] == CFF["preferred-citation"]["url"] == pages_url()
    license_file = (ROOT / "LICENSE").read_text()
    assert CFF["license"] == "MIT" and "MIT License" in license_file


def test_bibtex_on_the_landing_page_matches_the_cff():
    entry_type, key, fields = bibtex_entry()
    cited = CFF["preferred-citation"]
    assert entry_type == cited["type"], f"@{entry_type} in book/intro.md, type {cited['type']} in CITATION.cff"
    assert re.fullmatch(r"[a-z0-9_]+", key), f"BibTeX key {key!r}: use lowercase letters, digits and _"
    assert unbrace(fields["title"]) == cited["title"]
    assert [unbrace(name) for name in fields["author"].split(" and ")] == cff_authors(cited)
    assert fields["year"] == str(cited["year"])
    assert fields["url"] == cited["url"]
    assert CFF["repository-code"] in fields.get("note", ""), "the BibTeX note should name the repository"
