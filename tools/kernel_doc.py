#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
The kernel-doc check of `make check`: xcall's own, on Python's standard
library only.

It owns two rules, the project's style for comments ("every public
function has a kernel-doc block: the summary line, each parameter, the
calling context and a Return: line"):

  coverage    every function the public headers declare (a prototype
              without `static` in include/xcall/*.h or
              arch/x86_64/include/asm/*.h, and every `static inline` in
              include/xcall/*.h) has a kernel-doc block right above the
              header's declaration or right above its definition in a .c
              file;
  form        every kernel-doc block (a comment that opens with `/**`) in
              the headers and the .c files of kernel/, lib/,
              arch/x86_64/ and tests/ is well formed: `/**` alone on its line,
              then ` * name() - summary` (` * struct name - summary`,
              ` * enum name - ...`, ` * NAME - ...` for a macro), the name
              of the declaration that follows, one ` * @arg: text` line per
              parameter and none for a parameter that does not exist (`...`
              as `@...:`), a ` * Return:` section when the function returns
              a value (and none when it returns void), a ` * Context:`
              section when a public header declares the function, and ` */`
              alone on the last line. A one-line `/** ... */` comment is a
              finding: it becomes kernel-doc or a plain `/*` comment.

Findings print like a compiler's, `path:line: message`, sorted; the exit
status is 1 when there is any. It is not a C parser: comments, strings and
preprocessor lines are blanked, then top-level declarations are cut at `;`
and at the `}` of a function body, which is all the shapes xcall's sources
use. Nothing is compiled or imported from the tree; the unit tests in
tools/kernel_doc_test.py feed it canned snippets through check().
"""

import argparse
import bisect
import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field

# The files whose declarations must be documented (rule "coverage").
PUBLIC_HEADERS = ("include/xcall/*.h", "arch/x86_64/include/asm/*.h")
# Headers whose `static inline` functions are API too: the arch headers'
# inlines are the arch's own helpers (STYLE.md "Assembly").
INLINE_API_HEADERS = ("include/xcall/*.h",)
# Where the definitions of the headers' functions live; a block above one
# of them documents the function.
DEFINITIONS = ("kernel/*.c", "lib/*.c", "arch/x86_64/*.c", "tests/*.c")
# The files whose kernel-doc blocks are checked for form: every block that
# may be the one documenting a public function.
CHECKED = PUBLIC_HEADERS + DEFINITIONS


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


# ---- Lexing: blank what is not code, keep every offset and line ----

@dataclass
class Comment:
    start: int
    end: int		# offset just past the closing */
    text: str


def _blank(text, start, end):
    """Spaces for text[start:end], newlines kept so lines stay put."""
    return re.sub(r"[^\n]", " ", text[start:end])


def lex(text):
    """Return (code, comments): code is text with comments and string and
    character literals blanked; comments are the /* */ comments."""
    out = []
    comments = []
    i, n, last = 0, len(text), 0
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            comments.append(Comment(i, j, text[i:j]))
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
        else:
            i += 1
            continue
        out.append(text[last:i])
        out.append(_blank(text, i, j))
        last = i = j
    out.append(text[last:])
    return "".join(out), comments


@dataclass
class Decl:
    kind: str		# function, macro, struct, union, enum, typedef,
    			# variable, other
    name: str
    start: int
    end: int
    params: list = field(default_factory=list)	# names; None = unnamed
    returns_void: bool = False
    is_static: bool = False
    is_inline: bool = False
    is_definition: bool = False
    function_like: bool = False		# a macro with parameters
    members: list = field(default_factory=list)	# struct/union/enum
    tag: tuple = ("", "")		# a typedef's (struct, tag)


DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*(\w*)", re.M)
DEFINE = re.compile(r"#\s*define\s+(\w+)(\(([^)]*)\))?")


def split_directives(code):
    """Blank preprocessor lines in code; return (code, macros) where macros
    are the #define'd names as Decls."""
    macros = []
    pieces, last = [], 0
    for m in DIRECTIVE.finditer(code):
        if m.start() < last:
            continue
        end = m.start()
        while True:		# the directive runs on over backslash-newlines
            nl = code.find("\n", end)
            if nl < 0:
                end = len(code)
                break
            if code[m.start():nl].rstrip(" \t").endswith("\\"):
                end = nl + 1
                continue
            end = nl
            break
        line = code[m.start():end]
        d = DEFINE.match(line.strip())
        if m.group(1) == "define" and d:
            params = None
            if d.group(2) is not None:
                params = [p.strip() for p in d.group(3).split(",") if p.strip()]
                params = ["..." if p.endswith("...") else p for p in params]
            macros.append(Decl("macro", d.group(1), m.start(), end,
                               params=params or [],
                               function_like=params is not None))
        pieces.append(code[last:m.start()])
        pieces.append(_blank(code, m.start(), end))
        last = end
    pieces.append(code[last:])
    return "".join(pieces), macros


def _match(code, i, open_c, close_c):
    """Offset of the bracket closing the one at code[i], or len(code)."""
    depth = 0
    for j in range(i, len(code)):
        if code[j] == open_c:
            depth += 1
        elif code[j] == close_c:
            depth -= 1
            if depth == 0:
                return j
    return len(code)


def statements(code):
    """Top-level statements of code (directives already blanked), as
    (start, end, bodies): end is past the ';' or the function's '}';
    bodies are the (start, end) of each top-level {...} in it."""
    out = []
    i, n = 0, len(code)
    start, bodies, paren = None, [], 0
    while i < n:
        c = code[i]
        if c.isspace():
            i += 1
            continue
        if start is None:
            start, bodies, paren = i, [], 0
        if c == "(":
            paren += 1
        elif c == ")":
            paren -= 1
        elif c == "{":
            j = _match(code, i, "{", "}")
            bodies.append((i, j + 1))
            if paren <= 0 and _looks_like_function(code[start:i]):
                out.append((start, j + 1, bodies))
                start = None
            i = j + 1
            continue
        elif c == ";" and paren <= 0:
            out.append((start, i + 1, bodies))
            start = None
        i += 1
    if start is not None:
        out.append((start, n, bodies))
    return out


# ---- Declarations ----

TOKEN = re.compile(r"\.\.\.|\w+|\S")
STORAGE = {"static", "extern", "inline", "__inline__", "__inline",
           "__always_inline", "__noreturn", "__weak", "__used", "__unused",
           "__maybe_unused", "__noinline", "__packed", "____cacheline_aligned",
           "_Noreturn", "register"}
ATTRIBUTE_CALLS = {"__attribute__", "__attribute", "__asm__", "__asm", "asm",
                   "__printf", "__aligned", "__section", "_Alignas"}
TYPE_WORDS = {"const", "volatile", "restrict", "struct", "union", "enum",
              "unsigned", "signed", "int", "char", "short", "long", "void",
              "float", "double", "_Bool", "bool", "register", "_Atomic"}


def tokens(text):
    """Tokens of a declaration with bracket groups as single tokens
    ('(...)', '[...]', '{...}'); attributes are dropped."""
    toks = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] in "([{":
            close = {"(": ")", "[": "]", "{": "}"}[text[i]]
            j = _match(text, i, text[i], close)
            toks.append(text[i:j + 1])
            i = j + 1
            continue
        m = TOKEN.match(text, i)
        toks.append(m.group(0))
        i = m.end()
    out = []
    skip_group = False
    for t in toks:
        if skip_group:
            skip_group = False
            if t.startswith("("):
                continue
        if t in ATTRIBUTE_CALLS:
            skip_group = True
            continue
        out.append(t)
    return out


