module.exports = {
  istanbulReporter: ["text", "json-summary"],
  skipFiles: ["test/"],
  // The property suite is long; coverage runs the unit suites (property tests run in `npm test`).
  mocha: { grep: "@property", invert: true },
};
