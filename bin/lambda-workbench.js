#!/usr/bin/env node
// The `lambda-workbench` command: the bundled CLI in dist/cli.js (built by `node esbuild.mjs`).
require('../dist/cli.js');
