// The release model: playbooks, rollback policies, artifacts. Filled in by the release work.
