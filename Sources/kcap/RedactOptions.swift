import Analyzer
import ArgumentParser
import KcapRedaction

/// `--redact`, `--redact-key` and `--save-redact-key` of `kcap slice` and `kcap merge`.
struct RedactOptions: ParsableArguments {
    @Flag(name: .long, help: "Write a redacted capture: I/O data dropped; paths, arguments, host, user and group names, container ids and addresses replaced by keyed hashes (HMAC-SHA256); structure, results, latencies, fd numbers, pids, ports and process names kept.")
    var redact = false

    @Option(name: .long, help: ArgumentHelp("The redaction key (at least 16 bytes): the same key gives the same tokens in every capture. Without it, a random key is used and kept nowhere.", valueName: "file"))
    var redactKey: String?

    @Option(name: .long, help: ArgumentHelp("Also write the random key to this new file (0600), to redact more captures with it later.", valueName: "file"))
    var saveRedactKey: String?

    func validate() throws {
        if !redact, redactKey != nil || saveRedactKey != nil {
            throw ValidationError("--redact-key and --save-redact-key go with --redact")
        }
        if redactKey != nil, saveRedactKey != nil {
            throw ValidationError("--save-redact-key saves a random key; with --redact-key the key is already in a file")
        }
    }

    /// The redactor to write with (nil without --redact); a key error goes to `fail`.
    func redactor(fail: (String) -> Never) -> Redactor? {
        guard redact else { return nil }
        do {
            let key = try redactKey.map(RedactionKey.read) ?? RedactionKey.random()
            if let saveRedactKey { try key.save(saveRedactKey) }
            return key.redactor()
        } catch {
            fail("\(error)")
        }
    }
}
