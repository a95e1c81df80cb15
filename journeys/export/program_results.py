"""What a program's PDF tells a manager besides its diagram: a dry run over the journey's
subscriber base (or a stated number of subscribers), its pressure and quiet hours across the
journey's programs, and the French law checks; gathered from the store."""

from __future__ import annotations

from datetime import date

from journeys.contract.model import Journey, Program
from journeys.errors import NotFoundError
from journeys.i18n import document_language, t
from journeys.programs.compliance import applies_by_default, check_compliance
from journeys.report.program_results import ProgramResults
from journeys.roles import Permission, requires
from journeys.store.db import Store


@requires(Permission.READ)
def program_results(
    program: Program,
    journey: Journey | None,
    *,
    store: Store,
    dryrun: bool | None = None,
    subscribers: int | None = None,
    day0: date | None = None,
    language: str | None = None,
) -> ProgramResults | None:
    """The dry run and law checks a program's PDF adds after its diagram, or None when there
    is nothing to add (no dry run, no check that applies).

    The dry run runs the program with the other programs of its journey (pressure is across
    them) over the journey's linked base; `dryrun` None runs it only when a base is linked,
    True runs it anyway (without a base: `subscribers`, default 10,000, from `day0`, with the
    assumptions stated), False leaves it out. A dry run that cannot be done is said, not
    raised. The law checks are in when they apply by default (a French program or journey).
    """
    from journeys.data.services import journey_base_link
    from journeys.programs.dryrun_services import (
        PopulationChoice,
        dry_run_programs,
        journey_programs,
    )

    lang = document_language(language or program.language)
    linked = journey if journey is not None and program.journey == journey.id else None
    checks = tuple(check_compliance(program, linked)) if applies_by_default(program, linked) else ()
    base = journey_base_link(linked.id, store=store) if linked is not None else None
    if dryrun is False or (dryrun is None and base is None):
        why = t("dryrun.pdf.left_out" if dryrun is False else "dryrun.pdf.no_base", lang)
        return ProgramResults(None, why, checks) if checks else None
    programs = [program]
    if linked is not None:
        others = journey_programs(linked.id, store=store)
        programs += [p for p in others if p.id != program.id]
    choice = (
        PopulationChoice(base=base[0])
        if base is not None and subscribers is None
        else PopulationChoice(subscribers=subscribers, day0=day0)
    )
    try:
        report = dry_run_programs(programs, linked, store=store, choice=choice)
    except (ValueError, NotFoundError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return ProgramResults(None, t("dryrun.pdf.failed", lang, reason=reason), checks)
    return ProgramResults(report, "", checks)
