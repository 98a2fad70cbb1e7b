import XCTest
@testable import EventSchema

/// The engine's columns of the event table (effect, fd source, close-on-exec rule, extra parameters) agree with
/// the row's flags and parameter types, so a row cannot claim one thing in `kcap events` and do another in the
/// replay.
final class SchemaEngineColumnsTests: XCTestCase {
    /// bpf(2) gets an fd-creating effect, but only some of its commands return an fd, so its row's flags and
    /// result stay the generated ones (no createsFd, an errno result).
    static let createsFdWithoutTheFlag: Set<String> = ["bpf"]

    func testFdSourceMatchesTheParameters() {
        for row in EventTable.all {
            switch row.fdSource {
            case .none: break
            case .arg0:
                XCTAssertEqual(row.params.first?.type, .fd, "\(row.name): fd source arg0 needs an fd argument 0")
                XCTAssertTrue(row.flags.contains(.usesFd), "\(row.name): fd source arg0 without usesFd")
            case .result:
                if Self.createsFdWithoutTheFlag.contains(row.name) { continue }
                XCTAssertEqual(row.result, .fd, "\(row.name): fd source result needs an fd result")
                XCTAssertTrue(row.flags.contains(.createsFd), "\(row.name): fd source result without createsFd")
            case .pairFirst:
                XCTAssertEqual(row.params.first?.type, .fdPair, "\(row.name): fd source pairFirst needs an fd pair argument 0")
                XCTAssertTrue(row.flags.contains(.createsFd), "\(row.name): fd source pairFirst without createsFd")
            }
        }
    }

    func testEffectsMatchTheFlags() {
        for row in EventTable.all {
            let e = row.effect
            if !row.isSyscall { XCTAssertEqual(e, .none, row.name) }
            // Process lifecycle events change the thread table; a delivered signal changes nothing.
            XCTAssertEqual(row.flags.contains(.modifiesState), e != .none || (!row.isSyscall && row.category == .process),
                           "\(row.name): modifiesState follows the effect column")
            if e.createsFd && !Self.createsFdWithoutTheFlag.contains(row.name) {
                XCTAssertTrue(row.flags.contains(.createsFd), "\(row.name): effect \(e) without createsFd")
            }
            if e.removesFd { XCTAssertTrue(row.flags.contains(.closesFd), "\(row.name): effect \(e) without closesFd") }
            if e.changesProcess {
                XCTAssertTrue(row.flags.contains(.changesProcessState), "\(row.name): effect \(e) without changesProcessState")
            }
            if e == .execveat || e == .fchdir || e == .openat || e == .openat2 {
                XCTAssertTrue([ParamType.dirfd, .fd].contains(row.params.first?.type), "\(row.name): \(e) reads fd argument 0")
            }
        }
        // Every effect the engine knows is some row's.
        let used = Set(EventTable.all.map(\.effect))
        for e in SyscallEffect.allCases { XCTAssertTrue(used.contains(e), "no row has effect \(e)") }
    }

    func testCloexecRulesReadAFlagArgumentOfAnFdCreatingCall() {
        var rules = 0
        for row in EventTable.all where row.cloexec != .never {
            rules += 1
            XCTAssertTrue(row.effect.createsFd, "\(row.name): a close-on-exec rule on a call the engine creates no fd for")
            if let a = row.cloexec.argument {
                XCTAssertLessThan(a, row.params.count, row.name)
                let t = row.params[a].type
                XCTAssertTrue([.openFlags, .fdFlags, .socketType, .flags, .fcntlCmd, .epollCreateFlags, .eventfdFlags,
                               .inotifyFlags, .memfdFlags, .signalfdFlags, .timerfdFlags].contains(t),
                              "\(row.name): close-on-exec read from \(row.params[a].name) (\(t))")
            }
        }
        XCTAssertGreaterThan(rules, 15)
        XCTAssertEqual(EventTable.info(named: "openat")?.cloexec,
                       .flag(arg: 2, mask: Linux.O_CLOEXEC, name: "O_CLOEXEC"))
        XCTAssertEqual(EventTable.info(named: "dup2")?.cloexec, .never)
        XCTAssertEqual(EventTable.info(named: "pidfd_open")?.cloexec, .always)
    }

    func testTupleIsAnExtraParameterOfTheSocketCalls() {
        let shown = EventTable.all.filter(\.showsTuple).map(\.name)
        XCTAssertEqual(Set(shown), ["connect", "bind", "listen", "accept", "accept4"])
        for row in EventTable.all {
            for p in row.extraParams {
                XCTAssertNil(row.paramIndex(named: p.name), "\(row.name): extra parameter \(p.name) repeats an argument")
            }
            XCTAssertFalse(row.params.contains { $0.type == .sockTuple }, "\(row.name): a tuple is no argument")
        }
    }

    /// The symbol tables name the engine's constants with the values the engine tests.
    func testSymbolTablesShareTheEnginesConstants() {
        XCTAssertEqual(ArgFormatter.openFlags(UInt64(Linux.O_CLOEXEC | Linux.O_DIRECTORY)), "O_RDONLY|O_DIRECTORY|O_CLOEXEC")
        XCTAssertEqual(ArgFormatter.openFlags(UInt64(Linux.O_DIRECTORY_AARCH64), arch: .aarch64), "O_RDONLY|O_DIRECTORY")
        XCTAssertEqual(SymbolTables.cloneFlags.render(Linux.CLONE_THREAD | Linux.CLONE_FILES), "CLONE_FILES|CLONE_THREAD")
        XCTAssertEqual(SymbolTables.socketFamilies.name(Int64(Linux.AF_INET6)), "AF_INET6")
        XCTAssertEqual(SymbolTables.fcntlCommands.name(Int64(Linux.F_DUPFD_CLOEXEC)), "F_DUPFD_CLOEXEC")
        XCTAssertEqual(SymbolTables.errnos.name(Linux.EINPROGRESS), "EINPROGRESS")
        XCTAssertEqual(ArgFormatter.dirfd(UInt64(bitPattern: Int64(Linux.AT_FDCWD))), "AT_FDCWD")
    }
}
