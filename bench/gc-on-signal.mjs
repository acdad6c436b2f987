// Bench only (preloaded by the memory soak with node --expose-gc): SIGUSR2 runs a full
// collection, so the heap read right after is what is live, not garbage not yet swept.
process.on('SIGUSR2', () => globalThis.gc?.());
