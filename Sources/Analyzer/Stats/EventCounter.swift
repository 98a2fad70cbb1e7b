/// What counts events into figures: `kcap stats`' statistics, the groups of `stats --by`. A `CountingSink`
/// hands it the events that pass the filter and the window.
public protocol EventCounter: AnyObject {
    /// Counts one event.
    func add(_ event: Event)
}

extension CaptureStatistics: EventCounter {}
extension GroupedStatistics: EventCounter {}
