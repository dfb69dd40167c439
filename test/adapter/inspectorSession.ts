// Test helper: what js-debug does after the attach event, done by hand over CDP: connect, map a TypeScript line, set the breakpoint.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AttachTarget } from '../../src/adapter/attachTarget';
import { CdpClient } from './cdpClient';
import { findSourceMaps, generatedPosition, type GeneratedPosition } from './generatedPosition';

export interface PausedEvent {
  callFrames: { callFrameId: string; location: GeneratedPosition }[];
  hitBreakpoints: string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The build's source map of `sourceFile`, found in the directories the attach event names as outFiles. */
export function sourceMapOf(target: AttachTarget, sourceFile: string): string {
  const dirs = target.outFiles.filter((glob) => !glob.startsWith('!')).map((glob) => glob.replace(/[\\/]\*\*[\\/]\*\.js$/, ''));
  const maps = dirs.filter((dir) => existsSync(dir)).flatMap(findSourceMaps);
  const map = maps.find((file) => (JSON.parse(readFileSync(file, 'utf8')).sources as string[]).some((s) => s.endsWith(path.basename(sourceFile))));
  assert.ok(map, `no source map of ${sourceFile} in ${dirs.join(', ')}`);
  return map;
}

/** Where the instance sees a host file of localRoot: under remoteRoot (/var/task in containers), as js-debug maps it. */
export function remotePath(target: AttachTarget, localFile: string): string {
  const relative = path.relative(target.localRoot, localFile);
  assert.ok(!relative.startsWith('..') && !path.isAbsolute(relative), `${localFile} is not under localRoot ${target.localRoot}`);
  return path.posix.join(target.remoteRoot, ...relative.split(path.sep));
}

/** Connects to a new instance's inspector with the debugger enabled (the instance may still wait for a debugger). */
export async function connectInspector(target: AttachTarget): Promise<CdpClient> {
  const cdp = await CdpClient.connect(target.port);
  await cdp.send('Debugger.enable');
  return cdp;
}

/**
 * Sets a breakpoint on 0-based `line` of the TypeScript `sourceFile`: the build's source map gives the compiled position,
 * the localRoot/remoteRoot mapping gives the URL the instance loads the compiled file from.
 */
export async function setSourceBreakpoint(
  cdp: CdpClient,
  target: AttachTarget,
  sourceFile: string,
  line: number,
): Promise<{ breakpointId: string; mapFile: string; remoteFile: string }> {
  const mapFile = sourceMapOf(target, sourceFile);
  const remoteFile = remotePath(target, mapFile.replace(/\.map$/, ''));
  const reply = (await cdp.send('Debugger.setBreakpointByUrl', {
    urlRegex: `${escapeRegExp(remoteFile)}$`,
    ...generatedPosition(mapFile, sourceFile, line),
  })) as { breakpointId: string };
  return { breakpointId: reply.breakpointId, mapFile, remoteFile };
}

export async function evaluate(cdp: CdpClient, expression: string, callFrameId?: string): Promise<unknown> {
  const reply = callFrameId
    ? await cdp.send('Debugger.evaluateOnCallFrame', { callFrameId, expression, returnByValue: true })
    : await cdp.send('Runtime.evaluate', { expression, returnByValue: true });
  return (reply.result as { value: unknown }).value;
}

/** The next pause, or a failure if `invocation` settles first (the breakpoint was not hit). */
export async function pausedBefore(cdp: CdpClient, invocation: Promise<unknown>): Promise<PausedEvent> {
  const paused = await Promise.race([
    cdp.waitFor('Debugger.paused'),
    invocation.then(() => assert.fail('the invocation finished without stopping at the breakpoint')),
  ]);
  return paused as unknown as PausedEvent;
}

/** The 0-based line of `sourceFile` marked with a `// BREAKPOINT` (or Python's `# BREAKPOINT`) comment. */
export function breakpointLineOf(sourceFile: string): number {
  const line = readFileSync(sourceFile, 'utf8').split('\n').findIndex((text) => /(\/\/|#) BREAKPOINT$/.test(text.trimEnd()));
  assert.ok(line >= 0, `${sourceFile} has no BREAKPOINT comment`);
  return line;
}
