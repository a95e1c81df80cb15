"""Hypothesis strategies that build random *valid* journeys and programs."""

from __future__ import annotations

from hypothesis import strategies as st

from journeys.contract.model import (
    Anchor,
    Channel,
    Entry,
    Finding,
    FindingStatus,
    FindingType,
    Flow,
    Journey,
    JourneyState,
    JourneyType,
    Link,
    Moment,
    Objective,
    Phase,
    Program,
    Purpose,
    Source,
    Step,
    StepKind,
    Subscription,
    Timing,
    Touchpoint,
    TouchpointStatus,
)

# Text a user may type: accents, €, «», emoji, quotes, YAML and markup characters, newlines.
_alphabet = st.characters(
    blacklist_categories=("Cs", "Cc"),
    whitelist_characters="\n\t",
)
text = st.text(_alphabet, min_size=1, max_size=40).filter(lambda s: s.strip() != "")
optional_text = st.none() | text
slug = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)


def _unique_slugs(n_min: int, n_max: int) -> st.SearchStrategy[list[str]]:
    return st.lists(slug, min_size=n_min, max_size=n_max, unique=True)


findings = st.builds(
    Finding,
    type=st.sampled_from(FindingType),
    intensity=st.integers(1, 3),
    text=text,
    source=st.sampled_from(Source),
    improvement=optional_text,
    status=st.sampled_from(FindingStatus),
    visit=st.none() | slug,
)


@st.composite
def journeys(draw: st.DrawFn) -> Journey:
    moment_ids = draw(_unique_slugs(1, 5))
    channel_ids = draw(_unique_slugs(1, 4))
    touchpoint_ids = draw(_unique_slugs(0, 6))
    touchpoints = [
        Touchpoint(
            id=tp,
            moment=draw(st.sampled_from(moment_ids)),
            channel=draw(st.sampled_from(channel_ids)),
            label=draw(text),
            status=draw(st.sampled_from(TouchpointStatus)),
            owner=draw(optional_text),
            description=draw(optional_text),
            findings=draw(st.lists(findings, max_size=3)),
        )
        for tp in touchpoint_ids
    ]
    flows = []
    if touchpoint_ids:
        ends = st.sampled_from(touchpoint_ids)
        flows = draw(
            st.lists(
                st.builds(Flow, from_=ends, to=ends, break_=st.booleans(), label=optional_text),
                max_size=4,
            )
        )
    return Journey(
        id=draw(slug),
        title=draw(text),
        journey_type=draw(st.sampled_from(JourneyType)),
        state=draw(st.sampled_from(JourneyState)),
        language=draw(st.sampled_from(["fr", "en"])),
        persona=draw(optional_text),
        description=draw(optional_text),
        objectives=draw(st.lists(st.sampled_from(Objective), unique=True, max_size=3)),
        derived_from=draw(st.none() | slug),
        moments=[
            Moment(
                id=m,
                label=draw(text),
                key=draw(st.booleans()),
                description=draw(optional_text),
                kpi=draw(optional_text),
            )
            for m in moment_ids
        ],
        channels=[
            Channel(id=c, label=draw(text), description=draw(optional_text)) for c in channel_ids
        ],
        touchpoints=touchpoints,
        flows=flows,
    )


@st.composite
def timings(draw: st.DrawFn) -> Timing:
    anchor = draw(st.sampled_from(Anchor))
    event = draw(slug) if anchor is Anchor.EVENT else None
    return Timing(anchor=anchor, offset_days=draw(st.integers(-3650, 3650)), event=event)


_values = st.lists(text, max_size=3)
_some = st.lists(text, min_size=1, max_size=3)
# an entry names at least one value: one list is never empty
entries = st.builds(Entry, segment=_some, offer=_values, payment_method=_values) | st.builds(
    Entry, offer=_values, payment_method=_some
)
subscriptions = st.builds(
    Subscription,
    term_months=st.integers(1, 120),
    tacit_renewal=st.booleans(),
    prenotification_days=st.none() | st.integers(0, 60),
) | st.builds(Subscription, prenotification_days=st.none() | st.integers(0, 60))


@st.composite
def steps(draw: st.DrawFn, step_id: str, phase_ids: list[str]) -> Step:
    kind = draw(st.sampled_from(StepKind))
    return Step(
        id=step_id,
        phase=draw(st.sampled_from(phase_ids)),
        kind=kind,
        label=draw(text),
        channel=draw(st.none() | slug),
        timing=draw(st.none() | timings()),
        purpose=draw(st.none() | st.sampled_from(Purpose)),
        entry=draw(st.none() | entries) if kind is StepKind.TRIGGER else None,
        kpi=draw(optional_text),
        description=draw(optional_text),
    )


@st.composite
def programs(draw: st.DrawFn) -> Program:
    phase_ids = draw(_unique_slugs(1, 4))
    step_ids = draw(_unique_slugs(1, 8))
    steps_ = [draw(steps(s, phase_ids)) for s in step_ids]
    ends = st.sampled_from(step_ids)
    links = draw(st.lists(st.builds(Link, from_=ends, to=ends, label=st.just("") | text)))
    return Program(
        id=draw(slug),
        title=draw(text),
        journey=draw(st.none() | slug),
        objective=draw(st.sampled_from(Objective)),
        goal=draw(optional_text),
        language=draw(st.sampled_from(["fr", "en"])),
        description=draw(optional_text),
        phases=[
            Phase(
                id=p,
                label=draw(text),
                moment=draw(st.none() | slug),
                description=draw(optional_text),
            )
            for p in phase_ids
        ],
        subscription=draw(st.none() | subscriptions),
        steps=steps_,
        links=links,
    )


documents = journeys() | programs()
