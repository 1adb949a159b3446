public import ArgumentParser
public import Console

extension OutputFormat: ExpressibleByArgument {}
