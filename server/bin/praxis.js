#!/usr/bin/env node
// The `praxis` command: Node runs the TypeScript sources directly (type stripping, Node >= 22.18 / 23.6).
await import('../src/cli/main.ts');
