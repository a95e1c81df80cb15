"""`journeys import FILE.xlsx`: a workbook's changes printed, then applied all or nothing (or
only printed, with --preview)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeys.library.workbook_import import WorkbookPlan
    from journeys.services import Store


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def import_workbook_file(
    path: Path, *, store: Store, preview: bool, echo: Callable[..., None]
) -> bool:
    """Print what the workbook changes and apply it unless `preview`; True when it went well.

    Refusals and conflicts are printed on stderr: nothing is changed then.
    """
    from journeys import services
    from journeys.settings import get_settings

    lang = get_settings().language
    try:
        data = path.read_bytes()
        run = services.preview_workbook if preview else services.import_workbook
        plan = run(data, store=store, source_name=str(path), language=lang)
    except services.WorkbookConflictError as error:
        _print(error.plan, lang, echo, str(path))
        echo(str(error), err=True)
        return False
    except (services.WorkbookError, services.StoreError, OSError) as error:
        echo(str(error), err=True)
        return False
    _print(plan, lang, echo, str(path))
    if preview:
        echo(f"{path}: preview only, nothing changed")
    elif plan.new_journey is not None:
        echo(f"{path}: imported journey '{plan.journey_id}'")
    else:
        echo(f"{path}: {plan.count} change(s) applied to journey '{plan.journey_id}'")
    return not plan.conflicts


def _print(plan: WorkbookPlan, lang: str, echo: Callable[..., None], name: str) -> None:
    from journeys.i18n import t
    from journeys.library import workbook_words as words

    echo(f"{name}: {words.headline(plan, lang)}")
    for where, text in words.change_lines(plan, lang):
        echo(f"  {where}  {text}")
    if plan.notes:
        echo(t("library.import_notes", lang) + ":")
        for where, text in words.note_lines(plan, lang):
            echo(f"  {where}  {text}")
    if plan.conflicts:
        echo(t("library.import_conflicts", lang) + ":", err=True)
        for where, text in words.conflict_lines(plan, lang):
            echo(f"  {where}  {text}", err=True)
        echo(t("workbook.has_conflicts", lang), err=True)
