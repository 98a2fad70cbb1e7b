import Analyzer
import ArgumentParser

/// `kcap fields`: every field filters and `-p` formats can use, from the field registry.
struct FieldsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fields",
        abstract: "List every filter and output field.",
        discussion: """
        Fields marked (unsupported) are known to sysdig but not provided by kcap yet: a filter using them is \
        rejected by name.

        Examples:
          kcap fields                      the list, by class
          kcap fields --json               one JSON object per field
          kcap fields --markdown > docs/fields.md
        """
    )

    @Flag(name: [.customShort("j"), .long], help: "Print a JSON array of fields.")
    var json = false

    @Flag(name: .long, help: "Print the Markdown of docs/fields.md.")
    var markdown = false

    func validate() throws {
        if json && markdown { throw ValidationError("--json and --markdown exclude each other") }
    }

    func run() throws {
        if json {
            print(FieldRegistry.jsonListing(), terminator: "")
        } else if markdown {
            print(FieldRegistry.markdown(), terminator: "")
        } else {
            print(FieldRegistry.textListing(), terminator: "")
        }
    }
}
