"""Agency CSV files of visits: sniffing, column and value mappings, rows, the import."""
