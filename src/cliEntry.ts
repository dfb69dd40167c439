// Command-line entry (dist/cli.js, run by bin/lambda-workbench.js): loads the CLI (dist/cliMain.js) through V8's code cache.
import * as path from 'node:path';
import { loadBundle, userCodeCacheDir } from './core/common/bundleCodeCache';
import { LOAD_TIME_V8_FLAGS, SERVICE_COMMAND, SERVICE_V8_FLAGS } from './cli/serviceV8Flags';

const service = process.argv[2] === SERVICE_COMMAND;
loadBundle({
  file: path.join(__dirname, 'cliMain.js'),
  cacheDir: userCodeCacheDir(),
  // The service and the other commands compile different parts of the bundle: one cache for each.
  cacheName: service ? 'cliMain-start' : 'cliMain',
  flagsSetByBundle: service ? [{ atLoad: LOAD_TIME_V8_FLAGS, set: SERVICE_V8_FLAGS }] : [],
  chunkPrefix: './vendor/',
});
