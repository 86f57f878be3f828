#!/usr/bin/env -S node --experimental-strip-types --disable-warning=ExperimentalWarning
// The `praxis` command: Node runs the TypeScript sources directly (type stripping).
await import('../src/cli/main.ts');
