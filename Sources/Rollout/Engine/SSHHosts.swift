import Fleet
import Release

/// Real hosts: a ``HostDeployment`` per host, connected through one ``HostConnector``.
struct SSHHosts: DeployHosts {
    let connector: HostConnector

    func workers(for hosts: [Fleet.Host], context: HostRunContext, stop: StopRequest,
                 events: @escaping DeployEventSink) -> [HostDeployment] {
        hosts.map { HostDeployment(host: $0, context: context, stop: stop, connector: connector, events: events) }
    }

    func watchAborts(on hosts: [HostDeployment], deployID: String, stop: StopRequest) -> any AbortWatching {
        AbortWatcher(hosts: hosts, connector: connector, deployID: deployID, stop: stop)
    }

    func close() async {
        await connector.close()
    }
}
