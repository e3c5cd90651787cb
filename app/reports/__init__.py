"""Statistics reports as files: the current view as .xlsx, the printable report as A4 PDF.

Plain Python (openpyxl, reportlab): no Qt and no database here. Both writers take the
`Statistics` value the statistics service computed, so a report shows exactly the figures the
window and `python -m app stats` show.

`write_report(stats, path, station_name, progress)` picks the writer by the file's extension.
`progress(done, total)` is called from the writing thread after each step (the window marshals
it to its progress dialog); an exception raised by it aborts the export. A file is written
under a temporary name next to `path` and renamed over it only when complete, so an aborted or
failed export never leaves half a file (nor destroys an older one).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Progress = Callable[[int, int], None]  # (steps done, steps in all)

XLSX, PDF = ".xlsx", ".pdf"
FORMATS = {XLSX: "Excel 工作簿", PDF: "PDF 报告"}
UNSUPPORTED_MESSAGE = "只支持 .xlsx 或 .pdf"


def report_format(path: str | Path) -> str | None:
    """".xlsx" or ".pdf" by the extension (any case), or None for anything else."""
    suffix = Path(path).suffix.lower()
    return suffix if suffix in FORMATS else None


def write_report(stats, path: str | Path, station_name: str, progress: Progress | None = None) -> Path:
    """Write `stats` to `path` as .xlsx or .pdf (by its extension); returns the path written.

    Raises ValueError for another extension and OSError when the file cannot be written.
    """
    fmt = report_format(path)
    if fmt == XLSX:
        from .xlsx import write_xlsx

        return write_xlsx(stats, path, station_name, progress)
    if fmt == PDF:
        from .pdf import write_pdf

        return write_pdf(stats, path, station_name, progress)
    raise ValueError(UNSUPPORTED_MESSAGE)
