"""Rebuilds minsheng-rare.ttf, the fallback face for rare characters (生僻字), from Hanazono Mincho.

A dev-time step, run once and committed with its result; the application never runs it and does not
depend on fontTools. The main face (WenQuanYi Zen Hei) has no CJK Extension B-F, so names such as
"𠮷野家" lost their first character on paper. This script keeps from Hanazono Mincho exactly what the
main face lacks among the CJK ideograph blocks:

- from HanaMinB.ttf every glyph in Extensions B to F (U+20000-U+2EBEF), 60,316 characters;
- from HanaMinA.ttf the URO and compatibility ideographs the main face misses (U+9FCC-U+9FEA and a
  few others: 48 characters, chemical elements such as 鿏 among them).

Layout tables, hinting and vertical metrics are dropped (reportlab and the UI draw horizontal text
only); outlines are kept as they are. The face is renamed "Minsheng Rare CJK": the source is offered
under the Hanazono Font Licence or the SIL OFL 1.1, and the OFL reserves the names HanaMinA/HanaMinB
for unmodified fonts (LICENSE-Hanazono.txt, shipped beside the result, has both texts).
The output is repeatable byte for byte: timestamps come from the source fonts, not the clock.

Source: Debian's fonts-hanazono 20170904-2.1 (`apt-get download fonts-hanazono`, then
`dpkg-deb -x fonts-hanazono_*.deb x`); the fonts are in x/usr/share/fonts/truetype/hanazono/.

    python -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools==4.68.0
    /tmp/ft/bin/python resources/fonts/build_rare_font.py HanaMinA.ttf HanaMinB.ttf
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
MAIN_FONT = HERE / "wqy-zenhei.ttc"
MAIN_FACE_INDEX = 0
OUTPUT = HERE / "minsheng-rare.ttf"
FAMILY = "Minsheng Rare CJK"
POSTSCRIPT = "MinshengRareCJK"

EXTENSIONS_B_TO_F = range(0x20000, 0x2EBF0)
BMP_IDEOGRAPHS = [range(0x3400, 0x4DC0), range(0x4E00, 0xA000), range(0xF900, 0xFB00)]


def _options() -> subset.Options:
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.glyph_names = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["DSIG", "GSUB", "GPOS", "GDEF", "vhea", "vmtx", "VORG", "FFTM", "BASE", "prop"]
    return options


def _subset(path: Path, unicodes: list[int]) -> bytes:
    font = TTFont(str(path), recalcTimestamp=False)
    subsetter = subset.Subsetter(_options())
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _rename(font: TTFont) -> None:
    """New family name (OFL reserved names); the copyright and licence records are kept."""
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 18, 21, 22):
            names.removeNames(nameID=record.nameID)
    for name_id, value in ((1, FAMILY), (2, "Regular"), (3, f"{POSTSCRIPT}-Regular"), (4, FAMILY), (6, POSTSCRIPT)):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    names.setName(
        "Subset of HanaMinA/HanaMinB (GlyphWiki Project, Hanazono Font Licence or SIL OFL 1.1): "
        "CJK ideographs missing from WenQuanYi Zen Hei, for the Minsheng workstation.",
        10, 3, 1, 0x409,
    )


def build(hana_a: Path, hana_b: Path, output: Path = OUTPUT) -> None:
    main = set(TTCollection(str(MAIN_FONT)).fonts[MAIN_FACE_INDEX].getBestCmap())
    b_cmap = TTFont(str(hana_b), lazy=True).getBestCmap()
    a_cmap = TTFont(str(hana_a), lazy=True).getBestCmap()
    from_b = [c for c in EXTENSIONS_B_TO_F if c in b_cmap and c not in main]
    from_a = [c for block in BMP_IDEOGRAPHS for c in block if c in a_cmap and c not in main and c not in b_cmap]
    parts = [io.BytesIO(_subset(hana_b, from_b)), io.BytesIO(_subset(hana_a, from_a))]
    merged = Merger().merge(parts)
    _rename(merged)
    merged["head"].created = TTFont(str(hana_b), lazy=True)["head"].created
    merged["head"].modified = merged["head"].created
    merged["OS/2"].fsType = 0  # installable embedding, as in the sources
    merged.recalcTimestamp = False
    merged.save(str(output))
    print(f"{output}: {len(from_b)} + {len(from_a)} characters, {output.stat().st_size:,} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hana_a", type=Path, help="HanaMinA.ttf")
    parser.add_argument("hana_b", type=Path, help="HanaMinB.ttf")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    build(args.hana_a, args.hana_b, args.output)


if __name__ == "__main__":
    main()