def _is_ident(t):
    return re.fullmatch(r"[A-Za-z_]\w*", t) is not None


def _looks_like_function(head):
    """Is head (the code before a '{') a function's signature?"""
    toks = [t for t in tokens(head) if t not in STORAGE]
    return (len(toks) >= 2 and toks[-1].startswith("(")
            and _is_ident(toks[-2]) and "=" not in toks
            and toks[0] != "typedef")


def split_top(text, sep=","):
    """text split at sep outside brackets."""
    parts, depth, last = [], 0, 0
    for i, c in enumerate(text):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[last:i])
            last = i + 1
    parts.append(text[last:])
    return [p.strip() for p in parts]


def _pointer_name(tok):
    """The name in a function pointer's '(*name)' group, else None."""
    if not (tok.startswith("(") and tok[1:].lstrip().startswith("*")):
        return None
    inner = [x for x in tokens(tok[1:-1]) if _is_ident(x)
             and x not in TYPE_WORDS]
    return inner[-1] if inner else None


def param_name(param):
    """The name a parameter declares, '...', or None when unnamed."""
    toks = tokens(param)
    if toks == ["..."]:
        return "..."
    groups = [t for t in toks if t.startswith("(")]
    if groups:		# a function pointer, named or not
        return _pointer_name(groups[0])
    while toks and toks[-1].startswith("["):
        toks.pop()
    named = [t for t in toks if _is_ident(t) and t not in TYPE_WORDS]
    if not named or not _is_ident(toks[-1]) or toks[-1] in TYPE_WORDS:
        return None
    before = toks[:-1]
    # "struct tag" alone names a type, not a parameter.
    if before and before[-1] in ("struct", "union", "enum"):
        return None
    if not [t for t in before if _is_ident(t)]:
        return None
    return toks[-1]


