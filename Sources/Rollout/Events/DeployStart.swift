/// What `DeployEvent.started` says: the operation and the id its events belong to.
public struct DeployStart: Sendable, Hashable {
    /// The verbs that send deploy events.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        case deploy, resume, rollback, status, unlock, promote, abort
    }

    public var operation: Operation
    /// The deploy (or rollback, unlock …) id; the hosts' journals and leases carry it too.
    public var deployID: String
    public var app: String

    public init(operation: Operation, deployID: String, app: String) {
        self.operation = operation
        self.deployID = deployID
        self.app = app
    }
}
