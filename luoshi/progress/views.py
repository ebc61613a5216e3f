"""Evidence files are served only to people who may see their task."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse

from luoshi.core import downloads
from luoshi.core.access import get_for
from luoshi.core.types import AuthedRequest
from luoshi.progress.models import Evidence


def evidence_file(person, evidence_id: int) -> FileResponse:
    """The evidence file as a download, if the person may see its task; one 404 otherwise.

    The page and the API both answer with this."""
    evidence = get_for(Evidence, person, evidence_id)  # 404 unless its task is visible
    return downloads.stored_file(evidence.file, evidence.original_name)


@login_required
def evidence_download(request: AuthedRequest, evidence_id: int) -> FileResponse:
    return evidence_file(request.user, evidence_id)
