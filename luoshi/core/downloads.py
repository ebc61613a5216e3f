"""A file the browser saves: every download of a document goes through here, pages and API alike."""

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A document's formats: extension → (render the content to bytes, its content type).
Formats = Mapping[str, tuple[Callable[[Any], bytes], str]]


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """`content` saved as `filename` (a Chinese name kept whole, as RFC 6266's filename*)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def document(formats: Formats, fmt: str, content: Any, stem: str) -> HttpResponse:
    """`content` rendered in the format asked for, saved as `stem.fmt`; 404 for a format it has not."""
    if fmt not in formats:
        raise Http404("no such format")
    render, content_type = formats[fmt]
    return attachment(render(content), f"{stem}.{fmt}", content_type)


def stored_file(file: FieldFile, filename: str = "") -> FileResponse:
    """An uploaded file (evidence, an attachment) saved under `filename` (its stored name otherwise);
    404 when there is none or it has gone from storage, never a 500."""
    if not file:
        raise Http404("no file")
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("the file is missing from storage") from None
    return FileResponse(handle, as_attachment=True, filename=filename or (file.name or "").rsplit("/", 1)[-1])
