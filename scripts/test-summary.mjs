#!/usr/bin/env node
// Prints how many tests ran per layer and a last line `TESTS: <n> passed, <m> failed, <s> skipped`.
//
//   node scripts/test-summary.mjs [--layer "Name=passed,failed,skipped"]... [--trx FILE] [--ci true]
//
// --layer   counts measured elsewhere (test.sh reads them from the mocha and node:test output).
// --trx     the TRX file of the one `dotnet test` run; its tests are split into layers by namespace:
//           NeuroData.Tests.Unit.*, .Components.*, .Integration.*, .E2E.* (anything else: "Other .NET").
// --ci true a skipped .NET test counts as a failure (a missing PostgreSQL or Chromium must not pass quietly).
// Exit status: 1 when any test failed, the TRX is missing or unreadable, or (CI) a .NET test was skipped.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const DOTNET_LAYERS = [
  ['Unit', 'NeuroData.Tests.Unit.'],
  ['Components', 'NeuroData.Tests.Components.'],
  ['Integration', 'NeuroData.Tests.Integration.'],
  ['E2E', 'NeuroData.Tests.E2E.'],
];

function parseArgs(argv) {
  const options = { layers: [], trx: null, ci: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--layer' && value !== undefined) {
      const match = /^(.+)=(\d+),(\d+),(\d+)$/.exec(value);
      if (!match) throw new Error(`--layer expects "Name=passed,failed,skipped", got "${value}"`);
      options.layers.push({ name: match[1], passed: +match[2], failed: +match[3], skipped: +match[4] });
      i++;
    } else if (arg === '--trx' && value !== undefined) {
      options.trx = value;
      i++;
    } else if (arg === '--ci' && value !== undefined) {
      options.ci = value.toLowerCase() === 'true';
      i++;
    } else {
      throw new Error(`unknown argument "${arg}"`);
    }
  }
  return options;
}

function unescapeXml(value) {
  return value
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function attributes(tag) {
  const result = {};
  for (const [, name, value] of tag.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
    result[name] = value
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  }
  return result;
}

/** Reads a VSTest TRX file: one entry per test result with its class name and outcome. */
export function readTrx(xml) {
  const classById = new Map();
  for (const [, head, body] of xml.matchAll(/<UnitTest\b([^>]*)>([\s\S]*?)<\/UnitTest>/g)) {
    const id = attributes(head).id;
    const method = /<TestMethod\b([^>]*?)\/?>/.exec(body);
    if (id && method) classById.set(id, attributes(method[1]).className ?? '');
  }
  const results = [];
  for (const [, head, body] of xml.matchAll(/<UnitTestResult\b([^>]*?)(?:\/>|>([\s\S]*?)<\/UnitTestResult>)/g)) {
    const a = attributes(head);
    const message = body ? /<Message>([\s\S]*?)<\/Message>/.exec(body) : null;
    results.push({
      name: a.testName ?? '?',
      className: classById.get(a.testId) ?? '',
      outcome: a.outcome ?? 'Unknown',
      message: message ? unescapeXml(message[1]).trim() : '',
    });
  }
  return results;
}

export function layerOf(className, testName) {
  const qualified = className || testName;
  for (const [layer, prefix] of DOTNET_LAYERS) {
    if (qualified.startsWith(prefix)) return layer;
  }
  return 'Other .NET';
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const rows = [...options.layers];
  const problems = [];
  const skippedDotnet = [];
  const failedDotnet = [];

  if (options.trx !== null) {
    if (!existsSync(options.trx)) {
      problems.push(`no .NET test results (${options.trx} is missing: the build or the test run failed)`);
      for (const [layer] of DOTNET_LAYERS) rows.push({ name: layer, passed: 0, failed: 0, skipped: 0 });
    } else {
      const byLayer = new Map(DOTNET_LAYERS.map(([layer]) => [layer, { name: layer, passed: 0, failed: 0, skipped: 0 }]));
      const results = readTrx(readFileSync(options.trx, 'utf8'));
      if (results.length === 0) problems.push(`${options.trx} holds no test results`);
      for (const r of results) {
        const layer = layerOf(r.className, r.name);
        if (!byLayer.has(layer)) byLayer.set(layer, { name: layer, passed: 0, failed: 0, skipped: 0 });
        const row = byLayer.get(layer);
        if (r.outcome === 'Passed') row.passed++;
        else if (r.outcome === 'NotExecuted' || r.outcome === 'Inconclusive') {
          row.skipped++;
          skippedDotnet.push(r.name);
        } else {
          row.failed++;
          // The first lines of the failure, so a CI log alone says why (the full text is in the TRX).
          const why = r.message.split('\n').slice(0, 12).join('\n      ').slice(0, 1500);
          failedDotnet.push(why ? `${r.name}\n      ${why}` : r.name);
        }
      }
      rows.push(...byLayer.values());
    }
  }

  const width = Math.max(...rows.map((r) => r.name.length), 10);
  for (const r of rows) {
    const ran = r.passed + r.failed;
    console.log(
      `  ${r.name.padEnd(width)}  ran ${String(ran).padStart(4)}  passed ${String(r.passed).padStart(4)}  ` +
        `failed ${String(r.failed).padStart(3)}  skipped ${String(r.skipped).padStart(3)}`,
    );
  }
  if (failedDotnet.length > 0) {
    console.log(`\nFailed .NET tests:\n${failedDotnet.map((n) => `  - ${n}`).join('\n')}`);
  }
  if (skippedDotnet.length > 0) {
    console.log(`\nSkipped .NET tests${options.ci ? ' (CI=true: each counts as a failure)' : ''}:\n${skippedDotnet.map((n) => `  - ${n}`).join('\n')}`);
  }
  for (const p of problems) console.log(`\n${p}`);

  const total = rows.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
  const ciSkipFailure = options.ci && skippedDotnet.length > 0;
  console.log(`TESTS: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed > 0 || problems.length > 0 || ciSkipFailure ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main();
  } catch (err) {
    console.error(`test-summary: ${err.message}`);
    console.log('TESTS: 0 passed, 0 failed, 0 skipped');
    process.exitCode = 2;
  }
}