def members_of(body, kind):
    """Member names of a struct/union body or constants of an enum body."""
    inner = body[1:-1]
    if kind == "enum":
        names = []
        for part in split_top(inner):
            m = re.match(r"([A-Za-z_]\w*)", part)
            if m:
                names.append(m.group(1))
        return names
    names = []
    for part in split_top(inner, ";"):
        if not part:
            continue
        toks = tokens(part)
        nested = [t for t in toks if t.startswith("{")]
        if nested and toks[-1].startswith("{"):
            # An anonymous struct or union: its members are the parent's.
            names += members_of(nested[-1], "struct")
            continue
        for decl in split_top(part):
            decl = re.sub(r":\s*\w+\s*$", "", decl)		# bit-field
            name = param_name(decl)
            if name is None:
                idents = [t for t in tokens(decl) if _is_ident(t)]
                name = idents[-1] if idents else None
            if name:
                names.append(name)
    return names


def parse_decl(text, start, end):
    """A Decl for the statement text (a top-level statement's code)."""
    toks = tokens(text)
    if not toks:
        return Decl("other", "", start, end)
    if toks[-1] == ";":
        toks = toks[:-1]
    if toks and toks[0] == "typedef":
        pointers = [_pointer_name(t) for t in toks if _pointer_name(t)]
        idents = [t for t in toks if _is_ident(t)]
        d = Decl("typedef", pointers[0] if pointers else idents[-1],
                 start, end)
        body = next((t for t in toks if t.startswith("{")), None)
        if body and toks[1] in ("struct", "union", "enum"):
            d.members = members_of(body, toks[1])
            tag = toks[2] if _is_ident(toks[2]) else ""
            d.tag = (toks[1], tag)
        return d
    storage = {t for t in toks if t in STORAGE}
    core = [t for t in toks if t not in STORAGE]
    is_def = bool(core) and core[-1].startswith("{")
    sig = core[:-1] if is_def else core
    if core and core[0] in ("struct", "union", "enum") and len(core) >= 2:
        kind = core[0]
        tag_i = 1 if _is_ident(core[1]) else None
        body_i = 2 if tag_i else 1
        if body_i < len(core) and core[body_i].startswith("{") \
                and body_i == len(core) - 1:
            d = Decl(kind, core[1] if tag_i else "", start, end)
            d.members = members_of(core[body_i], kind)
            return d
    if len(sig) >= 2 and sig[-1].startswith("(") and _is_ident(sig[-2]) \
            and "=" not in sig:
        name = sig[-2]
        ret = sig[:-2]
        if not ret:	# NAME(...) with no type before it: a macro call
            return Decl("other", name, start, end)
        inner = sig[-1][1:-1].strip()
        params = [] if inner in ("", "void") else \
            [param_name(p) for p in split_top(inner)]
        return Decl("function", name, start, end, params=params,
                    returns_void=(ret == ["void"]),
                    is_static="static" in storage,
                    is_inline=bool(storage & {"inline", "__inline__",
                                              "__inline", "__always_inline"}),
                    is_definition=is_def)
    name = ""
    for t in sig:
        if t == "=":
            break
        if _is_ident(t):
            name = t
        elif _pointer_name(t):
            name = _pointer_name(t)
            break
    return Decl("variable", name, start, end,
                is_static="static" in storage)


