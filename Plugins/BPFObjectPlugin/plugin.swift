import PackagePlugin

// Placeholder until the BPF build lands: produces no commands.
@main
struct BPFObjectPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] { [] }
}
