// Where a runtime looks for code and layer content, as Lambda lays it out: /var/task first, then /opt merged from the layers.
import * as path from 'node:path';

/** The function's code and layers as the runtime sees them (host folders, or /var/task and /opt in a sandbox). */
export interface CodeView {
  taskRoot: string;
  /** Layer roots, the one that wins first: Lambda extracts layers in order, later ones overwriting earlier ones. */
  layerRoots: string[];
}

/** The layer folders of a launch, by precedence (the last layer listed wins). */
export function hostCodeView(codeDir: string, layerDirs: readonly string[]): CodeView {
  return { taskRoot: codeDir, layerRoots: [...layerDirs].reverse() };
}

/** NODE_PATH as Lambda sets it: /opt/nodejs/nodeNN/node_modules, /opt/nodejs/node_modules, then the code. */
export function nodeModulePaths(view: CodeView, nodeMajor: number): string[] {
  return [
    ...view.layerRoots.map((root) => path.join(root, 'nodejs', `node${nodeMajor}`, 'node_modules')),
    ...view.layerRoots.map((root) => path.join(root, 'nodejs', 'node_modules')),
    view.taskRoot,
  ];
}

/** Python's path on Lambda: the code, then /opt/python/lib/pythonX.Y/site-packages, then /opt/python. */
export function pythonPaths(view: CodeView, pythonVersion: string): string[] {
  return [
    view.taskRoot,
    ...view.layerRoots.map((root) => path.join(root, 'python', 'lib', `python${pythonVersion}`, 'site-packages')),
    ...view.layerRoots.map((root) => path.join(root, 'python')),
  ];
}

/** `bin` of the layers goes at the end of PATH and `lib` of the code and layers on LD_LIBRARY_PATH, as on Lambda. */
export function layerSearchPaths(view: CodeView, hostPath: string, hostLibraryPath: string | undefined): { PATH: string; LD_LIBRARY_PATH: string } {
  const libraries = [view.taskRoot, path.join(view.taskRoot, 'lib'), ...view.layerRoots.map((root) => path.join(root, 'lib'))];
  return {
    PATH: [hostPath, ...view.layerRoots.map((root) => path.join(root, 'bin'))].join(path.delimiter),
    LD_LIBRARY_PATH: [...(hostLibraryPath ? [hostLibraryPath] : []), ...libraries].join(path.delimiter),
  };
}
