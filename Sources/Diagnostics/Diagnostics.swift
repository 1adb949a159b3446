// Diagnostics module
