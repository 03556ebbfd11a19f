"""The content policy for what a Markdown page may carry besides Markdown: checked, never trusted.

Markdown passes raw HTML through, so a page could publish a script, an iframe or an image from
another host to every reader. Each raw HTML tag in a page's source, each Markdown link or image
and each `{: attr_list }` is handed to nh3 (the Python binding of Rust's ammonia sanitizer) with
our allow-list; whatever nh3 would drop is an error at its line, saying what is allowed. Pages
are never rewritten silently: the editor sees what was refused and why.

The sentences a reference prints from the content files (claim texts, translations, display
overrides, glossary notes) are held to the same policy at their YAML line, and any markup in them
is refused too: a value is plain text, shown as typed (refs.markdown_inert keeps Markdown from
reading it), so a link or a tag there is never what its writer meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import nh3

from explainer.core.errors import Problem, relative
from explainer.core.passed import PassedChecks
from explainer.core.yamlfile import ParsedYaml, read_yaml
from explainer.load.pages import Page

GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
# Tags a page may use in raw HTML, with what each may carry beyond GLOBAL_ATTRIBUTES.
ALLOWED: dict[str, set[str]] = {
    **{tag: set() for tag in ("abbr", "b", "br", "code", "del", "dfn", "div", "em", "figcaption", "hr")},
    **{tag: set() for tag in ("i", "ins", "kbd", "li", "mark", "p", "pre", "s", "samp", "small", "span")},
    **{tag: set() for tag in ("strong", "sub", "sup", "u", "ul", "var", "wbr", "dl", "dt", "dd", "figure")},
    **{tag: set() for tag in ("table", "thead", "tbody", "tfoot", "tr", "caption", "summary", "cite")},
    **{f"h{level}": set() for level in range(1, 7)},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "video": {"src", "poster", "controls", "width", "height", "preload", "muted", "loop"},
    "audio": {"src", "controls", "preload", "muted", "loop"},
    "source": {"src", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "details": {"open"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Attributes that load something into the page: they must point at this site.
EMBEDDING = {"src", "poster"}
URL_ATTRIBUTES = {"href", "src", "poster", "cite"}
NEVER = "scripts, styles, iframes, objects, embeds, forms and event handlers (on...=) are never allowed"
# The content files' fields that are sentences of ours (a claim's text, a translation, a display
# override, a glossary note): written like a page's text, so checked like it, at their line.
# Labels, words, names and the article's own quotes are plain text: whatever they hold is shown
# as typed where it lands (refs.markdown_inert, Jinja's escaping), so they are never refused.
# Each field as its keys under an entry's id, "*" standing for the language.
PROSE_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "facts": (("translations", "*"), ("display", "*")),
    "claims": (("text", "*"), ("translations", "*")),
    "glossary": (("*", "note"),),
}

# As permissive as Markdown's own raw-HTML pattern (which passes `<img/src=x onerror=...>`), so
# nothing a browser would read as a tag slips past; autolinks (<https://...>, <a@b.c>) are not tags.
TAG = re.compile(r"""<(?P<name>[A-Za-z])(?:"[^"]*"|'[^']*'|[^'">])*>|<(?P<other>!(?!--)|\?)""")
AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*|[^\s@<>]+@[^\s@<>]+)>")
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
LINK = re.compile(r"(?P<image>!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?(?P<url>[^)\s>]*)")
REFERENCE_DEF = re.compile(r"(?m)^ {0,3}\[(?P<id>[^\]]+)\]:\s*<?(?P<url>[^\s>]+)")
IMAGE_REF = re.compile(r"!\[(?P<alt>[^\]]*)\]\[(?P<id>[^\]]*)\]")
ATTR_LIST = re.compile(r"\{:?(?P<body>[^{}\n]*)\}")
ATTR_PAIR = re.compile(r"""(?P<key>[^\s"'=#.{}]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s}]+))""")


def _keep(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: drop what loads from another host and style with a URL in it."""
    if attribute in EMBEDDING and _off_site(value):
        return None
    return value


def _off_site(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.scheme or parts.netloc or url.strip().startswith("//"))


def sanitize(fragment: str) -> str:
    """Clean an HTML fragment with our allow-list (what the site would publish of it)."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED),
        attributes={"*": GLOBAL_ATTRIBUTES, **ALLOWED},
        attribute_filter=_keep,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=False,
    )


class _FirstTag(HTMLParser):
    """Read the first start tag of a fragment: its name and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tag: tuple[str, dict[str, str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.tag is None:
            self.tag = (tag, {name: value or "" for name, value in attrs})

    handle_startendtag = handle_starttag


def first_tag(fragment: str) -> tuple[str, dict[str, str]] | None:
    parser = _FirstTag()
    parser.feed(fragment)
    parser.close()
    return parser.tag


def allowed_tags() -> str:
    return ", ".join(sorted(ALLOWED))


def why_refused(fragment: str) -> str | None:
    """Say what nh3 would strip from one tag and what is allowed instead, or None if it stays."""
    original = first_tag(fragment)
    if original is None:
        return None
    name, attrs = original
    cleaned = first_tag(sanitize(fragment))
    if cleaned is None or cleaned[0] != name:
        return f"<{name}> is not allowed in a page; {NEVER}. Allowed tags: {allowed_tags()}"
    for attribute, value in attrs.items():
        if cleaned[1].get(attribute) == value:
            continue
        if attribute not in GLOBAL_ATTRIBUTES | ALLOWED.get(name, set()):
            permitted = ", ".join(sorted(GLOBAL_ATTRIBUTES | ALLOWED.get(name, set())))
            why = "event handlers are never allowed; " if attribute.startswith("on") else ""
            return f"attribute '{attribute}' on <{name}> is not allowed; {why}<{name}> may carry: {permitted}"
        if attribute in EMBEDDING and _off_site(value):
            return (
                f'<{name} {attribute}="{value}">: images, media and stylesheets must come from this site '
                f"(a relative address such as ../assets/x.png); link to other sites with <a href> instead"
            )
        if attribute in URL_ATTRIBUTES:
            return (
                f'<{name} {attribute}="{value}">: addresses may be relative or use '
                f"{', '.join(f'{s}:' for s in sorted(URL_SCHEMES))} (no javascript: or data: URLs)"
            )
        return f"attribute '{attribute}' on <{name}> has a value that is not allowed: {value!r}"
    return None


@dataclass(frozen=True)
class Found:
    """One piece of a page's source to check: an HTML fragment and where it starts."""

    offset: int
    fragment: str
    shown: str  # what the editor wrote, for the message


def _blank_code(body: str) -> str:
    """Blank out fenced code blocks and code spans (shown as text, never as HTML), keeping offsets."""
    lines = body.splitlines(keepends=True)
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            out.append(" " * (len(line) - 1) + line[-1:] if line.endswith("\n") else " " * len(line))
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            out.append("".join(c if c == "\n" else " " for c in line))
        else:
            out.append(line)
    text = "".join(out)
    return CODE_SPAN.sub(lambda m: "".join(c if c == "\n" else " " for c in m.group(0)), text)


def _escaped(text: str, offset: int) -> bool:
    backslashes = len(text[:offset]) - len(text[:offset].rstrip("\\"))
    return backslashes % 2 == 1


def fragments(body: str) -> Iterator[Found]:
    """Yield every raw HTML tag, Markdown link or image and attr_list of a page body, as HTML."""
    text = _blank_code(body)
    for match in TAG.finditer(text):
        if _escaped(text, match.start()):
            continue
        if match.group("other") is None and AUTOLINK.fullmatch(match.group(0)):
            continue
        if match.group("other") is not None:
            shown = text[match.start() : match.start() + 20].split("\n")[0]
            yield Found(match.start(), "", shown)
        else:
            yield Found(match.start(), match.group(0), match.group(0))
    definitions = {m.group("id").lower(): m for m in REFERENCE_DEF.finditer(text)}
    for match in LINK.finditer(text):
        url = match.group("url").replace('"', "&quot;")
        tag = f'<img src="{url}">' if match.group("image") else f'<a href="{url}">'
        yield Found(match.start(), tag, match.group(0))
    image_refs = {(m.group("id") or m.group("alt")).lower() for m in IMAGE_REF.finditer(text)}
    for ref_id, match in definitions.items():
        url = match.group("url").replace('"', "&quot;")
        tag = f'<img src="{url}">' if ref_id in image_refs else f'<a href="{url}">'
        yield Found(match.start(), tag, match.group(0))
    for match in ATTR_LIST.finditer(text):
        pairs = list(ATTR_PAIR.finditer(match.group("body")))
        if not pairs:
            continue
        attrs = " ".join(
            f'{p.group("key")}="{(p.group("dq") or p.group("sq") or p.group("bare") or "").replace(chr(34), "&quot;")}"'
            for p in pairs
        )
        yield Found(match.start(), f"<span {attrs}>", match.group(0))


def check_page_html(body: str, first_line: int, file: Path | str) -> list[Problem]:
    """Return a located problem for each piece of a page that the content policy refuses."""
    problems = []
    for found in sorted(fragments(body), key=lambda found: found.offset):
        line = first_line + body.count("\n", 0, found.offset)
        if not found.fragment:
            why = f"{found.shown!r}: declarations and processing instructions are not allowed in a page"
        else:
            why = why_refused(found.fragment)
        if why is not None:
            problems.append(Problem(file, line, f"{why}. Remove it or use Markdown."))
    return problems


def check_pages_html(pages: Mapping[str, Mapping[str, Page]], passed: PassedChecks | None = None) -> list[Problem]:
    """Check every page of every language against the content policy; with `passed`, a page
    whose text passed before (with the same code) is not parsed again."""
    problems = []
    for by_src in pages.values():
        for page in by_src.values():
            name = f"html-policy {relative(page.file)}"
            key = passed.key(page.body) if passed is not None else ""
            if passed is not None and passed.passed(name, key):
                continue
            found = check_page_html(page.body, page.body_first_line, relative(page.file))
            problems.extend(found)
            if passed is not None and not found:
                passed.remember(name, key)
    return problems


def check_value_html(text: str, line: int | None, file: Path | str, label: str) -> list[Problem]:
    """Refuse markup in one value from a content file: what the page policy refuses, with its
    reason, and what it allows too, since a value is plain text and would show its code as typed.
    (A control character is refused where the YAML is read: core.yamlfile.UNPRINTABLE.)"""
    problems = []
    for found in sorted(fragments(text), key=lambda found: found.offset):
        if not found.fragment:
            why = f"{found.shown!r}: declarations and processing instructions are not allowed"
        else:
            why = why_refused(found.fragment) or (
                f"{found.shown!r} would be shown as typed, not as a link, image or markup: "
                f"a value from YAML is plain text"
            )
        problems.append(Problem(file, line, f"{label}: {why}. Remove it, or put it in the page's own text."))
    return problems


def check_content_values(files: Mapping[str, Path], kept: ParsedYaml | None = None) -> list[Problem]:
    """Check the prose fields of the content files (PROSE_FIELDS; `files`: kind -> path) against
    the content policy, each at its line: a value a reference prints may add no link, image or
    markup, where the page's own text is held to the same policy."""
    problems = []
    for kind, path in files.items():
        if not path.exists():
            continue
        doc, _ = read_yaml(path, kept=kept)  # a file that does not read is reported by its loader
        if doc is None or not isinstance(doc.data, dict):
            continue
        shown = relative(path)
        for entry_id, entry in doc.data.items():
            if not isinstance(entry, dict):
                continue
            for field_keys in PROSE_FIELDS[kind]:
                for keys, text in _values(entry, field_keys):
                    line = doc.line(str(entry_id), *keys)
                    problems.extend(check_value_html(text, line, shown, f"{kind}[{entry_id}].{'.'.join(keys)}"))
    return problems


def _values(entry: Mapping[object, object], keys: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    """The text values at a key path in an entry ("*": every key there), with their keys."""
    if not keys:
        return
    first, rest = keys[0], keys[1:]
    for key, child in entry.items() if first == "*" else [(first, entry.get(first))]:
        if rest and isinstance(child, Mapping):
            yield from (((str(key), *deeper), text) for deeper, text in _values(child, rest))
        elif not rest and isinstance(child, str):
            yield (str(key),), child
