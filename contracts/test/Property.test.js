"use strict";

// Property tests @property: seeded random sequences of marketplace, escrow, dispute and staking actions.
// After every single action the invariants of issue 3 are asserted against the chain. A failure
// prints the seed and step so it can be replayed with PROPERTY_SEEDS=<seed>.
//
//   PROPERTY_SEEDS   comma-separated seeds (default 1,2,3,4,5)
//   PROPERTY_ACTIONS actions per seed (default 2000; 5 seeds x 2000 = 10,000 actions)

const { expect } = require("chai");
const hre = require("hardhat");
const { ethers } = hre;
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const { deployAll } = require("../lib/deploy");
const { NCR, DAY, DIGEST, signPermit } = require("./helpers");

const SEEDS = (process.env.PROPERTY_SEEDS ?? "1,2,3,4,5").split(",").map((s) => Number(s.trim()));
const ACTIONS = Number(process.env.PROPERTY_ACTIONS ?? 2000);
const BPS = 10000n;
const S = { Funded: 1, Released: 2, Refunded: 3, Disputed: 4, Resolved: 5 };
const TERMINAL = new Set([S.Released, S.Refunded, S.Resolved]);

/** mulberry32: small, fast, seeded. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
}

async function propertyFixture() {
  const s = await ethers.getSigners();
  const who = {
    admin: s[0],
    operator: s[1],
    arbitrators: [s[2], s[3]],
    treasury: s[4],
    sellers: [s[5], s[12]],
    buyers: [s[6], s[7], s[11], s[13]],
    stakers: [s[8], s[9], s[10], s[14]],
  };
  const fund = [...who.sellers, ...who.buyers, ...who.stakers].map((x) => ({ address: x.address, amount: NCR(1_000_000) }));
  const d = await deployAll({
    factory: (name) => ethers.getContractFactory(name, who.admin),
    deployer: who.admin,
    options: {
      treasury: who.treasury.address,
      operator: who.operator.address,
      arbitrators: who.arbitrators.map((a) => a.address),
      fund,
      rewardReserve: NCR(300), // small on purpose: the reserve runs dry during the runs
    },
  });
  const escrowAddr = await d.escrow.getAddress();
  const marketAddr = await d.marketplace.getAddress();
  const stakingAddr = await d.staking.getAddress();
  for (const b of who.buyers) {
    await d.token.connect(b).approve(marketAddr, ethers.MaxUint256);
    await d.token.connect(b).approve(escrowAddr, ethers.MaxUint256);
  }
  for (const st of who.stakers) {
    await d.token.connect(st).approve(stakingAddr, ethers.MaxUint256);
  }
  await d.token.approve(stakingAddr, ethers.MaxUint256);
  // Six approved listings with 1 to 3 tranches and review periods of 1 to 7 days.
  for (let i = 0; i < 6; i++) {
    const seller = who.sellers[i % 2];
    await d.marketplace.connect(seller).createListing(DIGEST, NCR(100 + 137 * i), (1 + i) * DAY, i % 2, 1 + (i % 3));
    await d.marketplace.connect(who.operator).approveListing(i + 1);
  }
  return { ...d, ...who, escrowAddr, stakingAddr };
}

/** Exact mirror of the contract's economics, fed only by the actions the test itself performs. */
class Model {
  constructor() {
    this.escrows = new Map(); // id -> record
    this.credited = new Map(); // account -> total credited (from events)
    this.withdrawn = new Map(); // account -> total withdrawn (from events)
    this.paused = false;
  }
}

