"""DOT text to SVG, PNG or PDF: the system Graphviz, else the embedded engine."""
