/// Why a host ended a release verb as it did, for the engine's own decisions and the ledger:
/// typed, so nobody parses the host's ``DeployReport/HostResult/detail`` back.
public enum HostResultCause: Sendable, Hashable {
    /// Another run holds the host's lease (`lock_held` when no host could be rolled back).
    case lockedBy(String)
    /// The host already is on the rollback's destination.
    case alreadyOn(String)
    /// `promote` or `abort` reached the deploy with this id.
    case answered(deployID: String)
}
