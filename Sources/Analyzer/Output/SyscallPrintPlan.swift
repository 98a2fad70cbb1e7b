import EventSchema

/// What printing one syscall's arguments needs, precomputed per syscall number from the schema's event table,
/// in memory no line copies (a table row, array or string per line would cost more reference counting than
/// the formatting). It depends on the arch alone, so one per arch serves every printer: building it for each
/// capture opened was a third of the time of replaying a small capture.
final class SyscallPrintPlan: @unchecked Sendable {
    /// One syscall number.
    struct Syscall {
        var known = false
        var resultIsFd = false
        var resultKeyIsRes = true
        var showsTuple = false
        var resultType = ParamType.errno
        var firstParam: Int32 = 0
        var paramCount: Int32 = 0
        /// Extra parameters other than the tuple (sendmsg's `data` and `addr`), after the parameters in
        /// `paramPlans`, read from the first item of their type's kind.
        var extraCount: Int32 = 0
    }
    /// One parameter: its type, its name in `nameBytes`, and its key in `ArgumentSchema`.
    struct Param { var type: ParamType; var nameStart: Int32; var nameCount: Int32; var key: Int32 }

    /// Row per syscall number (nil: unknown to the table).
    let infos: [EventInfo?]
    /// Parameters per syscall number, in the arch's argument order.
    let params: [[ParamInfo]]
    // Written once in init and never again (which is what makes sharing across threads safe).
    let plans: UnsafeMutablePointer<Syscall>
    let paramPlans: UnsafeMutablePointer<Param>
    let nameBytes: UnsafeMutablePointer<UInt8>

    private static let x86_64 = SyscallPrintPlan(arch: .x86_64)
    private static let aarch64 = SyscallPrintPlan(arch: .aarch64)

    /// The plan of `arch`, built on first use (Swift's lazy statics are thread-safe).
    static func shared(_ arch: SyscallArch) -> SyscallPrintPlan {
        switch arch {
        case .x86_64: return x86_64
        case .aarch64: return aarch64
        }
    }

    private init(arch: SyscallArch) {
        var infos = [EventInfo?](repeating: nil, count: SyscallEffectTable.size)
        var params = [[ParamInfo]](repeating: [], count: SyscallEffectTable.size)
        for nr in 0..<SyscallEffectTable.size {
            if let info = EventTable.info(syscall: nr, arch: arch) {
                infos[nr] = info
                params[nr] = EventTable.params(info, arch: arch)
            }
        }
        self.infos = infos
        self.params = params
        var planList = [Syscall](repeating: Syscall(), count: SyscallEffectTable.size)
        var paramList: [Param] = []
        var names: [UInt8] = []
        for nr in 0..<SyscallEffectTable.size {
            guard let info = infos[nr] else { continue }
            var plan = Syscall()
            plan.known = true
            plan.resultType = info.result
            plan.resultIsFd = info.result == .fd
            // accept's listening socket is also called fd: the result then prints as res.
            plan.resultKeyIsRes = !plan.resultIsFd || params[nr].first?.name == "fd"
            // The row's extra parameters say whether the socket's tuple follows the arguments (a `.sockTuple`).
            plan.showsTuple = info.showsTuple
            plan.firstParam = Int32(paramList.count)
            plan.paramCount = Int32(params[nr].count)
            let extras = info.extraParams.filter { $0.type != .sockTuple }
            plan.extraCount = Int32(extras.count)
            for p in params[nr] + extras {
                paramList.append(Param(type: p.type, nameStart: Int32(names.count), nameCount: Int32(p.name.utf8.count),
                                       key: ArgumentSchema.shared.key(p.name)))
                names.append(contentsOf: Array(p.name.utf8))
            }
            planList[nr] = plan
        }
        plans = .allocate(capacity: planList.count)
        plans.initialize(from: planList, count: planList.count)
        paramPlans = .allocate(capacity: max(1, paramList.count))
        paramPlans.initialize(from: paramList, count: paramList.count)
        nameBytes = .allocate(capacity: max(1, names.count))
        nameBytes.initialize(from: names, count: names.count)
    }

    deinit {
        plans.deallocate()
        paramPlans.deallocate()
        nameBytes.deallocate()
    }
}
