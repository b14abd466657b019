// Writes the app's copies of the interop modules: NeuroData.Web/wwwroot/js/<name>.js is
// src/<name>.js with a generated header. No bundling or minifying.
//   node scripts/build.mjs          write the built files
//   node scripts/build.mjs --check  exit 1 if a committed built file differs from a fresh build
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODULES = ['wallet.js', 'upload.js'];

/** @param {string} text */
const lf = (text) => text.replace(/\r\n/g, '\n');

let failed = false;
for (const name of MODULES) {
  const source = join(root, 'src', name);
  const target = join(root, '..', 'NeuroData.Web', 'wwwroot', 'js', name);
  const header = `// built from wwwroot-js-interop/src/${name} — do not edit (run \`npm run build\` in wwwroot-js-interop)\n`;
  const built = header + lf(await readFile(source, 'utf8'));

  if (process.argv.includes('--check')) {
    let committed;
    try {
      committed = lf(await readFile(target, 'utf8'));
    } catch {
      console.error(`check:build: ${target} is missing. Run \`npm run build\` in wwwroot-js-interop and commit the result.`);
      failed = true;
      continue;
    }
    if (committed !== built) {
      console.error(`check:build: ${target} differs from a fresh build of src/${name}. Run \`npm run build\` in wwwroot-js-interop and commit the result.`);
      failed = true;
      continue;
    }
    console.log(`check:build: NeuroData.Web/wwwroot/js/${name} is up to date.`);
  } else {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, built, 'utf8');
    console.log(`build: wrote NeuroData.Web/wwwroot/js/${name}`);
  }
}
if (failed) {
  process.exit(1);
}
