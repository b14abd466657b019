"use strict";

const hre = require("hardhat");
const { ethers } = hre;
const { deployAll, ROLES } = require("../lib/deploy");

const NCR = (n) => ethers.parseEther(String(n));
const DAY = 24 * 3600;
const DIGEST = ethers.id("dataset-version-1");

/** Signers with fixed jobs in every test. */
async function namedSigners() {
  const s = await ethers.getSigners();
  return {
    admin: s[0],
    operator: s[1],
    arbitrator: s[2],
    arbitrator2: s[3],
    treasury: s[4],
    seller: s[5],
    buyer: s[6],
    buyer2: s[7],
    staker1: s[8],
    staker2: s[9],
    staker3: s[10],
    other: s[11],
    all: s,
  };
}

/** Full deployment through the same code the deploy script uses, plus balances for the actors. */
async function deployFixture() {
  const who = await namedSigners();
  const factory = (name) => ethers.getContractFactory(name, who.admin);
  const fund = [who.seller, who.buyer, who.buyer2, who.staker1, who.staker2, who.staker3, who.other].map((s) => ({
    address: s.address,
    amount: NCR(1_000_000),
  }));
  const d = await deployAll({
    factory,
    deployer: who.admin,
    options: {
      treasury: who.treasury.address,
      operator: who.operator.address,
      arbitrators: [who.arbitrator.address, who.arbitrator2.address],
      fund,
      governorVotingPeriod: 50,
      timelockDelay: DAY,
    },
  });
  return { ...d, ...who };
}

/** Creates and approves a listing; returns its id. */
async function approvedListing(d, { price = NCR(1000), reviewPeriod = 7 * DAY, access = 0, tranches = 1, seller } = {}) {
  const s = seller ?? d.seller;
  const id = (await d.marketplace.listingCount()) + 1n;
  await d.marketplace.connect(s).createListing(DIGEST, price, reviewPeriod, access, tranches);
  await d.marketplace.connect(d.operator).approveListing(id);
  return id;
}

/** Buys a listing (approving the price first); returns the escrow id. */
async function buy(d, listingId, buyer) {
  const b = buyer ?? d.buyer;
  const listing = await d.marketplace.getListing(listingId);
  await d.token.connect(b).approve(await d.marketplace.getAddress(), listing.price);
  await d.marketplace.connect(b).purchase(listingId, listing.price);
  return d.escrow.escrowCount();
}

async function approveBond(d, escrowId, buyer) {
  const b = buyer ?? d.buyer;
  const e = await d.escrow.getEscrow(escrowId);
  const bond = await d.escrow.bondFor(e.amount - e.released);
  await d.token.connect(b).approve(await d.escrow.getAddress(), bond);
  return bond;
}

async function expectSolvent(d) {
  const bal = await d.token.balanceOf(await d.escrow.getAddress());
  const liab = await d.escrow.totalLiabilities();
  if (bal !== liab) {
    throw new Error(`escrow balance ${bal} != liabilities ${liab}`);
  }
}

async function signPermit(token, owner, spender, value, deadline) {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name: "NeuroCoin", version: "1", chainId, verifyingContract: await token.getAddress() };
  const types = {
    Permit: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  };
  const nonce = await token.nonces(owner.address);
  const sig = await owner.signTypedData(domain, types, { owner: owner.address, spender, value, nonce, deadline });
  return ethers.Signature.from(sig);
}

module.exports = { signPermit, NCR, DAY, DIGEST, ROLES, namedSigners, deployFixture, approvedListing, buy, approveBond, expectSolvent };
