"""A small XSD-like checker for incoming packets that words its errors the way
libxml2 does on a real Plesk server ("Element 'x': This element is not expected.
Expected is one of ( ... ).").

Content models are deterministic (as XSD requires), so greedy matching suffices.
"""

from dataclasses import dataclass

UNBOUNDED = 1_000_000
ANY = "any"
EXPECTED_LIMIT = 10  # libxml2 shortens long "expected" lists


@dataclass(frozen=True)
class Text:
    type: str = "string"


@dataclass(frozen=True)
class Elem:
    name: str
    content: object = None  # None: empty; Text; Seq; All; ANY
    min: int = 1
    max: int = 1


@dataclass(frozen=True)
class Choice:
    options: tuple[Elem, ...]
    min: int = 1
    max: int = 1


@dataclass(frozen=True)
class Seq:
    items: tuple


@dataclass(frozen=True)
class All:
    items: tuple[Elem, ...]


STRING, ID, INT = Text("string"), Text("id_type"), Text("int")


def el(name: str, content: object = None, min: int = 1, max: int = 1) -> Elem:
    return Elem(name, content, min, max)


def opt(name: str, content: object = None, max: int = 1) -> Elem:
    return Elem(name, content, 0, max)


def seq(*items) -> Seq:
    return Seq(tuple(items))


def choice(*options: Elem, min: int = 1, max: int = 1) -> Choice:
    return Choice(tuple(options), min, max)


def all_(*items: Elem) -> All:
    return All(tuple(items))


class SchemaError(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"Error in line {line}: {message}")


def _expected(names: list[str]) -> str:
    shown = ", ".join(names[:EXPECTED_LIMIT])
    return (
        f"Expected is ( {shown} )."
        if len(names) == 1
        else (f"Expected is one of ( {shown} ).")
    )


def _not_expected(node, names: list[str]) -> SchemaError:
    message = f"Element '{node.tag}': This element is not expected."
    if names:
        message += " " + _expected(names)
    return SchemaError(node.sourceline or 1, message)


def _missing(node, names: list[str]) -> SchemaError:
    return SchemaError(
        node.sourceline or 1,
        f"Element '{node.tag}': Missing child element(s). " + _expected(names),
    )


def _names(item) -> list[str]:
    if isinstance(item, Elem):
        return [item.name]
    return [o.name for o in item.options]


def _valid_atom(kind: str, text: str) -> bool:
    if kind == "id_type":
        return text.isdigit() and int(text) > 0
    if kind == "int":
        return text.lstrip("-").isdigit()
    return True


def check(node, spec: Elem) -> None:
    """Raise SchemaError for the first place `node` breaks `spec`."""
    content = spec.content
    children = [c for c in node if isinstance(c.tag, str)]
    text = (node.text or "") + "".join(c.tail or "" for c in children)
    if content == ANY:
        return
    if content is None or isinstance(content, Text):
        if children:
            if content is None:
                raise _not_expected(children[0], [])
            raise SchemaError(
                node.sourceline or 1,
                f"Element '{node.tag}': Element "
                "content is not allowed, because the type definition "
                "is simple.",
            )
        if content is None and text.strip():
            raise SchemaError(
                node.sourceline or 1,
                f"Element '{node.tag}': Character "
                "content is not allowed, because the content type is "
                "empty.",
            )
        if isinstance(content, Text) and not _valid_atom(content.type, node.text or ""):
            raise SchemaError(
                node.sourceline or 1,
                f"Element '{node.tag}': "
                f"'{node.text or ''}' is not a valid value of the atomic "
                f"type '{content.type}'.",
            )
        return
    if text.strip():
        raise SchemaError(
            node.sourceline or 1,
            f"Element '{node.tag}': Character "
            "content other than whitespace is not allowed because the "
            "content type is 'element-only'.",
        )
    if isinstance(content, All):
        _check_all(node, children, content)
    else:
        _check_seq(node, children, content)


def _check_all(node, children, group: All) -> None:
    by_name = {item.name: item for item in group.items}
    seen: set[str] = set()
    for child in children:
        item = by_name.get(child.tag)
        if item is None or child.tag in seen:
            raise _not_expected(child, [n for n in by_name if n not in seen])
        seen.add(child.tag)
        check(child, item)
    missing = [i.name for i in group.items if i.min and i.name not in seen]
    if missing:
        raise _missing(node, missing)


def _acceptable(items, index: int, count: int) -> list[str]:
    """Names that could come next, at item `index` having matched it `count` times."""
    names: list[str] = []
    for position in range(index, len(items)):
        item = items[position]
        done = count if position == index else 0
        if done < item.max:
            names += _names(item)
        if done < item.min:
            break
    return names


def _take(children, i: int, item) -> tuple[int, Elem | None]:
    """How far one occurrence of `item` reaches from child i."""
    if i >= len(children):
        return i, None
    if isinstance(item, Elem):
        return (i + 1, item) if children[i].tag == item.name else (i, None)
    for option in item.options:
        if children[i].tag == option.name:
            end = i
            while (
                end < len(children)
                and children[end].tag == option.name
                and end - i < option.max
            ):
                end += 1
            return end, option
    return i, None


def _check_seq(node, children, content: Seq) -> None:
    items = content.items
    i = 0
    anchor = (0, 0)  # the item that last took a child, and how often
    for index, item in enumerate(items):
        count = 0
        while count < item.max:
            end, matched = _take(children, i, item)
            if matched is None:
                break
            for child in children[i:end]:
                check(child, matched)
            i, count = end, count + 1
            anchor = (index, count)
        if count < item.min:
            if i < len(children):
                raise _not_expected(children[i], _acceptable(items, *anchor))
            raise _missing(node, _acceptable(items, *anchor))
    if i < len(children):
        raise _not_expected(children[i], _acceptable(items, *anchor))
