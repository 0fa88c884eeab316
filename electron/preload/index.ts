// Placeholder; the typed bridge is derived from shared/contract in the shell issue.
export {};
