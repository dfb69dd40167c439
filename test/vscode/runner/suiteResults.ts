// Harness side: prints the integration suite's results file as one line per test and the closing "N passed, N failed".
import { readFileSync } from 'node:fs';
import type { SuiteResults } from '../index';

/** Prints every test of the results file; resolves to the exit code (0 when something ran and nothing failed). */
export function printSuiteResults(resultsFile: string): number {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
  for (const test of results.tests) {
    console.log(`${test.state === 'passed' ? '  ok  ' : '  FAIL'} ${test.title}`);
    if (test.error) console.log(test.error.replace(/^/gm, '        '));
  }
  console.log(`${results.passed} passed, ${results.failed} failed`);
  return results.failed === 0 && results.passed > 0 ? 0 : 1;
}
