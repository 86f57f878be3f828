#!/usr/bin/env node
import module from 'node:module';
import path from 'node:path';

// Node's compile cache keeps each module stripped of its types and compiled, so that a start after the first reads the
// server's TypeScript and the libraries' JavaScript from there instead of stripping and compiling them again (a large
// part of what `praxis serve` spends before it listens; ARCHITECTURE.md, "Web client"). It lives under the installation's
// node_modules/.cache, not in the shared temporary directory; NODE_COMPILE_CACHE names another directory,
// NODE_DISABLE_COMPILE_CACHE=1 turns it off, and a directory that cannot be written only means no cache. Only modules
// loaded after this line are cached, hence the dynamic imports below.
module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE || path.resolve(import.meta.dirname, '../../../node_modules/.cache/praxis'));

const [{ Command }, { runCli }] = await Promise.all([import('commander'), import('./commands.ts')]);
await runCli(new Command(), process.argv);
