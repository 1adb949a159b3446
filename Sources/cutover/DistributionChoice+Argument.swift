public import ArgumentParser
public import Rollout

extension DistributionChoice: ExpressibleByArgument {}