@dataclass
class Source:
    path: str
    text: str
    decls: list
    comments: list
    bodies: list	# (start, end) of every top-level {...}
    newlines: list

    def line(self, offset):
        return bisect.bisect_right(self.newlines, offset - 1) + 1

    def decl_after(self, offset):
        for d in self.decls:
            if d.start >= offset:
                return d
        return None

    def decl_before(self, decl):
        """The comment right above decl, if only blank space separates
        them."""
        for c in reversed(self.comments):
            if c.end <= decl.start:
                if self.text[c.end:decl.start].strip() == "":
                    return c
                return None
        return None

    def in_body(self, offset):
        return any(s < offset < e for s, e in self.bodies)


def parse_source(path, text):
    code, comments = lex(text)
    code, macros = split_directives(code)
    decls = list(macros)
    bodies = []
    for start, end, bs in statements(code):
        decls.append(parse_decl(code[start:end], start, end))
        bodies += bs
    decls.sort(key=lambda d: d.start)
    newlines = [i for i, c in enumerate(text) if c == "\n"]
    return Source(path, text, decls, comments, bodies, newlines)


# ---- kernel-doc blocks ----

SUMMARY = re.compile(
    r"^(?:(?P<kind>struct|union|enum|typedef)\s+(?P<tname>\w+)"
    r"|(?P<fname>\w+)\(\)"
    r"|(?P<mname>\w+))"
    r"\s+-\s+\S")
PARAM = re.compile(r"^@(\w+|\.\.\.)\s*:(.*)$")


def is_kernel_doc(comment):
    """A comment opening with '/**' that is not a '/***' banner or '/**/'."""
    t = comment.text
    return t.startswith("/**") and not t.startswith("/***") \
        and not t.startswith("/**/")


@dataclass
class Block:
    comment: Comment
    lines: list		# (line number, content after ' * ')
    findings: list


def parse_block(src, comment):
    """Split a multi-line block into its content lines; findings on form."""
    first = src.line(comment.start)
    raw = comment.text.split("\n")
    findings = []
    if raw[0].strip() != "/**":
        findings.append(Finding(src.path, first,
                                "text after '/**': '/**' stands alone on "
                                "its line"))
    if raw[-1].strip() != "*/":
        findings.append(Finding(src.path, first + len(raw) - 1,
                                "'*/' stands alone on the last line of a "
                                "kernel-doc block"))
    # Text beside '/**' or '*/' is read as content too, so a block with
    # only that wrong gets only that finding.
    content = []
    opening = raw[0].strip()[3:].strip()
    if opening:
        content.append((first, opening))
    closing = raw[-1].strip()[:-2].strip()
    if closing.startswith("*"):
        closing = closing[1:].strip()
    for k, line in enumerate(raw[1:-1], start=1):
        s = line.strip()
        if not s.startswith("*"):
            findings.append(Finding(src.path, first + k,
                                    "kernel-doc line does not start with "
                                    "' *'"))
            content.append((first + k, s))
            continue
        content.append((first + k, s[1:].strip()))
    if closing:
        content.append((first + len(raw) - 1, closing))
    return Block(comment, content, findings)


