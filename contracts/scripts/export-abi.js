// Writes {contractName, abi, bytecode} for each deployable contract to
// ../NeuroData.Infrastructure/Chain/Abi/<Name>.json (embedded by the C# code).
// With --check it writes nothing and exits 1 if any exported file differs from a fresh compile.
// Run after `hardhat compile` (the npm scripts do that).
"use strict";

const fs = require("fs");
const path = require("path");

const CONTRACTS = ["NeuroCoin", "Staking", "EscrowManager", "DataMarketplace", "NeuroGovernor", "NeuroTimelock"];
const ROOT = path.join(__dirname, "..");
const OUT = path.resolve(ROOT, "..", "NeuroData.Infrastructure", "Chain", "Abi");

function findArtifact(name) {
  const stack = [path.join(ROOT, "artifacts", "src")];
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        stack.push(full);
      } else if (entry.name === `${name}.json`) {
        return full;
      }
    }
  }
  throw new Error(`artifact for ${name} not found: run "npx hardhat compile" first`);
}

function render(name) {
  const artifact = JSON.parse(fs.readFileSync(findArtifact(name), "utf8"));
  const exported = { contractName: artifact.contractName, abi: artifact.abi, bytecode: artifact.bytecode };
  return `${JSON.stringify(exported, null, 2)}\n`;
}

function main() {
  const check = process.argv.includes("--check");
  const expected = new Map(CONTRACTS.map((n) => [`${n}.json`, render(n)]));
  if (!check) {
    fs.mkdirSync(OUT, { recursive: true });
    for (const [file, text] of expected) {
      fs.writeFileSync(path.join(OUT, file), text);
      console.log(`exported ${path.relative(process.cwd(), path.join(OUT, file))}`);
    }
    return;
  }
  const problems = [];
  for (const [file, text] of expected) {
    const p = path.join(OUT, file);
    if (!fs.existsSync(p)) {
      problems.push(`${file} is missing`);
    } else if (fs.readFileSync(p, "utf8") !== text) {
      problems.push(`${file} differs from a fresh compile`);
    }
  }
  if (fs.existsSync(OUT)) {
    for (const f of fs.readdirSync(OUT)) {
      if (f.endsWith(".json") && !expected.has(f)) {
        problems.push(`${f} is not an exported contract`);
      }
    }
  }
  if (problems.length > 0) {
    console.error(`Exported ABI files are out of date (run "npm run export" and commit):\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`Exported ABI files match a fresh compile (${expected.size} contracts).`);
}

main();
