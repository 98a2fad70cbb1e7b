// In-process micro benchmarks driven by tools/bench (writer/reader throughput, replay speed).
// One subcommand per benchmark; the scripts compare the figures against baselines measured in the same run.
#if canImport(Glibc)
import Glibc
#endif

let benchArgs = Array(CommandLine.arguments.dropFirst())
switch benchArgs.first {
case "format":
    do { exit(try FormatBench.run(Array(benchArgs.dropFirst()))) } catch {
        fputs("kcap-bench format: \(error)\n", stderr)
        exit(1)
    }
case "read":
    do { exit(try ReadBench.run(Array(benchArgs.dropFirst()))) } catch {
        fputs("kcap-bench read: \(error)\n", stderr)
        exit(1)
    }
case "codecs":
    do { exit(try CodecBench.run(Array(benchArgs.dropFirst()))) } catch {
        fputs("kcap-bench codecs: \(error)\n", stderr)
        exit(1)
    }
default:
    fputs("usage: kcap-bench format ... | kcap-bench read ... | kcap-bench codecs CAPTURE...\n", stderr)
    exit(2)
}