def describe(decl):
    if decl.kind == "function" or decl.function_like:
        return f"'{decl.name}()'"
    if decl.kind in ("struct", "union", "enum"):
        return f"'{decl.kind} {decl.name}'"
    return f"'{decl.name}'" if decl.name else f"a {decl.kind}"


def check_block(src, comment, public_functions):
    """Findings for one kernel-doc comment in src."""
    path = src.path
    line = src.line(comment.start)
    if "\n" not in comment.text:
        return [Finding(path, line,
                        "one-line '/** */' comment: write a kernel-doc block "
                        "or use '/*'")]
    if src.in_body(comment.start):
        return [Finding(path, line,
                        "kernel-doc block inside a body: kernel-doc "
                        "documents declarations; use '/*'")]
    block = parse_block(src, comment)
    findings = list(block.findings)
    if not block.lines:
        return findings + [Finding(path, line, "empty kernel-doc block")]
    sline, summary = block.lines[0]
    if summary.startswith("DOC:"):
        return findings
    m = SUMMARY.match(summary)
    if not m:
        return findings + [Finding(
            path, sline,
            "summary line must read ' * name() - summary' (or ' * struct "
            "name - summary', ' * NAME - summary' for a macro)")]
    decl = src.decl_after(comment.end)
    doc_name = m.group("tname") or m.group("fname") or m.group("mname")
    shown = (f"{m.group('kind')} {doc_name}" if m.group("kind")
             else f"{doc_name}()" if m.group("fname") else doc_name)
    if decl is None or decl.kind == "other" and not decl.name:
        return findings + [Finding(path, sline,
                                   f"kernel-doc for '{shown}' is not followed "
                                   "by a declaration")]
    name_ok = False
    if m.group("kind"):
        kind = m.group("kind")
        if decl.kind == kind and decl.name == doc_name:
            name_ok = True
        elif decl.kind == "typedef" and (kind == "typedef"
                                         and decl.name == doc_name
                                         or decl.tag == (kind, doc_name)):
            name_ok = True
    elif m.group("fname"):
        name_ok = decl.kind in ("function", "macro") and decl.name == doc_name
    else:
        name_ok = decl.kind in ("macro", "variable", "typedef") \
            and decl.name == doc_name
        if decl.kind == "function" and decl.name == doc_name:
            return findings + [Finding(path, sline,
                                       f"write '{doc_name}()' for a function "
                                       "in the summary line")]
    if not name_ok:
        return findings + [Finding(path, sline,
                                   f"kernel-doc names '{shown}' but the "
                                   f"declaration below is {describe(decl)}")]

    documented = []
    for ln, text in block.lines[1:]:
        p = PARAM.match(text)
        if not p:
            continue
        documented.append(p.group(1))
        if not p.group(2).strip():
            findings.append(Finding(path, ln,
                                    f"'@{p.group(1)}:' has no description"))
        if documented.count(p.group(1)) > 1:
            findings.append(Finding(path, ln,
                                    f"'@{p.group(1)}' is documented twice"))
    what = describe(decl)
    if decl.kind in ("function", "macro"):
        expected = decl.params
        noun = "parameter"
    elif decl.kind in ("struct", "union", "enum", "typedef"):
        expected = decl.members
        noun = "value" if "enum" in (decl.kind, decl.tag[0]) else "member"
    else:
        expected = []
        noun = "parameter"
    for k, p in enumerate(expected):
        if p is None:
            findings.append(Finding(path, sline,
                                    f"{noun} {k + 1} of {what} has no name "
                                    "to document"))
        elif p not in documented:
            findings.append(Finding(path, sline,
                                    f"{what}: {noun} '{p}' is not documented "
                                    f"(' * @{p}: ...')"))
    for ln, text in block.lines[1:]:
        p = PARAM.match(text)
        if p and p.group(1) not in expected:
            findings.append(Finding(path, ln,
                                    f"{what} has no {noun} '{p.group(1)}'"))

    if decl.kind == "function":
        has = {s for _, t in block.lines[1:]
               for s in ("Return", "Context") if t.startswith(s + ":")}
        if not decl.returns_void and "Return" not in has:
            findings.append(Finding(path, sline,
                                    f"{what} returns a value but has no "
                                    "' * Return:' section"))
        if decl.returns_void and "Return" in has:
            findings.append(Finding(path, sline,
                                    f"{what} returns void but has a "
                                    "' * Return:' section"))
        if decl.name in public_functions and "Context" not in has:
            findings.append(Finding(path, sline,
                                    f"{what} is declared in a public header "
                                    "but has no ' * Context:' section"))
    return findings


