"""A small web service on clusterkit: upload a dataset, get its report and KPIs as JSON.

Every endpoint takes what ``clusterkit validate`` takes, as an upload: a ``.zip`` of
a folder of CSV or JSON Lines files, a ``.json`` document or an ``.xlsx`` workbook.

- ``POST /validate``: the validation report (``Report.to_dict()``).
- ``POST /kpis?by=generation``: the KPIs (``KPIResult.to_dict()``).
- ``POST /dataset``: the dataset as clusterkit reads it, normalised; a
  ``clusterkit.Dataset`` is the response model, so the OpenAPI schema lists every
  record model and vocabulary.
- ``POST /partnerships``: one partnership as a JSON body, normalised, with the
  ``clusterkit.Partnership`` model as request and response type.

Run it with ``pip install fastapi python-multipart uvicorn`` and
``uvicorn webapp:app`` from this folder, then open http://127.0.0.1:8000/docs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, File, HTTPException, Query, UploadFile

import clusterkit as ck

app = FastAPI(
    title="clusterkit service",
    summary="Validate EU cluster-partnership datasets and compute their KPIs.",
)

Upload = Annotated[
    UploadFile, File(description="A .zip of CSV or JSON Lines files, .json or .xlsx")
]


@app.post("/validate")
def validate(file: Upload) -> dict[str, Any]:
    """The validation report of an uploaded dataset: every finding, located."""
    report = ck.validate(file.file, name=file.filename)
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
