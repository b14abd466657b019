// Writes the app's copy of the wallet module: NeuroData.Web/wwwroot/js/wallet.js is
// src/wallet.js with a generated header. No bundling or minifying.
//   node scripts/build.mjs          write the built file
//   node scripts/build.mjs --check  exit 1 if the committed built file differs from a fresh build
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'wallet.js');
const target = join(root, '..', 'NeuroData.Web', 'wwwroot', 'js', 'wallet.js');
const HEADER = '// built from wwwroot-js-interop/src/wallet.js — do not edit (run `npm run build` in wwwroot-js-interop)\n';

/** @param {string} text */
const lf = (text) => text.replace(/\r\n/g, '\n');

const built = HEADER + lf(await readFile(source, 'utf8'));

if (process.argv.includes('--check')) {
  let committed;
  try {
    committed = lf(await readFile(target, 'utf8'));
  } catch {
    console.error(`check:build: ${target} is missing. Run \`npm run build\` in wwwroot-js-interop and commit the result.`);
    process.exit(1);
  }
  if (committed !== built) {
    console.error(`check:build: ${target} differs from a fresh build of src/wallet.js. Run \`npm run build\` in wwwroot-js-interop and commit the result.`);
    process.exit(1);
  }
  console.log('check:build: NeuroData.Web/wwwroot/js/wallet.js is up to date.');
} else {
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, built, 'utf8');
  console.log('build: wrote NeuroData.Web/wwwroot/js/wallet.js');
}
