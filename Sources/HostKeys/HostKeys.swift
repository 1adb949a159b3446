// HostKeys module
