"""Charset: a body's bytes to text, as browsers read them, with the repairs these sites need."""

from __future__ import annotations

import codecs
import re

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_FALLBACK = "crawler-cp1252"


def _bytes_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read undecodable bytes as Windows-1252 (Latin-1 where it has a hole)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chars = []
    for byte in error.object[error.start : error.end]:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars), error.end


codecs.register_error(_FALLBACK, _bytes_as_cp1252)


def decode_body(content: bytes, content_type: str | None) -> str:
    """Decode a body: BOM, else the Content-Type charset, else <meta charset> or the XML
    declaration in the first 2 KB, else strict UTF-8, else charset-normalizer's guess.

    Bytes that the chosen charset cannot decode are read as Windows-1252, so a Latin-1 page
    declared UTF-8, or a UTF-8 page with a few stray Latin-1 bytes ("ao\\xfbt" on malijet.com),
    comes out right. Mojibake in the text itself (UTF-8 read as Latin-1 before the site stored
    it: "Ã©") is left here: ftfy over a whole page costs ~30 times the decoding and the parse
    together, so it runs on the extracted fields only, where they show mojibake
    (crawler.text.fix_text).
    """
    if not content:
        return ""
    return _decode(content, content_type)


def _decode(content: bytes, content_type: str | None) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return content[3:].decode("utf-8", errors=_FALLBACK)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", errors="replace")
    codec = _codec(_declared_charset(content, content_type))
    if codec is None or not codec.startswith(("utf-16", "utf-32")):
        # undeclared, or another label (often a server default, or a <meta> left in a page
        # re-encoded since): real UTF-8 wins, as text in another charset is almost never valid
        # UTF-8 by accident
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if codec is None:
        # UTF-8 with a few stray Latin-1 bytes still has real multi-byte sequences, which
        # single-byte text almost never forms by chance
        codec = "utf-8" if _UTF8_MULTIBYTE.search(content) else _guess_codec(content)
    if codec in ("ascii", "iso8859-1"):
        codec = "cp1252"  # as browsers do (WHATWG Encoding): these labels mean windows-1252
    return content.decode(codec, errors=_FALLBACK)


def _guess_codec(content: bytes) -> str:
    """charset-normalizer's guess, but Windows-1252 whenever it is among the candidates: on short
    French text the top pick is often cp1250 or cp1257 ("à" -> "ŕ"), and these French-language
    sites use no other single-byte charset.

    charset-normalizer is imported here, on first use: most pages declare their charset or are
    UTF-8, and its import cost every parsing worker 2.5 MB and 10 ms (issue 17)."""
    import charset_normalizer

    candidates = [match.encoding for match in charset_normalizer.from_bytes(content)]
    if not candidates or "cp1252" in candidates:
        return "cp1252"
    return _codec(candidates[0]) or "cp1252"


def _declared_charset(content: bytes, content_type: str | None) -> str | None:
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        return match.group(1)
    head = content[:2048]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii")
    # Bytes that spell out "<meta charset" in ASCII are no UTF-16: browsers read a UTF-16 label
    # found in the document as UTF-8 (WHATWG HTML, "prescan a byte stream"; the BOM is checked
    # first, above)
    if (_codec(label) or "").startswith(("utf-16", "utf-32")):
        return "utf-8"
    return label


def _codec(label: str | None) -> str | None:
    """Python's codec name for a charset label, or None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
        b"a".decode(name, "ignore")  # rejects codecs that are no text encoding ("base64")
    except LookupError:
        return None
    return name
