#!/usr/bin/env node
// The installed command: runs the TypeScript sources through tsx, so that the command and
// `npm start` always run the same code, with nothing to build first.
import { register } from 'tsx/esm/api';

register();
await import('../cli/run.ts');
