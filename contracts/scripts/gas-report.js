// Measures gasUsed from receipts for the main user actions on the in-process Hardhat network and
// prints a Markdown table (run: npm run gas). Numbers are for the optimizer settings in hardhat.config.js.
"use strict";

const hre = require("hardhat");
const { ethers } = hre;
const { time, mine } = require("@nomicfoundation/hardhat-network-helpers");
const { deployFixture, NCR, DAY, DIGEST } = require("../test/helpers");

async function gas(txPromise) {
  const receipt = await (await txPromise).wait();
  return receipt.gasUsed;
}

async function main() {
  const d = await deployFixture();
  const rows = [];
  const add = (action, fn, gasUsed, note = "") => rows.push({ action, fn, gasUsed, note });
  const m = d.marketplace;
  const e = d.escrow;
  const marketAddr = await m.getAddress();
  const escrowAddr = await e.getAddress();
  const stakingAddr = await d.staking.getAddress();

  add("list", "createListing", await gas(m.connect(d.seller).createListing(DIGEST, NCR(1000), 7 * DAY, 0, 1)));
  add("approve listing", "approveListing", await gas(m.connect(d.operator).approveListing(1)));
  for (const b of [d.buyer, d.buyer2, d.other]) {
    await d.token.connect(b).approve(marketAddr, ethers.MaxUint256);
    await d.token.connect(b).approve(escrowAddr, ethers.MaxUint256);
  }
  add("purchase", "purchase", await gas(m.connect(d.buyer).purchase(1, NCR(1000))), "first escrow (cold storage)");
  add("purchase", "purchase", await gas(m.connect(d.buyer2).purchase(1, NCR(1000))), "later escrow");
  add("confirm", "confirm", await gas(e.connect(d.buyer).confirm(1)), "release in full");
  add("withdraw", "withdraw", await gas(e.connect(d.seller).withdraw()));
  add("dispute", "openDispute", await gas(e.connect(d.buyer2).openDispute(2, 0)), "arbitrator mode");
  add("rule", "rule", await gas(e.connect(d.arbitrator).rule(2, 10000)), "for the seller: bond burn + arbitrator credit");

  for (const s of [d.staker1, d.staker2]) {
    await d.token.connect(s).approve(stakingAddr, ethers.MaxUint256);
  }
  add("stake", "stake", await gas(d.staking.connect(d.staker1).stake(NCR(1000))), "first stake");
  await d.staking.connect(d.staker2).stake(NCR(500));
  add("stake", "stake", await gas(d.staking.connect(d.staker2).stake(NCR(500))), "adding to a stake");
  await mine();
  await m.connect(d.other).purchase(1, NCR(1000));
  add("dispute", "openDispute", await gas(e.connect(d.other).openDispute(3, 1)), "community mode (stake snapshot)");
  add("vote", "vote", await gas(e.connect(d.staker1).vote(3, true)));
  await e.connect(d.staker2).vote(3, false);
  await time.increase(3 * DAY);
  add("tally", "tally", await gas(e.tally(3)));
  await time.increase(30 * DAY);
  add("claim", "claim", await gas(d.staking.connect(d.staker1).claim()));
  add("unstake", "unstake", await gas(d.staking.connect(d.staker1).unstake(NCR(1000))));

  console.log("| Action | Function | Gas used | Note |");
  console.log("|---|---|---:|---|");
  for (const r of rows) {
    console.log(`| ${r.action} | \`${r.fn}\` | ${r.gasUsed.toLocaleString("en-US")} | ${r.note} |`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
