// Command-line entry (dist/cli.js, run by bin/lambda-workbench.js): runs one command and exits with its status.
import { runCli } from './cli/runCli';

void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then((code) => {
  // Every command has stopped its instances by now; exiting also ends stdin reads and idle sockets.
  process.exit(code);
});
