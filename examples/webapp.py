"""A small web service on clusterkit: upload a dataset, get its report and KPIs as JSON.

Every endpoint takes what ``clusterkit validate`` takes, as an upload: a ``.zip`` of
a folder of CSV or JSON Lines files, a ``.json`` document or an ``.xlsx`` workbook.

- ``POST /validate``: the validation report (``Report.to_dict()``), with at most
  ``MAX_FINDINGS`` findings; its summary counts them all and says when it is truncated.
- ``POST /kpis?by=generation``: the KPIs (``KPIResult.to_dict()``); an upload of
  which nothing could be read is a 422 that says why.
- ``POST /dataset``: the dataset as clusterkit reads it, normalised; a
  ``clusterkit.Dataset`` is the response model, so the OpenAPI schema lists every
  record model and vocabulary.
- ``POST /partnerships``: one partnership as a JSON body, normalised, with the
  ``clusterkit.Partnership`` model as request and response type.

Run it with ``pip install fastapi python-multipart uvicorn`` (and
``pip install 'clusterkit-eu[excel]'`` to accept workbooks) and
``uvicorn webapp:app`` from this folder, then open http://127.0.0.1:8000/docs.
"""

from __future__ import annotations

from typing import Annotated, Any

import pydantic_core
from fastapi import FastAPI, File, HTTPException, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError

import clusterkit as ck

app = FastAPI(
    title="clusterkit service",
    summary="Validate EU cluster-partnership datasets and compute their KPIs.",
)

# The findings a report keeps: every finding is still counted, but each one kept
# costs memory and response size, and an upload of bad rows can hold millions.
MAX_FINDINGS = 100

Upload = Annotated[
    UploadFile, File(description="A .zip of CSV or JSON Lines files, .json or .xlsx")
]


@app.post("/validate")
def validate(file: Upload) -> dict[str, Any]:
    """The validation report of an uploaded dataset: every finding, located."""
    report = ck.validate(file.file, name=file.filename, max_findings=MAX_FINDINGS)
    return report.to_dict()


@app.post("/kpis")
def kpis(
    file: Upload,
    by: Annotated[
        str | None, Query(description="A breakdown: generation, partnership, …")
    ] = None,
) -> dict[str, Any]:
    """The KPIs of an uploaded dataset, computed from the records that validate."""
    try:
        result = ck.compute_kpis(file.file, name=file.filename, by=by)
    except ValueError as error:  # an unknown breakdown: the caller's mistake
        raise HTTPException(status_code=422, detail=str(error)) from None
    if "CK-FILE-001" in result.excluded_by_rule and not any(
        count.read for count in result.records.values()
    ):
        # Nothing could be read: KPIs of 0 would pass for an answer.
        findings = result.validation.findings if result.validation else ()
        unread = [
            f"{f.location}: {f.message}" for f in findings if f.rule == "CK-FILE-001"
        ]
        raise HTTPException(status_code=422, detail="; ".join(unread))
    return result.to_dict()


@app.post("/dataset")
def dataset(file: Upload) -> ck.Dataset:
    """The uploaded dataset as clusterkit reads it: codes, dates and defaults normalised."""
    try:
        return ck.load_dataset(file.file, name=file.filename)
    except ck.DatasetReadError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None


@app.post("/partnerships")
def partnership(body: ck.Partnership) -> ck.Partnership:
    """One partnership, checked by the model and returned normalised."""
    return body


@app.exception_handler(RequestValidationError)
def invalid_request(_: Request, error: RequestValidationError) -> Response:
    """FastAPI's 422, with a detail that JSON can hold.

    A body's `1e400` reads as infinity, which the default response refuses to
    write (a 500); pydantic writes it as the string "Infinity".
    """
    detail = pydantic_core.to_json(
        {"detail": error.errors()}, fallback=str, inf_nan_mode="strings"
    )
    return Response(detail, status_code=422, media_type="application/json")
