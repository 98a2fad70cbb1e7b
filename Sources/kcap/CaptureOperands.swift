import Analyzer
import CaptureFormat
import Foundation

/// The operands of `kcap read` and `kcap stats`: the captures, then the filter. The first word is a capture
/// (unless `-r` named one); each following word that names an existing file is one more capture (a rotation
/// ring in any order, several hosts' files), and the words from the first that does not are the filter. So
/// `kcap read a.kcap b.kcap 'proc.name=x'` reads two files, as a user types it.
struct CaptureOperands {
    /// The captures, in the order given (the set orders them by time).
    let paths: [String]
    /// The filter text (empty for none).
    let filter: String

    /// Splits `words`; `readFile` is `-r`'s value.
    init(words: [String], readFile: String? = nil) {
        var rest = words[...]
        var paths: [String] = readFile.map { [$0] } ?? []
        if paths.isEmpty, let first = rest.popFirst() { paths.append(first) }
        while let word = rest.first, Self.namesFile(word) {
            paths.append(word)
            rest.removeFirst()
        }
        self.paths = paths
        filter = rest.joined(separator: " ")
    }

    /// Exactly these captures, no filter (`kcap merge`).
    init(paths: [String]) {
        self.paths = paths
        filter = ""
    }

    /// The input that `output` is the same file as (same device and inode), nil when none: writing over an
    /// input would truncate it before it is read.
    static func sameFile(_ output: String, _ readers: [CaptureReader]) -> String? {
        func identity(_ path: String) -> [Int]? {
            guard let a = try? FileManager.default.attributesOfItem(atPath: path),
                  let dev = a[.systemNumber] as? Int, let ino = a[.systemFileNumber] as? Int else { return nil }
            return [dev, ino]
        }
        guard let out = identity(output) else { return nil }
        return readers.first { identity($0.path) == out }?.path
    }

    /// True when `word` names a file that is not a directory (a filter word rarely does).
    static func namesFile(_ word: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: word, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Opens every capture; on failure prints one line naming the file (through `fail`) and exits.
    func readers(fail: (String) -> Never) -> [CaptureReader] {
        var readers: [CaptureReader] = []
        for path in paths {
            do { readers.append(try CaptureReader(path: path)) } catch { fail("\(error)") }
        }
        return readers
    }

    /// Opens every capture and the set over them; on failure prints one line naming the file (through
    /// `fail`) and exits.
    func replay(fail: (String) -> Never) -> CaptureSetReplay {
        let readers = readers(fail: fail)
        do { return try Replay(readers: readers) } catch { fail("\(error)") }
    }
}
