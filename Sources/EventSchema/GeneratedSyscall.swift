/// A syscall row as the generator derives it from the kernel prototype (see tools/gen-syscall-table.py).
struct GeneratedSyscall {
    let name: String
    let x86_64: Int?
    let aarch64: Int?
    let category: EventCategory
    let params: [ParamInfo]
}

/// One generated row; GeneratedSyscalls.swift is a list of these.
@inline(__always) func G(_ name: String, _ x86_64: Int?, _ aarch64: Int?, _ category: EventCategory,
                         _ params: [ParamInfo]) -> GeneratedSyscall {
    GeneratedSyscall(name: name, x86_64: x86_64, aarch64: aarch64, category: category, params: params)
}
