#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
The screen check of the core-to-core heatmap: QEMU's screendump of the
framebuffer against what the kernel says it drew.

kernel/bench_matrix.c draws the matrix on the framebuffer console and
prints one line per thing drawn:

  SCREEN {"screen": [1024, 752], "font": [8, 16], "bpp": 32}
  SCREEN {"rect": [x, y, w, h], "rgb": [r, g, b]}
  SCREEN {"text": "1234", "at": [x, y], "fg": [r, g, b], "bg": [r, g, b]}

then "bench_matrix: screen drawn (M of 3 maps); holding it N s", the line on which the
boot matrix (tools/matrix.py, a boot with "screen": True) has QEMU's
monitor write `screendump <log>.ppm`. This module reads that PPM (P6)
and checks, pixel by pixel:

  - each text: every pixel of each character's box is the foreground
    where the glyph of the font the kernel uses (the PSF file GRUB loads,
    build/iso/boot/font.psf, read here as lib/psf.c reads it, Unicode
    table and all) has a bit, and the background elsewhere;
  - each rectangle: every pixel not under a text is its colour;
  - every other pixel of the picture area (the screen the kernel
    reported, above its status line) is the background, BACKGROUND: a
    stray block the kernel did not report fails;
  - each cell's colour is the one the scale gives its MATRIX p50,
    recomputed here (scale_colour(), kernel/bench_matrix.c's rule), not
    the colour the kernel says it used, and the cell's text is on it;
  - the screen's size is the one the kernel reported.

The status line below the picture area is the console's own, not
reported by SCREEN lines; it is only required to hold some text (not be
all background) when the screendump has rows below the picture area.

Colours must match exactly at 24 and 32 bpp; at 16 bpp a channel keeps
5 or 6 bits, so each may be off by TOLERANCE_16BPP. Pure: the log text,
the PPM bytes and the font bytes in, problems out. The CLI:

  bench_screen.py LOG PPM FONT     prints the problems; exit 1 if any
"""

import json
import os
import sys

sys.dont_write_bytecode = True          # keep tools/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_matrix                     # noqa: E402
import ktap                             # noqa: E402

PREFIX = "SCREEN "
DRAWN = "bench_matrix: screen drawn"
# At 16 bpp (5:6:5) the framebuffer drops the low 3 bits of red and blue.
TOLERANCE_16BPP = 8
# Problems listed per item before "... more".
MAX_SHOWN = 5
# The picture's background: fbcon_picture_begin() clears to black.
BACKGROUND = (0, 0, 0)
# kernel/bench_matrix.c's colour scale: its resolution, its three stops
# (light green, yellow, light red) and the colour of a pair not measured.
COLOUR_STEPS = 256
SCALE = ((0x55, 0xff, 0x55), (0xff, 0xff, 0x55), (0xff, 0x55, 0x55))
NO_VALUE_RGB = [0x40, 0x40, 0x40]
# kernel/bench_matrix.c's MATRIX_SCREEN_CPUS: the maps show CPUs 0 to 15;
# a machine with more has every pair in its MATRIX lines only.
SCREEN_CPUS = 16

PSF1_MAGIC = b"\x36\x04"
PSF1_MODE512, PSF1_MODEHASTAB = 0x01, 0x02
PSF1_SEPARATOR, PSF1_STARTSEQ = 0xFFFF, 0xFFFE
PSF2_MAGIC = b"\x72\xb5\x4a\x86"
PSF2_HAS_UNICODE_TABLE = 0x01
PSF2_SEPARATOR, PSF2_STARTSEQ = 0xFF, 0xFE
MAP_SIZE = 256                          # lib/psf.c's PSF_MAP_SIZE: ASCII and Latin-1


class ScreenError(ValueError):
    """A file that cannot be read as what it should be."""


# ---------------------------------------------------------------------------
# The font, as lib/psf.c reads it.

class Font:
    def __init__(self, width, height, glyphs, cmap):
        self.width, self.height = width, height
        self.glyphs = glyphs            # list of bytes, one glyph each
        self.map = cmap                 # character -> glyph index
        self.bytes_per_row = (width + 7) // 8

    def bit(self, ch, x, y):
        """Is pixel (@x, @y) of @ch's glyph set?"""
        g = self.map.get(ord(ch), self.map.get(ord("?"), 0))
        if g >= len(self.glyphs):
            g = 0
        byte = self.glyphs[g][y * self.bytes_per_row + x // 8]
        return bool(byte & (0x80 >> (x % 8)))


def _finish_map(seen, nr_glyphs):
    fallback = seen.get(ord("?"), 0)
    return {c: seen.get(c, fallback) for c in range(MAP_SIZE)}


def load_psf(data):
    """A PSF1 or PSF2 file's bytes -> Font. Raises ScreenError."""
    seen = {}
    if data[:2] == PSF1_MAGIC:
        if len(data) < 4:
            raise ScreenError("PSF1 header cut short")
        mode, height = data[2], data[3]
        n = 512 if mode & PSF1_MODE512 else 256
        end = 4 + n * height
        if height == 0 or len(data) < end:
            raise ScreenError("PSF1 glyphs cut short")
        glyphs = [data[4 + i * height:4 + (i + 1) * height] for i in range(n)]
        if mode & PSF1_MODEHASTAB:
            pos, g, in_seq = end, 0, False
            while g < n and pos + 2 <= len(data):
                cp = data[pos] | data[pos + 1] << 8
                pos += 2
                if cp == PSF1_SEPARATOR:
                    g, in_seq = g + 1, False
                elif cp == PSF1_STARTSEQ:
                    in_seq = True
                elif not in_seq and cp < MAP_SIZE:
                    seen.setdefault(cp, g)      # the first listed wins
        else:
            seen = {c: c for c in range(min(n, MAP_SIZE))}
        return Font(8, height, glyphs, _finish_map(seen, n))
    if data[:4] == PSF2_MAGIC:
        if len(data) < 32:
            raise ScreenError("PSF2 header cut short")
        f = [int.from_bytes(data[i:i + 4], "little") for i in range(0, 32, 4)]
        _, _, hsize, flags, n, charsize, height, width = f
        end = hsize + n * charsize
        if not (width and height and n) or len(data) < end:
            raise ScreenError("PSF2 glyphs cut short")
        glyphs = [data[hsize + i * charsize:hsize + (i + 1) * charsize] for i in range(n)]
        if flags & PSF2_HAS_UNICODE_TABLE:
            g = 0
            for entry in data[end:].split(bytes([PSF2_SEPARATOR])):
                if g >= n:
                    break
                single = entry.split(bytes([PSF2_STARTSEQ]))[0]
                for ch in single.decode("utf-8", "replace"):
                    if ord(ch) < MAP_SIZE:
                        seen.setdefault(ord(ch), g)
                g += 1
        else:
            seen = {c: c for c in range(min(n, MAP_SIZE))}
        return Font(width, height, glyphs, _finish_map(seen, n))
    raise ScreenError("not a PSF1 or PSF2 font")


# ---------------------------------------------------------------------------
# The screendump.

class Image:
    def __init__(self, width, height, pixels):
        self.width, self.height, self.pixels = width, height, pixels

    def rgb(self, x, y):
        i = 3 * (y * self.width + x)
        return tuple(self.pixels[i:i + 3])


def read_ppm(data):
    """A binary PPM (P6, maxval 255, as QEMU's screendump writes) -> Image."""
    fields, pos = [], 0
    while len(fields) < 4:
        while pos < len(data) and data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            while pos < len(data) and data[pos:pos + 1] != b"\n":
                pos += 1
            continue
        start = pos
        while pos < len(data) and not data[pos:pos + 1].isspace():
            pos += 1
        if start == pos:
            raise ScreenError("PPM header cut short")
        fields.append(data[start:pos])
    pos += 1                            # the one whitespace before the pixels
    if fields[0] != b"P6":
        raise ScreenError(f"not a binary PPM (magic {fields[0][:8]!r})")
    try:
        w, h, maxval = (int(x) for x in fields[1:])
    except ValueError:
        raise ScreenError("PPM header is not numbers") from None
    if maxval != 255:
        raise ScreenError(f"PPM maxval {maxval}, not 255")
    if len(data) - pos < 3 * w * h:
        raise ScreenError(f"PPM of {w}x{h} has {len(data) - pos} bytes of "
                          f"pixels, not {3 * w * h}")
    return Image(w, h, data[pos:pos + 3 * w * h])


def write_ppm(img):
    return b"P6\n%d %d\n255\n" % (img.width, img.height) + bytes(img.pixels)


# ---------------------------------------------------------------------------
# What the kernel says it drew.

def parse(text):
    """A serial log -> (header or None, [items], drawn: bool, [errors])."""
    header, items, errors, drawn = None, [], [], False
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = ktap.clean_line(raw)
        if line.startswith(DRAWN):
            drawn = True
        if not line.startswith(PREFIX):
            continue
        try:
            rec = json.loads(line[len(PREFIX):])
        except ValueError as e:
            errors.append(f"line {lineno}: bad JSON: {e}")
            continue
        why = _check_item(rec)
        if why:
            errors.append(f"line {lineno}: {why}")
        elif "screen" in rec:
            header = rec
        else:
            items.append(rec)
    return header, items, drawn, errors


def _ints(v, n):
    return isinstance(v, list) and len(v) == n and \
        all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in v)


def _check_item(rec):
    if not isinstance(rec, dict):
        return "not a JSON object"
    if "screen" in rec:
        ok = _ints(rec.get("screen"), 2) and _ints(rec.get("font"), 2) and \
            rec.get("bpp") in (16, 24, 32)
        return None if ok else "header needs screen [w, h], font [w, h], bpp"
    if "rect" in rec:
        ok = _ints(rec["rect"], 4) and _ints(rec.get("rgb"), 3)
        cell = rec.get("cell", ["", 0, 0])
        ok = ok and isinstance(cell, list) and len(cell) == 3 and \
            isinstance(cell[0], str) and _ints(cell[1:], 2)
        return None if ok else ("rect needs [x, y, w, h], rgb [r, g, b], and "
                                "a cell is [figure, caller, target]")
    if "text" in rec:
        ok = isinstance(rec["text"], str) and _ints(rec.get("at"), 2) and \
            _ints(rec.get("fg"), 3) and _ints(rec.get("bg"), 3)
        return None if ok else "text needs at [x, y], fg and bg [r, g, b]"
    return "neither screen, rect nor text"


# ---------------------------------------------------------------------------
# The comparison.

def _close(a, b, tol):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def _lerp(a, b, t):
    return (a * (COLOUR_STEPS - 1 - t) + b * t) // (COLOUR_STEPS - 1)


def scale_colour(v, lo, hi):
    """The colour of @v on a map whose p50s run from @lo to @hi, as
    kernel/bench_matrix.c's scale_colour() computes it in integers:
    green at @lo, yellow half way, red at @hi."""
    half = COLOUR_STEPS - 1
    t = (v - lo) * (2 * half) // (hi - lo) if hi > lo else 0
    a, b = SCALE[0], SCALE[1]
    if t >= half:
        t -= half
        a, b = SCALE[1], SCALE[2]
    return [_lerp(x, y, t) for x, y in zip(a, b)]


def _text_box(item, font):
    x, y = item["at"]
    return x, y, x + len(item["text"]) * font.width, y + font.height


def compare(header, items, img, font):
    """The problems with @img as a picture of @items; [] when it is one."""
    if header is None:
        return ["no SCREEN header line (screen, font, bpp)"]
    bad = []
    w, h = header["screen"]
    if [font.width, font.height] != header["font"]:
        bad.append(f"the kernel's font is {header['font'][0]}x{header['font'][1]}, "
                   f"the font file's {font.width}x{font.height}")
    if img.width != w or img.height < h:
        bad.append(f"the screendump is {img.width}x{img.height}, the kernel "
                   f"drew on {w}x{h} (above its status line)")
    if bad:
        return bad
    tol = TOLERANCE_16BPP if header["bpp"] == 16 else 0
    texts = [t for t in items if "text" in t]
    rects = [r for r in items if "rect" in r]
    if not texts or not rects:
        return [f"the kernel said it drew {len(rects)} rectangles and "
                f"{len(texts)} texts: nothing to compare"]
    boxes = [_text_box(t, font) for t in texts]
    for t, (x0, y0, x1, y1) in zip(texts, boxes):
        if x1 > w or y1 > h:
            bad.append(f"text '{t['text']}' at {t['at']} runs off the screen")
            continue
        wrong = []
        for k, ch in enumerate(t["text"]):
            for gy in range(font.height):
                for gx in range(font.width):
                    px, py = x0 + k * font.width + gx, y0 + gy
                    want = t["fg"] if font.bit(ch, gx, gy) else t["bg"]
                    got = img.rgb(px, py)
                    if not _close(got, want, tol):
                        wrong.append(f"({px},{py}) is {list(got)}, not {want}")
        if wrong:
            bad.append(f"text '{t['text']}' at {t['at']}: {len(wrong)} pixels "
                       f"differ: " + "; ".join(wrong[:MAX_SHOWN]))
    bad += _check_background(img, w, h, tol, boxes,
                             [(x, y, x + rw, y + rh) for x, y, rw, rh in
                              (r["rect"] for r in rects)])
    for r in rects:
        x, y, rw, rh = r["rect"]
        inside = [b for b in boxes if b[0] < x + rw and x < b[2] and
                  b[1] < y + rh and y < b[3]]
        wrong, count = [], 0
        for py in range(y, min(y + rh, h)):
            for px in range(x, min(x + rw, w)):
                if any(b[0] <= px < b[2] and b[1] <= py < b[3] for b in inside):
                    continue
                got = img.rgb(px, py)
                if not _close(got, r["rgb"], tol):
                    count += 1
                    if len(wrong) < MAX_SHOWN:
                        wrong.append(f"({px},{py}) is {list(got)}")
        if count:
            bad.append(f"rect {r['rect']} should be {r['rgb']}: {count} pixels "
                       f"differ: " + "; ".join(wrong))
    return bad


def _check_background(img, w, h, tol, *box_lists):
    """Every pixel of the picture area outside the reported boxes is
    BACKGROUND; the status rows below it are not all background."""
    px = bytearray(img.pixels[:3 * w * h])
    for boxes in box_lists:
        for x0, y0, x1, y1 in boxes:
            x0, x1 = min(x0, w), min(x1, w)
            for py in range(min(y0, h), min(y1, h)):
                px[3 * (py * w + x0):3 * (py * w + x1)] = bytes(BACKGROUND) * (x1 - x0)
    bg_row = bytes(BACKGROUND) * w
    wrong, count = [], 0
    for py in range(h):
        row = px[3 * py * w:3 * (py + 1) * w]
        if row == bg_row:
            continue
        for px_x in range(w):
            got = tuple(row[3 * px_x:3 * px_x + 3])
            if not _close(got, BACKGROUND, tol):
                count += 1
                if len(wrong) < MAX_SHOWN:
                    wrong.append(f"({px_x},{py}) is {list(got)}")
    bad = []
    if count:
        bad.append(f"{count} pixels outside everything the kernel reported are "
                   f"not the background {list(BACKGROUND)}: " + "; ".join(wrong))
    if img.height > h:
        status = img.pixels[3 * w * h:3 * w * img.height]
        if status == bytes(BACKGROUND) * (w * (img.height - h)):
            bad.append(f"the status rows below y={h} are all background: "
                       f"no status line")
    return bad


def check_colours(items, records):
    """The problems with the cells' colours: each is recomputed from the
    MATRIX p50s of its figure and the scale (scale_colour()), and a text
    inside a cell must be drawn on that colour."""
    p50 = {(r["figure"], r["caller"], r["target"]): r["p50"] for r in records}
    bad = []
    for f in bench_matrix.FIGURES:
        vals = [v for (g, i, j), v in p50.items() if g == f and i != j and
                i < SCREEN_CPUS and j < SCREEN_CPUS]
        lo, hi = (min(vals), max(vals)) if vals else (0, 0)
        for c in (c for c in items if "cell" in c and c["cell"][0] == f):
            _, i, j = c["cell"]
            v = p50.get((f, i, j)) if i != j else None
            want = NO_VALUE_RGB if v is None else scale_colour(v, lo, hi)
            if c["rgb"] != want:
                bad.append(f"cell {f} {i}->{j} is {c['rgb']}; its p50 {v} on the "
                           f"scale {lo}-{hi} is {want}")
            x, y, w, h = c["rect"]
            for t in items:
                if "text" in t and x <= t["at"][0] < x + w and y <= t["at"][1] < y + h \
                        and t["bg"] != want:
                    bad.append(f"cell {f} {i}->{j}: text '{t['text']}' is on "
                               f"{t['bg']}, not the cell's {want}")
    return bad


def check_cells(items, records, font):
    """The problems with the values the cells show: each cell of each map
    holds one text, the p50 of its MATRIX line as bench_matrix.cell_text()
    writes it ("-" on the diagonal); every pair of every figure among the
    first SCREEN_CPUS CPUs has a cell, and no other pair has one."""
    p50 = {(r["figure"], r["caller"], r["target"]): r["p50"] for r in records}
    cpus = {r["cpus"] for r in records}
    texts = [t for t in items if "text" in t]
    cells = [r for r in items if "cell" in r]
    bad = []
    if len(cpus) != 1:
        return [f"the MATRIX lines give CPU counts {sorted(cpus)}"]
    n = min(cpus.pop(), SCREEN_CPUS)
    want = {(f, i, j) for f in bench_matrix.FIGURES for i in range(n) for j in range(n)}
    have = [tuple(c["cell"]) for c in cells]
    if sorted(have) != sorted(want):
        missing = sorted(want - set(have))
        extra = sorted(set(have) - want) + sorted({h for h in have if have.count(h) > 1})
        bad.append(f"the maps' cells are not one per pair and figure of {n} CPUs: "
                   f"missing {missing[:MAX_SHOWN]}, extra or twice {extra[:MAX_SHOWN]}")
    for c in cells:
        x, y, w, h = c["rect"]
        inside = [t["text"] for t in texts
                  if x <= _text_box(t, font)[0] and _text_box(t, font)[2] <= x + w and
                  y <= _text_box(t, font)[1] and _text_box(t, font)[3] <= y + h]
        f, i, j = c["cell"]
        expect = bench_matrix.cell_text(p50.get((f, i, j)) if i != j else None)
        if inside != [expect]:
            bad.append(f"cell {f} {i}->{j} shows {inside}, the MATRIX line "
                       f"says {expect!r}")
    return bad


def check(text, ppm_bytes, font_bytes):
    """The whole check: (problems, summary). Never raises on bad input."""
    header, items, drawn, errors = parse(text)
    if errors:
        return errors, ""
    if not drawn:
        return [f"the kernel never said '{DRAWN}'"], ""
    if ppm_bytes is None:
        return ["no screendump was written (did the monitor's screendump run?)"], ""
    try:
        img = read_ppm(ppm_bytes)
        font = load_psf(font_bytes)
    except ScreenError as e:
        return [str(e)], ""
    records, done, errors = bench_matrix.parse(text)
    if errors or not done:
        return errors or [f"no '{bench_matrix.DONE}' line"], ""
    problems = check_cells(items, records, font) + check_colours(items, records) + \
        compare(header, items, img, font)
    texts = sum("text" in i for i in items)
    return problems, f"{len(items) - texts} rectangles and {texts} texts match"


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def judge(boot, text, ppm_path, font_path):
    """The unit <boot>/screen for tools/xcall.py: (Unit, lines)."""
    name = f"{boot}/screen"
    font = _read(font_path)
    if font is None:
        problems, note = [f"font {font_path} cannot be read"], ""
    else:
        problems, note = check(text, _read(ppm_path), font)
    if not problems:
        return ktap.Unit(name, ktap.PASS, note), [ktap.status_line(ktap.PASS, name, note)]
    problems.append(f"screendump: {ppm_path}")
    return (ktap.Unit(name, ktap.FAIL, "", problems),
            [ktap.headline(ktap.FAIL, name, problems[0])] + ktap._detail(problems[1:]))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 3:
        sys.stderr.write("usage: bench_screen.py LOG PPM FONT\n")
        return 2
    log, ppm, font = argv
    text = (_read(log) or b"").decode("utf-8", "replace")
    fb = _read(font)
    if fb is None:
        sys.stderr.write(f"bench_screen: cannot read {font}\n")
        return 2
    problems, note = check(text, _read(ppm), fb)
    for p in problems:
        print(p)
    if not problems:
        print(f"screen matches: {note}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
