// In-process micro benchmarks driven by tools/bench (writer/reader throughput, replay speed).
// Each team adds its subcommand here; the scripts compare the figures against baselines measured in the same run.