async function runSequence(seed, n) {
  const d = await loadFixture(propertyFixture);
  const r = prng(seed);
  const m = new Model();
  const ifc = d.escrow.interface;
  const allAccounts = [...d.sellers, ...d.buyers, ...d.arbitrators];
  const counts = {};

  const parse = (receipt) => receipt.logs.filter((l) => l.address === d.escrowAddr).map((l) => ifc.parseLog(l));

  // Applies escrow events to the per-escrow ledger (credits, fees, burned) and per-account totals.
  function absorb(events) {
    for (const ev of events) {
      const id = ev.args.escrowId !== undefined ? Number(ev.args.escrowId) : undefined;
      const e = id !== undefined ? m.escrows.get(id) : undefined;
      switch (ev.name) {
        case "Credited":
          e.paidOut += ev.args.amount;
          m.credited.set(ev.args.account, (m.credited.get(ev.args.account) ?? 0n) + ev.args.amount);
          break;
        case "TrancheReleased":
        case "EscrowReleased":
          e.fees += ev.args.fee;
          break;
        case "DisputeResolved":
          e.fees += ev.args.fee;
          e.burned += ev.args.bondBurned;
          break;
        case "Withdrawn":
          m.withdrawn.set(ev.args.account, (m.withdrawn.get(ev.args.account) ?? 0n) + ev.args.amount);
          break;
        default:
          break;
      }
    }
  }

  async function send(txPromise) {
    const receipt = await (await txPromise).wait();
    absorb(parse(receipt));
    return receipt;
  }

  async function expectRevert(txPromise, contract, error) {
    await expect(txPromise).to.be.revertedWithCustomError(contract, error);
  }

  const byState = (st) => [...m.escrows.values()].filter((e) => e.state === st);

  async function refresh(e) {
    const onChain = await d.escrow.getEscrow(e.id);
    return onChain;
  }

  async function act(step) {
    // Every first transaction of a step lands exactly one second later: runs are deterministic per seed.
    const now = BigInt(await time.latest());
    await time.setNextBlockTimestamp(now + 1n);
    const roll = r.next();
    if (roll < 0.16) {
      // ---------------------------------------------------------------- buy
      counts.buy = (counts.buy ?? 0) + 1;
      const listingId = r.int(1, 6);
      const listing = await d.marketplace.getListing(listingId);
      const buyer = r.chance(0.05) ? d.sellers[(listingId - 1) % 2] : r.pick(d.buyers);
      const lowball = r.chance(0.05);
      const maxPrice = lowball ? listing.price - 1n : listing.price;
      const call = () => d.marketplace.connect(buyer).purchase(listingId, maxPrice);
      if (buyer.address === listing.seller) return expectRevert(call(), d.marketplace, "SelfPurchase");
      if (lowball) return expectRevert(call(), d.marketplace, "PriceAboveMax");
      if (m.paused) return expectRevert(call(), d.escrow, "EnforcedPause");
      let receipt;
      if (r.chance(0.1)) {
        // The permit path, sometimes with the permit front-run by somebody else first.
        const marketAddr = await d.marketplace.getAddress();
        const deadline = now + 3600n;
        const sig = await signPermit(d.token, buyer, marketAddr, maxPrice, deadline);
        const frontRun = r.chance(0.5);
        if (frontRun) {
          await d.token.connect(d.operator).permit(buyer.address, marketAddr, maxPrice, deadline, sig.v, sig.r, sig.s);
        }
        receipt = await (
          await d.marketplace.connect(buyer).purchaseWithPermit(listingId, maxPrice, deadline, sig.v, sig.r, sig.s)
        ).wait();
        const failed = receipt.logs.some((l) => l.address === marketAddr && d.marketplace.interface.parseLog(l)?.name === "PermitFailed");
        expect(failed, "PermitFailed exactly when front-run").to.equal(frontRun);
        await d.token.connect(buyer).approve(marketAddr, ethers.MaxUint256);
      } else {
        receipt = await (await call()).wait();
      }
      const opened = parse(receipt).find((x) => x.name === "EscrowOpened");
      const id = Number(opened.args.escrowId);
      m.escrows.set(id, {
        id,
        buyer: buyer.address,
        seller: listing.seller,
        amount: listing.price,
        bond: 0n,
        paidOut: 0n,
        fees: 0n,
        burned: 0n,
        state: S.Funded,
        deadline: opened.args.deadline,
        tranches: Number(listing.tranches),
        mode: -1,
      });
      absorb(parse(receipt));
      if (r.chance(0.1)) {
        // Sellers reprice now and then; pending buyers are covered by maxPrice.
        const l = r.int(1, 6);
        const ls = await d.marketplace.getListing(l);
        const seller = d.sellers.find((s) => s.address === ls.seller);
        await d.marketplace.connect(seller).updatePrice(l, NCR(r.int(1, 3000)));
      }
    } else if (roll < 0.28) {
      // ---------------------------------------------------------------- confirm / refund by seller
      counts.confirm = (counts.confirm ?? 0) + 1;
      const open = byState(S.Funded);
      if (open.length === 0) return;
      const e = r.pick(open);
      const buyer = d.buyers.find((b) => b.address === e.buyer);
      const seller = d.sellers.find((s) => s.address === e.seller);
      if (r.chance(0.1)) {
        await expectRevert(d.escrow.connect(seller).confirm(e.id), d.escrow, "NotBuyer");
        return;
      }
      if (r.chance(0.15)) {
        await send(d.escrow.connect(seller).agreeRefund(e.id));
        e.state = S.Refunded;
        return;
      }
      await send(d.escrow.connect(buyer).confirm(e.id));
      e.state = Number((await refresh(e)).state);
    } else if (roll < 0.38) {
      // ---------------------------------------------------------------- dispute
      counts.dispute = (counts.dispute ?? 0) + 1;
      const open = byState(S.Funded);
      if (open.length === 0) return;
      const e = r.pick(open);
      const buyer = d.buyers.find((b) => b.address === e.buyer);
      const mode = r.chance(0.5) ? 1 : 0;
      const call = () => d.escrow.connect(buyer).openDispute(e.id, mode);
      if (m.paused) return expectRevert(call(), d.escrow, "EnforcedPause");
      if (now + 1n >= e.deadline) return expectRevert(call(), d.escrow, "DeadlinePassed");
      // The snapshot is the previous block, whose total equals the current total stake.
      if (mode === 1 && (await d.staking.totalStaked()) === 0n) return expectRevert(call(), d.escrow, "NoStakers");
      const receipt = await send(call());
      const opened = parse(receipt).find((x) => x.name === "DisputeOpened");
      e.bond = opened.args.bond;
      e.state = S.Disputed;
      e.mode = mode;
      e.voteEnd = opened.args.voteEnd;
      e.rulingDeadline = opened.args.rulingDeadline;
    } else if (roll < 0.45) {
      // ---------------------------------------------------------------- arbitrator rules
      counts.rule = (counts.rule ?? 0) + 1;
      const open = byState(S.Disputed).filter((e) => e.mode === 0);
      if (open.length === 0) return;
      const e = r.pick(open);
      const bps = r.pick([0n, 10000n, BigInt(r.int(0, 10000))]);
      const call = () => d.escrow.connect(r.pick(d.arbitrators)).rule(e.id, bps);
      if (now + 1n >= e.rulingDeadline) return expectRevert(call(), d.escrow, "RulingPeriodOver");
      await send(call());
      e.state = S.Resolved;
    } else if (roll < 0.53) {
      // ---------------------------------------------------------------- staker votes
      counts.vote = (counts.vote ?? 0) + 1;
      const open = byState(S.Disputed).filter((e) => e.mode === 1);
      if (open.length === 0) return;
      const e = r.pick(open);
      const voter = r.pick(d.stakers);
      const dispute = await d.escrow.getDispute(e.id);
      const weight = await d.staking.getPastStake(voter.address, dispute.snapshotBlock);
      const call = () => d.escrow.connect(voter).vote(e.id, r.chance(0.5));
      if (now + 1n >= e.voteEnd) return expectRevert(call(), d.escrow, "VotingClosed");
      if (await d.escrow.hasVoted(e.id, voter.address)) return expectRevert(call(), d.escrow, "AlreadyVoted");
      if (weight === 0n) return expectRevert(call(), d.escrow, "NoVotingPower");
      await send(call());
      const after = await d.escrow.getDispute(e.id);
      expect(after.votesForSeller + after.votesForBuyer, "votes exceed snapshot").to.be.lte(after.snapshotTotalStake);
      expect(after.votesForSeller + after.votesForBuyer - dispute.votesForSeller - dispute.votesForBuyer).to.equal(weight);
    } else if (roll < 0.6) {
      // ---------------------------------------------------------------- auto-release / timeouts / tally
      counts.settle = (counts.settle ?? 0) + 1;
      const candidates = [...byState(S.Funded), ...byState(S.Disputed)];
      if (candidates.length === 0) return;
      const e = r.pick(candidates);
      if (e.state === S.Funded) {
        const call = () => d.escrow.releaseAfterDeadline(e.id);
        if (now + 1n < e.deadline) return expectRevert(call(), d.escrow, "DeadlineNotReached");
        await send(call());
        e.state = S.Released;
      } else if (e.mode === 0) {
        const call = () => d.escrow.resolveAfterTimeout(e.id);
        if (now + 1n < e.rulingDeadline) return expectRevert(call(), d.escrow, "RulingPeriodNotOver");
        await send(call());
        e.state = S.Resolved;
      } else {
        const call = () => d.escrow.tally(e.id);
        if (now + 1n < e.voteEnd) return expectRevert(call(), d.escrow, "VotingOpen");
        await send(call());
        e.state = S.Resolved;
      }
    } else if (roll < 0.68) {
      // ---------------------------------------------------------------- time travel
      counts.time = (counts.time ?? 0) + 1;
      await time.increaseTo(now + BigInt(r.int(600, 3 * DAY)));
    } else if (roll < 0.78) {
      // ---------------------------------------------------------------- staking
      counts.staking = (counts.staking ?? 0) + 1;
      const st = r.pick(d.stakers);
      const k = r.next();
      if (k < 0.4) {
        await d.staking.connect(st).stake(NCR(r.int(1, 5000)));
      } else if (k < 0.7) {
        const staked = await d.staking.stakedOf(st.address);
        if (staked === 0n) return expectRevert(d.staking.connect(st).unstake(1), d.staking, "InsufficientStake");
        await d.staking.connect(st).unstake(BigInt(r.int(1, 100)) * (staked / 100n) || staked);
      } else if (k < 0.95) {
        const before = await d.token.balanceOf(st.address);
        const call = () => d.staking.connect(st).claim();
        const earnedNow = await d.staking.earned(st.address);
        if (earnedNow === 0n) {
          const canGrow = (await d.staking.stakedOf(st.address)) > 0n && (await d.staking.rewardReserve()) > 0n;
          if (!canGrow) return expectRevert(call(), d.staking, "ZeroAmount");
          return; // one more second may or may not round above zero: not a meaningful prediction
        }
        await (await call()).wait();
        expect(await d.token.balanceOf(st.address)).to.be.gt(before);
      } else {
        await d.staking.fundReserve(NCR(r.int(1, 50)));
      }
    } else if (roll < 0.92) {
      // ---------------------------------------------------------------- withdraw / sweep
      counts.withdraw = (counts.withdraw ?? 0) + 1;
      if (r.chance(0.1)) {
        const fees = await d.escrow.accruedFees();
        if (fees === 0n) return expectRevert(d.escrow.sweepFees(), d.escrow, "ZeroAmount");
        const before = await d.token.balanceOf(d.treasury.address);
        await send(d.escrow.sweepFees());
        expect(await d.token.balanceOf(d.treasury.address)).to.equal(before + fees);
        return;
      }
      const who = r.pick(allAccounts);
      const owed = await d.escrow.withdrawable(who.address);
      if (owed === 0n) return expectRevert(d.escrow.connect(who).withdraw(), d.escrow, "NothingToWithdraw");
      const before = await d.token.balanceOf(who.address);
      await send(d.escrow.connect(who).withdraw());
      expect(await d.token.balanceOf(who.address)).to.equal(before + owed);
    } else {
      // ---------------------------------------------------------------- pause / unpause
      counts.pause = (counts.pause ?? 0) + 1;
      // Pauses are short: unpause at once, pause only now and then.
      if (m.paused) {
        await d.escrow.connect(d.operator).unpause();
        m.paused = false;
      } else if (r.chance(0.3)) {
        await d.escrow.connect(d.operator).pause();
        m.paused = true;
      }
    }
  }

  async function checkInvariants(step) {
    const [balance, escrowed, bonds, withdrawable, fees, stBal, staked, owed, reserve] = await Promise.all([
      d.token.balanceOf(d.escrowAddr),
      d.escrow.totalEscrowed(),
      d.escrow.totalBonds(),
      d.escrow.totalWithdrawable(),
      d.escrow.accruedFees(),
      d.token.balanceOf(d.stakingAddr),
      d.staking.totalStaked(),
      d.staking.totalRewardsOwed(),
      d.staking.rewardReserve(),
    ]);
    // Escrow conservation, from independent sums.
    let open = 0n;
    let openBonds = 0n;
    for (const e of m.escrows.values()) {
      if (!TERMINAL.has(e.state)) {
        open += e.amount - e.paidOut - e.fees; // what is still held (gross) for this escrow
        openBonds += e.bond;
      }
    }
    expect(balance, `step ${step}: escrow balance`).to.equal(escrowed + bonds + withdrawable + fees);
    expect(escrowed, `step ${step}: open escrows`).to.equal(open);
    expect(bonds, `step ${step}: bonds`).to.equal(openBonds);
    let outstanding = 0n;
    for (const a of allAccounts) {
      const c = m.credited.get(a.address) ?? 0n;
      const w = m.withdrawn.get(a.address) ?? 0n;
      expect(w, `step ${step}: ${a.address} withdrew more than credited`).to.be.lte(c);
      outstanding += c - w;
    }
    expect(withdrawable, `step ${step}: withdrawable`).to.equal(outstanding);
    // Staking solvency: principal, owed rewards and the reserve are all backed; unpaid rewards never exceed funding.
    expect(stBal, `step ${step}: staking balance`).to.equal(staked + owed + reserve);
    const earned = await Promise.all(d.stakers.map((s) => d.staking.earned(s.address)));
    const unpaid = earned.reduce((a, b) => a + b, 0n);
    expect(unpaid, `step ${step}: unpaid rewards`).to.be.lte(owed + reserve);
    expect(stBal, `step ${step}: staking solvency`).to.be.gte(staked + unpaid);
    // Terminal escrows: money moved exactly once and the state never changes.
    const terminal = [...m.escrows.values()].filter((e) => TERMINAL.has(e.state));
    for (let i = 0; i < Math.min(2, terminal.length); i++) {
      const e = r.pick(terminal);
      const onChain = await d.escrow.getEscrow(e.id);
      expect(Number(onChain.state), `step ${step}: terminal escrow ${e.id} changed`).to.equal(e.state);
      expect(e.paidOut + e.fees + e.burned, `step ${step}: escrow ${e.id} conservation`).to.equal(e.amount + e.bond);
    }
  }

  for (let step = 0; step < n; step++) {
    try {
      await act(step);
      await checkInvariants(step);
    } catch (err) {
      err.message = `seed ${seed}, step ${step}: ${err.message}`;
      throw err;
    }
  }
  // Final sweep: every terminal escrow balances and every account can withdraw exactly its credit.
  for (const e of m.escrows.values()) {
    const onChain = await d.escrow.getEscrow(e.id);
    expect(Number(onChain.state)).to.equal(e.state);
    if (TERMINAL.has(e.state)) {
      expect(e.paidOut + e.fees + e.burned, `escrow ${e.id}`).to.equal(e.amount + e.bond);
    }
  }
  return { counts, escrows: m.escrows.size, terminal: [...m.escrows.values()].filter((e) => TERMINAL.has(e.state)).length };
}

describe("Property: random action sequences keep every invariant @property", function () {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${ACTIONS} actions`, async function () {
      const result = await runSequence(seed, ACTIONS);
      // The run must actually exercise the protocol, not idle.
      expect(result.escrows).to.be.greaterThan(ACTIONS / 20);
      expect(result.terminal).to.be.greaterThan(ACTIONS / 40);
      if (process.env.PROPERTY_VERBOSE) {
        console.log(`      seed ${seed}:`, JSON.stringify(result));
      }
    });
  }
});
