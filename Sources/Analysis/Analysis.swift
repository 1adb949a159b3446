// The canary judge: statistics over KPI samples. Filled in by the analysis work.
