// Rollout module
