"""Agency CSV import: sniffing, mappings, row errors and the all-or-nothing preview."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from journeys.contract.model import FindingType, Journey
from journeys.visits.agency.mapping import (
    ColumnMapping,
    ValueMapping,
    VisitField,
    suggest_mapping,
)
from journeys.visits.agency.preview import CsvError, decode, guess_delimiter, preview_import, sniff
from journeys.visits.agency.rows import parse_datetime, parse_number
from journeys.visits.model import VisitStatus

CORPUS = Path(__file__).parents[1] / "fixtures" / "csv"
F = VisitField


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def journey() -> Journey:
    return Journey.model_validate(
        {
            "id": "premier-abonnement",
            "title": "Parcours premier abonnement",
            "moments": [
                {"id": "souscription", "label": "Souscription"},
                {"id": "accueil", "label": "Accueil"},
                {"id": "premiere-livraison", "label": "Première livraison"},
                {"id": "resiliation", "label": "Résiliation"},
            ],
            "channels": [
                {"id": "web", "label": "Site web"},
                {"id": "email", "label": "Email"},
                {"id": "telephone", "label": "Téléphone"},
                {"id": "boutique", "label": "Boutique"},
            ],
            "touchpoints": [
                {"id": "formulaire", "moment": "souscription", "channel": "web", "label": "Form"},
                {"id": "email-bienvenue", "moment": "accueil", "channel": "email", "label": "Mail"},
                {
                    "id": "appel-service",
                    "moment": "resiliation",
                    "channel": "telephone",
                    "label": "Appel au service client",
                },
            ],
        }
    )


def preview(data: bytes, values: ValueMapping | None = None):
    return preview_import(data, journey(), suggest_mapping(sniff(data).headers), values)


def codes(result) -> list[tuple[int | None, str | None, str]]:
    return [(e.row, e.column, e.code) for e in result.errors]


# --- sniffing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("semicolon_utf8.csv", "utf-8", ";"),
        ("comma_utf8_bom.csv", "utf-8-sig", ","),
        ("tab_utf8.csv", "utf-8", "\t"),
        ("cp1252.csv", "cp1252", ";"),
    ],
)
def test_sniff_detects_encoding_and_delimiter_of_each_corpus_file(name, encoding, delimiter):
    found = sniff(corpus(name))
    assert (found.encoding, found.delimiter) == (encoding, delimiter)


def test_sniff_strips_the_utf8_bom_from_the_first_header():
    assert sniff(corpus("comma_utf8_bom.csv")).headers[0] == "Visit date"


def test_windows_1252_accents_and_euro_sign_are_decoded_not_garbled():
    found = sniff(corpus("cp1252.csv"))
    assert found.headers[1] == "Enquêteur"
    text = preview(corpus("cp1252.csv")).visits[0].observations[0].text
    assert text == "Reçu facturé 9,90 € à la livraison — cœur brisé"


def test_utf16_with_bom_as_saved_by_excel_unicode_text_is_read():
    data = "Date\tEnquêteur\n05/03/2024\tLéa\n".encode("utf-16")
    assert sniff(data).headers == ("Date", "Enquêteur")


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused_with_a_clear_error():
    with pytest.raises(CsvError, match="not UTF-8 or Windows-1252") as caught:
        decode(b"Date;Canal\n\x81\x8d;x\n")
    assert caught.value.code == "unknown_encoding"


@pytest.mark.parametrize("data", [b"PK\x03\x04rest-of-zip", b"Date;\x00\x01\x02"])
def test_excel_workbooks_and_binary_files_are_refused_as_not_csv(data):
    with pytest.raises(CsvError) as caught:
        sniff(data)
    assert caught.value.code == "not_csv"


def test_delimiter_is_the_consistent_one_even_when_text_cells_hold_commas():
    text = "a;b;c\n1;Prix, délais, accueil;x\n2;ok;y\n3;un, deux;z\n"
    assert guess_delimiter(text) == ";"


def test_delimiters_inside_quotes_are_not_counted():
    text = 'a,b\n"x;y;z;w",1\n"p;q",2\n'
    assert guess_delimiter(text) == ","


def test_duplicate_header_names_are_refused():
    with pytest.raises(CsvError, match="both named 'Note'"):
        sniff(b"Note;Date;Note\n1;2;3\n")


# --- mappings ----------------------------------------------------------------------------


def test_suggest_mapping_recognises_french_agency_headers():
    mapping = suggest_mapping(sniff(corpus("semicolon_utf8.csv")).headers)
    assert mapping.columns == {
        F.VISITED_AT: "Date de visite",
        F.SHOPPER: "Enquêteur",
        F.MOMENT: "Moment",
        F.CHANNEL: "Canal",
        F.TOUCHPOINT: "Point de contact",
        F.TYPE: "Type",
        F.RATING: "Note",
        F.WAIT_MINUTES: "Attente (min)",
        F.TEXT: "Commentaire",
        F.VERBATIM: "Verbatim",
    }


def test_suggest_mapping_recognises_english_headers_and_accent_or_case_variants():
    mapping = suggest_mapping(["VISIT DATE", "shopper", "Étape", "Canal de contact", "Nature"])
    assert mapping.columns == {
        F.VISITED_AT: "VISIT DATE",
        F.SHOPPER: "shopper",
        F.MOMENT: "Étape",
        F.CHANNEL: "Canal de contact",
        F.TYPE: "Nature",
    }


def test_suggest_mapping_tolerates_a_typo_and_ignores_unrelated_columns():
    mapping = suggest_mapping(["Comentaire", "Code postal", "Date de visite"])
    assert mapping.columns == {F.VISITED_AT: "Date de visite", F.TEXT: "Comentaire"}


def test_suggest_mapping_gives_each_header_to_one_field_only():
    mapping = suggest_mapping(["Commentaire enquêteur", "Enquêteur"])
    assert mapping.columns == {F.SHOPPER: "Enquêteur", F.TEXT: "Commentaire enquêteur"}


def test_mappings_round_trip_through_yaml_and_json_for_saving_per_agency():
    columns = suggest_mapping(sniff(corpus("semicolon_utf8.csv")).headers)
    values = ValueMapping(
        types={"Coup de cœur": FindingType.DELIGHT}, moments={"Acceuil": "accueil"}
    )
    dumped = yaml.safe_dump(columns.model_dump(mode="json"), allow_unicode=True)
    assert ColumnMapping.model_validate(yaml.safe_load(dumped)) == columns
    assert ValueMapping.model_validate_json(values.model_dump_json()) == values


def test_a_mapping_with_an_unknown_field_is_refused():
    with pytest.raises(ValueError):
        ColumnMapping.model_validate({"columns": {"colour": "Couleur"}})


# --- values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/2024", datetime(2024, 3, 5)),
        ("5/3/2024", datetime(2024, 3, 5)),
        ("05/03/2024 14:30", datetime(2024, 3, 5, 14, 30)),
        ("05/03/2024 14h30", datetime(2024, 3, 5, 14, 30)),
        ("05.03.2024 14:30:15", datetime(2024, 3, 5, 14, 30, 15)),
        ("2024-03-05", datetime(2024, 3, 5)),
        ("2024-03-05T14:30", datetime(2024, 3, 5, 14, 30)),
    ],
)
def test_french_and_iso_dates_are_read_day_first(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    "text", ["31/02/2024", "2024/03/05", "03-05-24", "demain", "05/03/2024 25:00"]
)
def test_impossible_or_unreadable_dates_are_refused(text):
    with pytest.raises(ValueError, match="05/03/2024"):
        parse_datetime(text)


@pytest.mark.parametrize(("text", "number"), [("3,5", 3.5), ("12.25", 12.25), (" 1 200 ", 1200)])
def test_numbers_accept_a_decimal_comma_and_spaces(text, number):
    assert parse_number(text, low=0, high=None, whole=False) == number


@pytest.mark.parametrize("text", ["-3", "=1+1", "3,5", "6", "+4", "@1"])
def test_a_rating_must_be_a_plain_whole_number_from_one_to_five(text):
    with pytest.raises(ValueError, match="whole number from 1 to 5"):
        parse_number(text, low=1, high=5, whole=True)


# --- previews of the corpus --------------------------------------------------------------


def test_semicolon_file_groups_rows_into_visits_by_shopper_date_and_time():
    result = preview(corpus("semicolon_utf8.csv"))
    assert result.ok, result.errors
    assert [v.id for v in result.visits] == ["2024-03-05-1430-marie-d", "2024-03-06-0905-paul"]
    marie, paul = result.visits
    assert marie.visited_at == datetime(2024, 3, 5, 14, 30)
    assert marie.status is VisitStatus.SUBMITTED and marie.journey == "premier-abonnement"
    first, second = marie.observations
    assert (first.moment, first.channel, first.touchpoint) == ("souscription", "web", "formulaire")
    assert (first.type, first.rating, first.wait_minutes) == (FindingType.IRRITANT, 2, 3.5)
    assert first.verbatim == "« J'ai abandonné ; deux fois »"
    assert second.text == "Email de bienvenue\nclair et chaleureux"
    assert second.type is FindingType.DELIGHT and second.intensity == 3  # rated 5 of 5
    assert [o.type for o in paul.observations] == [FindingType.BREAK, FindingType.IRRITANT]
    assert paul.observations[1].wait_minutes == 12.25


def test_bom_comma_file_reads_iso_dates_english_types_and_quoted_decimal_commas():
    result = preview(corpus("comma_utf8_bom.csv"))
    assert result.ok, result.errors
    alice = result.visits[0]
    assert [o.type for o in alice.observations] == [FindingType.DELIGHT, FindingType.IRRITANT]
    assert [o.wait_minutes for o in alice.observations] == [0, 3.5]
    assert alice.observations[1].text == "Codes arrived on Monday, not at once"


def test_tab_file_reads_intensity_and_matches_labels_with_accents():
    result = preview(corpus("tab_utf8.csv"))
    assert result.ok, result.errors
    (visit,) = result.visits
    assert visit.shopper == "Léa"
    assert [(o.moment, o.channel, o.intensity) for o in visit.observations] == [
        ("premiere-livraison", "boutique", 3),
        ("premiere-livraison", "email", 1),
    ]


def test_bad_dates_are_reported_by_spreadsheet_row_and_column_and_block_the_import():
    result = preview(corpus("bad_dates.csv"))
    assert not result.ok
    assert codes(result) == [(row, "Date de visite", "bad_date") for row in (2, 3, 4, 5)]
    assert "05/03/2024" in result.errors[0].message
    assert result.errors[2].value == "demain"
    assert result.observation_count == 1


def test_unknown_labels_are_reported_with_suggestions_and_gathered_per_value():
    result = preview(corpus("unknown_labels.csv"))
    assert codes(result) == [
        (2, "Moment", "unknown_moment"),
        (3, "Canal", "unknown_channel"),
        (4, "Type", "unknown_type"),
        (5, "Moment", "unknown_moment"),
    ]
    assert result.errors[0].suggestions[0] == "accueil"
    assert "did you mean: Accueil (accueil)" in result.errors[0].message
    assert "bonheur" in result.errors[2].message
    gathered = {(u.field, u.value): (u.rows, u.suggestions[:1]) for u in result.unknown}
    assert gathered[(F.MOMENT, "Acceuil")] == ((2, 5), ("accueil",))
    assert (F.CHANNEL, "Tél") in gathered and (F.TYPE, "super") in gathered


def test_a_value_mapping_resolves_agency_words_and_the_import_goes_through():
    values = ValueMapping(
        types={"Super": FindingType.DELIGHT},
        moments={"acceuil": "accueil"},
        channels={"Tél": "telephone"},
    )
    result = preview(corpus("unknown_labels.csv"), values)
    assert result.ok, result.errors
    assert result.visits[0].observations[1].channel == "telephone"


def test_a_value_mapping_to_an_id_the_journey_lacks_is_a_file_error():
    result = preview(corpus("unknown_labels.csv"), ValueMapping(moments={"Acceuil": "nowhere"}))
    assert codes(result) == [(None, None, "bad_value_mapping")]


def test_formula_like_cells_are_kept_verbatim_as_plain_text():
    result = preview(corpus("injection.csv"))
    assert result.ok, result.errors
    (visit,) = result.visits
    assert visit.shopper == "=cmd|' /C calc'!A0"
    assert [(o.text, o.verbatim) for o in visit.observations] == [
        ('=HYPERLINK("http://evil.example";"clic")', "-1"),
        ("+33 6 12 34 56 78", "@SUM(A1:A9)"),
        ("-3 points de satisfaction", "\tTab en tête"),
        ("\rRetour chariot en tête", "=1+1"),
    ]


def test_formula_like_cells_in_numeric_columns_are_errors_not_numbers():
    data = "Date;Enquêteur;Moment;Canal;Type;Note;Attente;Commentaire\n".encode()
    data += b"05/03/2024;A;Accueil;Email;irritant;=1+4;-3;x\n"
    result = preview(data)
    assert codes(result) == [(2, "Note", "bad_number"), (2, "Attente", "bad_number")]
    assert result.errors[0].value == "=1+4"


def test_an_empty_file_is_refused_with_a_clear_error():
    result = preview_import(corpus("empty.csv"), journey(), ColumnMapping())
    assert codes(result) == [(None, None, "empty_file")]
    assert not result.ok and result.errors[0].message == "the file is empty"


def test_a_file_with_headers_only_is_refused():
    result = preview(corpus("header_only.csv"))
    assert codes(result) == [(None, None, "no_rows")] and not result.ok


def test_ragged_rows_are_errors_but_trailing_empty_cells_are_tolerated():
    result = preview(corpus("ragged.csv"))
    assert codes(result) == [(3, None, "ragged_row"), (4, None, "ragged_row")]
    assert "4 cells where the header has 6" in result.errors[0].message
    assert result.observation_count == 2


def test_blank_lines_are_skipped_and_row_numbers_follow_the_spreadsheet():
    data = (
        b"Date;Enqueteur;Moment;Canal;Type;Commentaire\n\n;;;;;\n05/03/2024;A;x;Email;irritant;t\n"
    )
    assert codes(preview(data)) == [(4, "Moment", "unknown_moment")]


def test_a_required_empty_cell_and_a_too_long_text_are_reported():
    data = "Date;Enquêteur;Moment;Canal;Type;Commentaire\n".encode()
    data += f"05/03/2024;;Accueil;Email;irritant;{'x' * 301}\n".encode()
    assert codes(preview(data)) == [
        (2, "Enquêteur", "missing_value"),
        (2, "Commentaire", "too_long"),
    ]


def test_a_touchpoint_outside_the_rows_cell_is_an_error():
    data = "Date;Enquêteur;Moment;Canal;Type;Commentaire;Point de contact\n".encode()
    data += b"05/03/2024;A;Accueil;Email;irritant;t;formulaire\n"
    assert codes(preview(data)) == [(2, "Point de contact", "touchpoint_elsewhere")]


def test_a_mapping_missing_required_fields_or_naming_absent_columns_is_refused():
    mapping = ColumnMapping(columns={F.VISITED_AT: "Jour de passage", F.TEXT: "Commentaire"})
    result = preview_import(corpus("semicolon_utf8.csv"), journey(), mapping)
    assert [e.code for e in result.errors].count("unmapped_field") == 4
    assert (None, "Jour de passage", "missing_column") in codes(result)


def test_a_saved_mapping_matches_headers_whatever_their_case_and_accents():
    mapping = ColumnMapping(
        columns={F.VISITED_AT: "date de visite", F.SHOPPER: "ENQUETEUR", F.MOMENT: "moment"}
        | {F.CHANNEL: "canal", F.TYPE: "type", F.TEXT: "commentaire"}
    )
    assert preview_import(corpus("semicolon_utf8.csv"), journey(), mapping).ok


def test_a_visit_column_groups_rows_whatever_the_day():
    data = "N° visite;Date;Enquêteur;Moment;Canal;Type;Commentaire\n".encode()
    data += b"V-12;05/03/2024 23:50;A;Accueil;Email;irritant;t\n"
    data += b"V-12;06/03/2024 00:10;A;Accueil;Email;bonheur;u\n"
    result = preview(data)
    assert [(v.id, len(v.observations)) for v in result.visits] == [("v-12", 2)]


def test_unclosed_quotes_are_reported_not_swallowed():
    data = (
        b'Date;Enqueteur;Moment;Canal;Type;Commentaire\n05/03/2024;A;Accueil;Email;irritant;"open\n'
    )
    result = preview(data)
    assert [e.code for e in result.errors] == ["unreadable_row"] and not result.ok


def test_ten_thousand_rows_parse_into_grouped_visits():
    header = "Date de visite;Enquêteur;Moment;Canal;Type;Note;Attente (min);Commentaire"
    lines = [header] + [
        f"{1 + i % 28:02d}/03/2024 10:{i % 60:02d};Enquêteur {i % 20};Accueil;Email;"
        f"{('irritant', 'bonheur', 'rupture')[i % 3]};{1 + i % 5};{i % 7},5;Constat n°{i}"
        for i in range(10_000)
    ]
    result = preview("\r\n".join(lines).encode("cp1252"))
    assert result.ok, result.errors[:3]
    assert result.rows == result.observation_count == 10_000
    assert len(result.visits) == 420  # (day, minute, shopper): lcm(28, 60, 20)
    assert len({v.id for v in result.visits}) == len(result.visits)


# --- properties --------------------------------------------------------------------------

_cell_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=300
).filter(lambda t: t.strip())


@settings(max_examples=150, deadline=None)
@given(text=_cell_text, delimiter=st.sampled_from([";", ",", "\t"]))
def test_any_text_cell_written_by_a_csv_writer_comes_back_unchanged(text, delimiter):
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["Date", "Enquêteur", "Moment", "Canal", "Type", "Commentaire"])
    writer.writerow(["05/03/2024", "A", "Accueil", "Email", "irritant", text])
    result = preview(out.getvalue().encode("utf-8"))
    assert result.ok, result.errors
    assert result.visits[0].observations[0].text == text


def test_preview_results_serialise_to_json_for_pages_and_reports():
    result = preview(corpus("semicolon_utf8.csv"))
    dumped = json.loads(result.visits[0].model_dump_json())
    assert dumped["observations"][0]["wait_minutes"] == 3.5


def test_an_excel_sep_line_sets_the_delimiter_and_is_not_counted_as_a_row():
    data = b"sep=,\r\nDate;x,Enqueteur,Moment,Canal,Type,Commentaire\r\n"
    data += b"05/03/2024,A,nulle-part,Email,irritant,t\r\n"
    assert sniff(data).delimiter == ","
    assert codes(preview(data)) == [(2, "Moment", "unknown_moment")]


def test_blank_lines_before_the_header_are_skipped():
    data = b"\r\n;;\r\nDate;Enqueteur;Moment;Canal;Type;Commentaire\r\n"
    data += b"05/03/2024;A;Accueil;Email;irritant;t\r\n"
    found = sniff(data)
    assert (found.header_row, found.headers[0]) == (3, "Date")
    assert preview(data).ok


# --- the hour of a visit, what identifies it, the intensity of its findings ---------------


def test_a_separate_hour_column_gives_each_visit_its_time_and_keeps_same_day_calls_apart():
    data = corpus("date_heure_cp1252.csv")
    mapping = suggest_mapping(sniff(data).headers)
    assert (mapping.columns[F.VISITED_AT], mapping.columns[F.VISIT_TIME]) == ("Date", "Heure")
    assert (mapping.columns[F.PERSONA], mapping.columns[F.SCENARIO]) == ("Profil", "Scénario")

    result = preview(data)

    assert result.ok, result.errors
    assert [(v.id, v.visited_at, v.shopper, len(v.observations)) for v in result.visits] == [
        ("2026-11-03-0912-helene", datetime(2026, 11, 3, 9, 12), "Hélène", 2),
        ("2026-11-03-0931-helene", datetime(2026, 11, 3, 9, 31), "Hélène", 1),
        ("2026-11-03-1405-paul", datetime(2026, 11, 3, 14, 5), "Paul", 1),
    ]
    first = result.visits[0]
    assert (first.persona, first.scenario) == ("Retraitée", "Appel résiliation")
    assert first.observations[0].verbatim == "« On me balade »"
    assert first.observations[0].wait_minutes == 12.5
    assert result.visits[2].observations[0].text == "Formulaire trop long — 9,90 € de frais"


@pytest.mark.parametrize(
    ("date", "hour", "expected"),
    [
        ("03/11/2026", "09:12", datetime(2026, 11, 3, 9, 12)),
        ("03/11/2026", "9:12", datetime(2026, 11, 3, 9, 12)),
        ("03/11/2026", "09h12", datetime(2026, 11, 3, 9, 12)),
        ("03/11/2026", "9h", datetime(2026, 11, 3, 9, 0)),
        ("03/11/2026", "09:12:30", datetime(2026, 11, 3, 9, 12, 30)),
        ("03/11/2026", "9:12 PM", datetime(2026, 11, 3, 21, 12)),
        ("2026-11-03", "", datetime(2026, 11, 3)),
        ("03/11/2026 09:12", "", datetime(2026, 11, 3, 9, 12)),
        ("03/11/2026 09:12", "09:12", datetime(2026, 11, 3, 9, 12)),
    ],
)
def test_date_de_visite_and_heure_are_read_in_the_forms_agencies_write(date, hour, expected):
    data = "Date de visite;Heure de visite;Enquêteur;Moment;Canal;Type;Commentaire\r\n".encode()
    data += f"{date};{hour};Marie;Accueil;Email;irritant;t\r\n".encode("cp1252")

    result = preview(data)

    assert result.ok, result.errors
    assert result.visits[0].visited_at == expected


def test_a_combined_date_and_time_column_keeps_the_hour():
    data = b"Date et heure;Enqueteur;Moment;Canal;Type;Commentaire\r\n"
    data += b"2026-11-03 09:12;Marie;Accueil;Email;irritant;t\r\n"
    data += b"2026-11-03 09:31;Marie;Accueil;Email;irritant;u\r\n"

    result = preview(data)

    assert [(v.id, v.visited_at) for v in result.visits] == [
        ("2026-11-03-0912-marie", datetime(2026, 11, 3, 9, 12)),
        ("2026-11-03-0931-marie", datetime(2026, 11, 3, 9, 31)),
    ]


@pytest.mark.parametrize(
    ("date", "hour", "code"),
    [
        ("03/11/2026", "25:00", "bad_time"),
        ("03/11/2026", "midi", "bad_time"),
        ("03/11/2026 10:00", "09:12", "time_conflict"),
    ],
)
def test_an_impossible_or_contradicting_hour_is_an_error_of_its_row(date, hour, code):
    data = b"Date;Heure;Enqueteur;Moment;Canal;Type;Commentaire\r\n"
    data += f"{date};{hour};Marie;Accueil;Email;irritant;t\r\n".encode()

    result = preview(data)

    assert codes(result) == [(2, "Heure", code)] and not result.ok
    assert hour in result.errors[0].message


def test_a_visit_column_identifies_visits_even_with_the_same_shopper_and_time():
    data = b"N\xb0 visite;Date;Heure;Enqueteur;Moment;Canal;Type;Commentaire\r\n"
    data += b"V-1;03/11/2026;09:12;A;Accueil;Email;irritant;t\r\n"
    data += b"V-2;03/11/2026;09:12;A;Accueil;Email;irritant;u\r\n"

    result = preview(data)

    assert [v.id for v in result.visits] == ["v-1", "v-2"]


@pytest.mark.parametrize(
    ("kind", "rating", "intensity"),
    [
        ("irritant", "1", 3),
        ("irritant", "2", 3),
        ("irritant", "3", 2),
        ("irritant", "4", 1),
        ("rupture", "5", 1),
        ("rupture", "1", 3),
        ("bonheur", "5", 3),
        ("bonheur", "4", 3),
        ("bonheur", "3", 2),
        ("bonheur", "2", 1),
        ("irritant", "", 2),
    ],
)
def test_without_an_intensity_column_the_intensity_follows_the_rating(kind, rating, intensity):
    data = b"Date;Enqueteur;Moment;Canal;Type;Note;Commentaire\r\n"
    data += f"03/11/2026;A;Accueil;Email;{kind};{rating};t\r\n".encode()

    result = preview(data)

    assert result.ok, result.errors
    assert result.visits[0].observations[0].intensity == intensity


def test_an_intensity_column_wins_over_the_rating_and_an_empty_cell_falls_back_to_it():
    data = b"Date;Enqueteur;Moment;Canal;Type;Note;Gravite;Commentaire\r\n"
    data += b"03/11/2026;A;Accueil;Email;irritant;1;1;t\r\n"
    data += b"03/11/2026;A;Accueil;Email;irritant;1;;u\r\n"

    result = preview(data)

    assert [o.intensity for o in result.visits[0].observations] == [1, 3]
