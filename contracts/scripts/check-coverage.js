// Fails (exit 1) when solidity-coverage's line or branch coverage is below the threshold.
"use strict";

const fs = require("fs");
const path = require("path");

const THRESHOLD = Number(process.env.COVERAGE_THRESHOLD ?? 95);
const file = path.join(__dirname, "..", "coverage", "coverage-summary.json");
if (!fs.existsSync(file)) {
  console.error(`coverage summary not found at ${file}: run "hardhat coverage" first`);
  process.exit(1);
}
const total = JSON.parse(fs.readFileSync(file, "utf8")).total;
const lines = total.lines.pct;
const branches = total.branches.pct;
console.log(`Solidity coverage: lines ${lines}%, branches ${branches}%, statements ${total.statements.pct}%, functions ${total.functions.pct}% (minimum ${THRESHOLD}% lines and branches)`);
if (!(lines >= THRESHOLD) || !(branches >= THRESHOLD)) {
  console.error(`Coverage below ${THRESHOLD}%`);
  process.exit(1);
}
