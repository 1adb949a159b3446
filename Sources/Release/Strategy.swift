/// How hosts are moved to the new release.
public enum Strategy: Sendable, Hashable {
    /// Every host at once (bounded by `parallel`).
    case allAtOnce
    /// Waves of `batch` hosts; the next wave starts when the previous one succeeded.
    case rolling(batch: BatchSize)
    /// Reserved: accepted by the loader, not implemented by rollouts yet.
    case canary
    /// Reserved: accepted by the loader, not implemented by rollouts yet.
    case blueGreen
}
