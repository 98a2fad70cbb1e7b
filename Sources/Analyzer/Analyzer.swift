// Event table, decoding, enrichment engine, filters, output, statistics.
