import Glibc

/// A joinable native thread running a closure (the drain and writer threads).
final class NativeThread {
    private var thread = pthread_t()
    private let body: () -> Void

    /// Starts `body` on a new thread; `name` appears in errors.
    init(name: String, _ body: @escaping () -> Void) throws {
        self.body = body
        let box = Unmanaged.passRetained(self)
        let rc = pthread_create(&thread, nil, { arg in
            let me = Unmanaged<NativeThread>.fromOpaque(arg!).takeRetainedValue()
            me.body()
            return nil
        }, box.toOpaque())
        if rc != 0 {
            box.release()
            throw RecorderError(step: "start thread", object: name, errno: rc, hint: "the system is out of threads or memory")
        }
    }

    /// Waits for the thread to end.
    func join() { pthread_join(thread, nil) }
}
