"""The library of journeys and programs: documents, templates, trash, snapshots, board edits."""
