// Copies esbuild (its JS API and this platform's binary) into dist/node_modules for the .vsix: the bundles keep
// `esbuild` external because its API locates the native binary relative to its own package.
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const target = join('dist', 'node_modules');
rmSync(target, { recursive: true, force: true });

const esbuildDir = dirname(require.resolve('esbuild/package.json'));
const { version, optionalDependencies } = JSON.parse(readFileSync(join(esbuildDir, 'package.json'), 'utf8'));
mkdirSync(join(target, 'esbuild', 'lib'), { recursive: true });
for (const file of ['package.json', 'LICENSE.md', 'lib/main.js']) {
  cpSync(join(esbuildDir, file), join(target, 'esbuild', file));
}

const platformPackage = `@esbuild/${process.platform}-${process.arch}`;
if (!optionalDependencies?.[platformPackage]) {
  throw new Error(`esbuild ${version} has no binary package for ${process.platform}-${process.arch}`);
}
const binaryDir = dirname(require.resolve(`${platformPackage}/package.json`, { paths: [esbuildDir] }));
cpSync(binaryDir, join(target, platformPackage), { recursive: true });
console.log(`vendored esbuild ${version} with ${platformPackage} into ${target}`);
