from journeys.store import base_rows as base_rows  # registers its tables in the metadata
from journeys.store import note_tables as note_tables  # registers its tables in the metadata
from journeys.store import throttle as throttle  # registers its table in the metadata
from journeys.store import visit_tables as visit_tables  # registers its tables in the metadata
