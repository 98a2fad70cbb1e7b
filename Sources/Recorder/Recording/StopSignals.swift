import Glibc
import Synchronization

/// SIGINT and SIGTERM while a recording runs. The handler only stores the signal's number, which the control
/// loop polls: Ctrl-C and SIGTERM then reach it whichever thread the kernel picks, and the capture is
/// finished instead of cut. A second signal ends the process at once: the first one may be waiting on an
/// output that no longer moves (a live printer blocked on a paused terminal, a stuck disk); what was flushed
/// stays readable.
final class StopSignals {
    /// The signals that stop a recording.
    private static let stopping = [SIGINT, SIGTERM]
    /// A shell reports a process killed by signal N as status 128+N; the second signal exits with that status.
    /// (Computed, not stored: the handler may not run a lazy initializer.)
    static var shellSignalBase: Int32 { 128 }
    private var previous: [sigaction] = []

    /// Installs the handler (forgetting a signal of an earlier recording) until `restore()`.
    init() {
        receivedStopSignal.store(0, ordering: .sequentiallyConsistent)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signo in
            if receivedStopSignal.exchange(signo, ordering: .sequentiallyConsistent) != 0 {
                _exit(StopSignals.shellSignalBase + signo)
            }
        }
        sigemptyset(&action.sa_mask)
        for signo in StopSignals.stopping {
            var old = sigaction()
            sigaction(signo, &action, &old)
            previous.append(old)
        }
    }

    /// The first stop signal received since `init`, or nil.
    var received: Int32? {
        let signo = receivedStopSignal.load(ordering: .sequentiallyConsistent)
        return signo == 0 ? nil : signo
    }

    /// Puts back the handlers that were there before.
    func restore() {
        for (signo, var old) in zip(StopSignals.stopping, previous) { sigaction(signo, &old, nil) }
        previous.removeAll()
    }
}

/// The number of the stop signal received, 0 before any. The one process-wide variable of the recorder: a
/// signal handler is a C function with no context, so it can reach nothing else. Lock-free atomic operations
/// are async-signal-safe; only `StopSignals` touches it.
private let receivedStopSignal = Atomic<Int32>(0)

/// SIGUSR1 while a flight recording runs (`kcap record --flight`): the handler stores the boot-time ns of the
/// latest delivery (clock_gettime is async-signal-safe), which the control loop polls and hands to the flight
/// recorder. Installed before anything is loaded, so an early SIGUSR1 never kills kcap (its default action).
final class TriggerSignal {
    private var previous = sigaction()

    init() {
        receivedTriggerNs.store(0, ordering: .sequentiallyConsistent)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var t = timespec()
            clock_gettime(CLOCK_BOOTTIME, &t)
            receivedTriggerNs.store(UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec), ordering: .sequentiallyConsistent)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGUSR1, &action, &previous)
    }

    /// The boot-time ns of the SIGUSR1 received since the last call, or nil.
    func take() -> UInt64? {
        let t = receivedTriggerNs.exchange(0, ordering: .sequentiallyConsistent)
        return t == 0 ? nil : t
    }

    /// Puts back the handler that was there before.
    func restore() {
        sigaction(SIGUSR1, &previous, nil)
    }
}

/// Boot-time ns of the last SIGUSR1, 0 when none is waiting (only `TriggerSignal` touches it).
private let receivedTriggerNs = Atomic<UInt64>(0)
