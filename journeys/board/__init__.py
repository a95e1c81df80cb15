"""The board: its HTML, analysis (networkx), curves, evidence, and the as-is -> to-be compare."""
