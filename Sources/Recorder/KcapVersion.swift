/// The kcap version recorded in every capture header.
public enum KcapVersion {
    /// Semantic version of this build.
    public static let string = "0.1.0"
}
