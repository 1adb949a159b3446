import Fleet
import Release

/// Real hosts: a ``HostDeployment`` per host, connected through one ``HostConnector``.
struct SSHHosts: DeployHosts {
    let connector: HostConnector

    func workers(for hosts: [Fleet.Host], deployID: String, playbook: Playbook, stop: StopRequest,
                 events: @escaping DeployEventSink) -> [HostDeployment] {
        let layout = HostLayout(root: playbook.deployRoot)
        return hosts.map {
            HostDeployment(host: $0, scripts: RemoteScripts(layout: layout, deploy: deployID), slotPorts: playbook.slots,
                           stop: stop, connector: connector, events: events)
        }
    }

    func watchAborts(on hosts: [HostDeployment], deployID: String, stop: StopRequest) -> any AbortWatching {
        AbortWatcher(hosts: hosts, connector: connector, deployID: deployID, stop: stop)
    }

    func close() async {
        await connector.close()
    }
}
