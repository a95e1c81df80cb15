"""Agency CSV mappings: headers to visit fields, agency words to journey ids, cell parsing."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from journeys.contract.model import FindingType, Slug
from journeys.headers import match_headers, normalize, words


class VisitField(StrEnum):
    """The visit and observation fields an agency column can feed."""

    VISIT = "visit"
    VISITED_AT = "visited_at"
    VISIT_TIME = "visit_time"
    SHOPPER = "shopper"
    PERSONA = "persona"
    SCENARIO = "scenario"
    MOMENT = "moment"
    CHANNEL = "channel"
    TOUCHPOINT = "touchpoint"
    TYPE = "type"
    INTENSITY = "intensity"
    RATING = "rating"
    WAIT_MINUTES = "wait_minutes"
    TEXT = "text"
    VERBATIM = "verbatim"


REQUIRED_FIELDS = (
    VisitField.VISITED_AT,
    VisitField.SHOPPER,
    VisitField.MOMENT,
    VisitField.CHANNEL,
    VisitField.TYPE,
    VisitField.TEXT,
)


_words = words


SYNONYMS: dict[VisitField, tuple[str, ...]] = {
    VisitField.VISIT: _words("visite | n visite | numero de visite | id visite | visit | visit id"),
    VisitField.VISITED_AT: _words(
        "date de visite | date visite | date | date et heure | jour | visit date | visited at"
    ),
    VisitField.VISIT_TIME: _words(
        "heure | heure de visite | heure visite | heure de passage | horaire | time | visit time"
    ),
    VisitField.SHOPPER: _words(
        "enqueteur | enquetrice | client mystere | visiteur | auditeur | alias | shopper"
        " | mystery shopper | auditor"
    ),
    VisitField.PERSONA: _words("persona | profil | profile"),
    VisitField.SCENARIO: _words("scenario | mission | script"),
    VisitField.MOMENT: _words(
        "moment | moment de vie | etape | phase | life moment | stage | step"
    ),
    VisitField.CHANNEL: _words("canal | canal de contact | media | channel | contact channel"),
    VisitField.TOUCHPOINT: _words("point de contact | touchpoint | touch point | contact point"),
    VisitField.TYPE: _words("type | type de constat | nature | categorie | finding type | kind"),
    VisitField.INTENSITY: _words("intensite | gravite | force | intensity | severity"),
    VisitField.RATING: _words("note | note 5 | notation | satisfaction | rating | score"),
    VisitField.WAIT_MINUTES: _words(
        "attente | attente min | temps d attente | duree d attente | wait | wait min"
        " | waiting time | wait minutes"
    ),
    VisitField.TEXT: _words(
        "commentaire | commentaires | constat | observation | remarque | description | comment"
        " | comments | text | finding"
    ),
    VisitField.VERBATIM: _words("verbatim | verbatims | citation | quote | quotes"),
}

TYPE_WORDS: dict[FindingType, tuple[str, ...]] = {
    FindingType.DELIGHT: _words(
        "delight | delights | bonheur | bonheurs | enchantement | enchantements | point positif"
        " | positif | positive | moment de bonheur"
    ),
    FindingType.IRRITANT: _words(
        "irritant | irritants | douleur | douleurs | pain | pain point | pain points"
        " | point negatif | negatif | negative | frustration | irritation"
    ),
    FindingType.BREAK: _words(
        "rupture | ruptures | rupture de parcours | break | breaks | cassure"
    ),
}


def intensity_from_rating(rating: int, finding_type: FindingType) -> int:
    """Return the intensity (1-3) a rating out of 5 gives a finding of this type.

    A low rating makes an irritant or a break strong (1-2 -> 3, 3 -> 2, 4-5 -> 1); a high
    rating makes a delight strong (4-5 -> 3, 3 -> 2, 1-2 -> 1).
    """
    strength = 3 if rating <= 2 else 2 if rating == 3 else 1
    return 4 - strength if finding_type is FindingType.DELIGHT else strength


class _Plain(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnMapping(_Plain):
    """Which agency column feeds which visit field; saved per agency as YAML or JSON."""

    columns: dict[VisitField, str] = Field(default_factory=dict)

    def missing_required(self) -> list[VisitField]:
        """Return the required fields no column feeds, in the order of REQUIRED_FIELDS."""
        return [f for f in REQUIRED_FIELDS if not self.columns.get(f)]


class ValueMapping(_Plain):
    """Agency words and labels mapped to finding types and journey ids (keys fold accents/case)."""

    types: dict[str, FindingType] = Field(default_factory=dict)
    moments: dict[str, Slug] = Field(default_factory=dict)
    channels: dict[str, Slug] = Field(default_factory=dict)
    touchpoints: dict[str, Slug] = Field(default_factory=dict)


def suggest_mapping(headers: Iterable[str]) -> ColumnMapping:
    """Return the best guess of which header feeds which field (French and English names).

    Each header feeds at most one field and each field takes at most one header; the
    closest matches are assigned first. Fields with no convincing header are left out.
    """
    return ColumnMapping(columns=match_headers(headers, SYNONYMS))


@dataclass
class LabelIndex:
    """Resolves what an agency wrote (id, label, mapped word) to an id; suggests near misses."""

    choices: dict[str, str]
    by_key: dict[str, str] = field(default_factory=dict)
    _suggested: dict[tuple[str, int], list[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]], overrides: dict[str, str]) -> LabelIndex:
        """Index (id, label) pairs; overrides (agency word -> id) win, then ids, then labels."""
        pairs = list(items)
        index = cls(choices=dict(pairs))
        for word, ident in overrides.items():
            index.by_key.setdefault(normalize(word), ident)
        for ident, _ in pairs:
            index.by_key.setdefault(normalize(ident), ident)
        for ident, label in pairs:
            index.by_key.setdefault(normalize(label), ident)
        return index

    def resolve(self, value: str) -> str | None:
        """Return the id the value stands for, or None."""
        return self.by_key.get(normalize(value))

    def suggest(self, value: str, limit: int = 3) -> list[str]:
        """Return up to `limit` ids whose id or label is close to the value, best first."""
        key = (normalize(value), limit)
        if key not in self._suggested:  # an unknown label tends to repeat on many rows
            keys = [k for k in self.by_key if k]
            close = difflib.get_close_matches(key[0], keys, n=limit * 2, cutoff=0.5)
            ids = [self.by_key[k] for k in close]
            self._suggested[key] = list(dict.fromkeys(ids))[:limit]
        return list(self._suggested[key])


def type_index(overrides: dict[str, FindingType]) -> LabelIndex:
    """Return the index of finding-type words (French and English), overrides first."""
    words = [(t.value, w) for t, ws in TYPE_WORDS.items() for w in ws]
    return LabelIndex.build(words, {w: t.value for w, t in overrides.items()})
