import Glibc

/// A joinable native thread running a closure (the drain and writer threads).
final class NativeThread {
    private var thread = pthread_t()
    private let body: () -> Void
    private let name: String

    /// Starts `body` on a new thread; `name` appears in errors, and as the thread's name (its comm: `top -H`,
    /// `perf`, /proc/PID/task/TID/comm) cut to 15 bytes.
    init(name: String, _ body: @escaping () -> Void) throws {
        self.body = body
        self.name = name
        let box = Unmanaged.passRetained(self)
        let rc = pthread_create(&thread, nil, { arg in
            let me = Unmanaged<NativeThread>.fromOpaque(arg!).takeRetainedValue()
            NativeThread.setName(me.name)
            me.body()
            return nil
        }, box.toOpaque())
        if rc != 0 {
            box.release()
            throw RecorderError(step: "start thread", object: name, errno: rc, hint: "the system is out of threads or memory")
        }
    }

    /// glibc's pthread_setname_np (a _GNU_SOURCE function Swift's Glibc module does not declare), looked up
    /// once; nil when missing.
    private static let setNameFunction: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32)? = {
        guard let me = dlopen(nil, RTLD_NOW), let symbol = dlsym(me, "pthread_setname_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32).self)
    }()

    /// Names the calling thread (at most 15 bytes are kept).
    static func setName(_ name: String) {
        guard let f = setNameFunction else { return }
        _ = f(pthread_self(), String(decoding: name.utf8.prefix(15), as: UTF8.self))
    }

    /// Waits for the thread to end.
    func join() { pthread_join(thread, nil) }
}
