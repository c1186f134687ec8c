"""A small element tree from the standard library's HTML parser, so tests check the report's structure, not its
bytes: what is inside what, which attributes, what text a reader sees."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Elements below (or at) this one with ``tag`` whose attributes include ``attrs`` (class matches a word)."""
        return [e for e in self.iter() if (tag is None or e.tag == tag) and _has(e, attrs)]

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        """The only match (AssertionError naming the query otherwise)."""
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} elements match {tag} {attrs}"
        return found[0]

    def by_id(self, id_: str) -> Element:
        return self.find(id=id_)

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def inside(self, test: Callable[[Element], bool]) -> bool:
        return any(test(a) for a in self.ancestors())

    @property
    def text(self) -> str:
        """The text a reader sees, whitespace collapsed."""
        parts: list[str] = []

        def walk(e: Element) -> None:
            for child in e.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


def _has(e: Element, attrs: dict[str, str]) -> bool:
    for name, value in attrs.items():
        name = name.rstrip("_").replace("_", "-")  # class_ -> class, data_verdict -> data-verdict
        if name == "class":
            if value not in e.classes:
                return False
        elif e.attrs.get(name) != value:
            return False
    return True


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.node = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.node)
        self.node.children.append(element)
        if tag not in VOID:
            self.node = element

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open element; a stray end tag is a malformed page and fails here.
        node = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"end tag </{tag}> closes nothing"
        self.node = node.parent

    def handle_data(self, data: str) -> None:
        self.node.children.append(data)


def parse(page: str) -> Element:
    """The page's element tree; every element must be closed (the report closes all it opens)."""
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.node is builder.root, f"<{builder.node.tag}> is never closed"
    return builder.root