# ---- The whole check ----

def _matches(path, patterns):
    return any(fnmatch.fnmatchcase(path, p) and
               path.count("/") == p.count("/") for p in patterns)


def _requires_doc(path, decl):
    if decl.kind != "function":
        return False
    if not decl.is_static:
        return not decl.is_definition
    return decl.is_inline and _matches(path, INLINE_API_HEADERS)


def check(files, checked=None):
    """Findings for a tree given as {path: text}, paths relative to the
    top of the tree. checked: the paths whose blocks are checked for form
    and whose declarations for coverage (default: those matching
    CHECKED); the others only lend their definitions and their
    header declarations."""
    sources = {p: parse_source(p, t) for p, t in sorted(files.items())}
    if checked is None:
        checked = {p for p in sources if _matches(p, CHECKED)}

    public_functions = set()
    for path, src in sources.items():
        if _matches(path, PUBLIC_HEADERS):
            public_functions |= {d.name for d in src.decls
                                 if d.kind == "function"}

    # Functions with a kernel-doc block above their definition.
    documented_defs = set()
    for path, src in sources.items():
        if not (_matches(path, DEFINITIONS) or path in checked):
            continue
        for d in src.decls:
            if d.kind == "function" and d.is_definition:
                c = src.decl_before(d)
                if c and is_kernel_doc(c):
                    documented_defs.add(d.name)

    findings = []
    for path in sorted(checked):
        src = sources[path]
        for c in src.comments:
            if is_kernel_doc(c):
                findings += check_block(src, c, public_functions)
        if not _matches(path, PUBLIC_HEADERS):
            continue
        seen = set()
        for d in src.decls:
            if not _requires_doc(path, d) or d.name in seen:
                continue
            seen.add(d.name)
            c = src.decl_before(d)
            if c and is_kernel_doc(c):
                continue
            if d.name in documented_defs:
                continue
            findings.append(Finding(path, src.line(d.start),
                                    f"'{d.name}()' has no kernel-doc block "
                                    "(above this declaration or above its "
                                    "definition in a .c file)"))
    return sorted(set(findings))


def tree_files(root):
    """{path: text} for every file check() reads, below root."""
    files = {}
    for pattern in CHECKED + DEFINITIONS:
        directory = os.path.join(root, os.path.dirname(pattern))
        if not os.path.isdir(directory):
            continue
        for name in sorted(os.listdir(directory)):
            rel = os.path.join(os.path.dirname(pattern), name)
            if fnmatch.fnmatchcase(rel, pattern):
                with open(os.path.join(root, rel), encoding="utf-8") as f:
                    files[rel] = f.read()
    return files


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Check xcall's kernel-doc: every public function "
        "documented, every /** block well formed.")
    ap.add_argument("--root", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), ".."),
        help="top of the tree (default: this script's parent directory)")
    ap.add_argument("paths", nargs="*",
                    help="check only these files (paths relative to the "
                    "root; default: the public headers, kernel/*.c, lib/*.c)")
    args = ap.parse_args(argv)
    files = tree_files(args.root)
    checked = None
    if args.paths:
        checked = set()
        for p in args.paths:
            rel = os.path.relpath(os.path.join(args.root, p), args.root) \
                if not os.path.isabs(p) else os.path.relpath(p, args.root)
            if rel not in files:
                with open(os.path.join(args.root, rel), encoding="utf-8") as f:
                    files[rel] = f.read()
            checked.add(rel)
    findings = check(files, checked)
    for f in findings:
        print(f)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
