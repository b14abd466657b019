"use strict";

const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time, mine } = require("@nomicfoundation/hardhat-network-helpers");
const { NCR, DAY, ROLES, deployFixture, approvedListing, buy, approveBond, expectSolvent } = require("./helpers");

const State = { None: 0, Funded: 1, Released: 2, Refunded: 3, Disputed: 4, Resolved: 5 };
const Mode = { Arbitrator: 0, Community: 1 };
const Resolution = { Ruling: 0, RulingTimeout: 1, Vote: 2, VoteFailed: 3 };
const PRICE = NCR(1000);
const FEE = (PRICE * 25n) / 10000n; // 2.5 NCR
const BOND = NCR(50); // 5% of 1000 > 10 NCR minimum

async function funded() {
  const d = await loadFixture(deployFixture);
  const listingId = await approvedListing(d, { price: PRICE });
  const id = await buy(d, listingId);
  return { d, id };
}

async function disputed(mode) {
  const { d, id } = await funded();
  if (mode === Mode.Community) {
    for (const [s, amt] of [
      [d.staker1, NCR(600)],
      [d.staker2, NCR(300)],
      [d.staker3, NCR(100)],
    ]) {
      await d.token.connect(s).approve(await d.staking.getAddress(), amt);
      await d.staking.connect(s).stake(amt);
    }
    await mine();
  }
  await approveBond(d, id);
  await d.escrow.connect(d.buyer).openDispute(id, mode);
  return { d, id };
}

async function withdrawAll(d, signer) {
  const owed = await d.escrow.withdrawable(signer.address);
  if (owed > 0n) {
    await d.escrow.connect(signer).withdraw();
  }
  return owed;
}

describe("EscrowManager", function () {
  describe("construction and opening", function () {
    it("rejects zero addresses", async function () {
      const [a] = await ethers.getSigners();
      const F = await ethers.getContractFactory("EscrowManager");
      const z = ethers.ZeroAddress;
      await expect(F.deploy(z, a.address, a.address, a.address, 0)).to.be.revertedWithCustomError(F, "ZeroAddress");
      await expect(F.deploy(a.address, z, a.address, a.address, 0)).to.be.revertedWithCustomError(F, "ZeroAddress");
      await expect(F.deploy(a.address, a.address, z, a.address, 0)).to.be.revertedWithCustomError(F, "ZeroAddress");
    });

    it("lets only the marketplace open escrows and validates every field", async function () {
      const d = await loadFixture(deployFixture);
      const b = d.buyer.address;
      const s = d.seller.address;
      await expect(d.escrow.openEscrow(1, b, s, 1, 0, DAY, 1))
        .to.be.revertedWithCustomError(d.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(d.admin.address, ROLES.MARKETPLACE);
      await d.escrow.grantRole(ROLES.MARKETPLACE, d.admin.address);
      const z = ethers.ZeroAddress;
      await expect(d.escrow.openEscrow(1, z, s, 1, 0, DAY, 1)).to.be.revertedWithCustomError(d.escrow, "ZeroAddress");
      await expect(d.escrow.openEscrow(1, b, z, 1, 0, DAY, 1)).to.be.revertedWithCustomError(d.escrow, "ZeroAddress");
      await expect(d.escrow.openEscrow(1, b, b, 1, 0, DAY, 1)).to.be.revertedWithCustomError(d.escrow, "BuyerIsSeller").withArgs(b);
      await expect(d.escrow.openEscrow(1, b, s, 0, 0, DAY, 1)).to.be.revertedWithCustomError(d.escrow, "ZeroAmount");
      await expect(d.escrow.openEscrow(1, b, s, 1, 0, DAY, 0)).to.be.revertedWithCustomError(d.escrow, "InvalidTranches");
      await expect(d.escrow.openEscrow(1, b, s, 1, 0, DAY, 13)).to.be.revertedWithCustomError(d.escrow, "InvalidTranches");
      await expect(d.escrow.openEscrow(1, b, s, 1, 501, DAY, 1)).to.be.revertedWithCustomError(d.escrow, "FeeTooHigh").withArgs(501);
      await expect(d.escrow.openEscrow(9, b, s, 1, 500, DAY, 12)).to.emit(d.escrow, "EscrowOpened");
    });

    it("reports unknown escrows with their own error", async function () {
      const d = await loadFixture(deployFixture);
      for (const call of [
        () => d.escrow.connect(d.buyer).confirm(5),
        () => d.escrow.releaseAfterDeadline(5),
        () => d.escrow.agreeRefund(5),
        () => d.escrow.connect(d.buyer).openDispute(5, 0),
        () => d.escrow.connect(d.arbitrator).rule(5, 0),
        () => d.escrow.resolveAfterTimeout(5),
        () => d.escrow.vote(5, true),
        () => d.escrow.tally(5),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(d.escrow, "UnknownEscrow").withArgs(5);
      }
    });
  });

  describe("release without dispute", function () {
    it("releases to the seller on buyer confirmation, fee to the treasury", async function () {
      const { d, id } = await funded();
      await expect(d.escrow.connect(d.other).confirm(id))
        .to.be.revertedWithCustomError(d.escrow, "NotBuyer")
        .withArgs(id, d.other.address);
      await expect(d.escrow.connect(d.buyer).confirm(id))
        .to.emit(d.escrow, "EscrowReleased")
        .withArgs(id, d.buyer.address, PRICE, FEE)
        .and.to.emit(d.escrow, "Credited")
        .withArgs(d.seller.address, id, PRICE - FEE);
      expect((await d.escrow.getEscrow(id)).state).to.equal(State.Released);
      expect(await d.escrow.withdrawable(d.seller.address)).to.equal(PRICE - FEE);
      expect(await d.escrow.accruedFees()).to.equal(FEE);
      await expectSolvent(d);
      await expect(d.escrow.connect(d.seller).withdraw()).to.changeTokenBalance(d.token, d.seller, PRICE - FEE);
      await expect(d.escrow.connect(d.other).sweepFees()).to.changeTokenBalance(d.token, d.treasury, FEE);
      await expect(d.escrow.sweepFees()).to.be.revertedWithCustomError(d.escrow, "ZeroAmount");
      await expect(d.escrow.connect(d.seller).withdraw())
        .to.be.revertedWithCustomError(d.escrow, "NothingToWithdraw")
        .withArgs(d.seller.address);
      await expectSolvent(d);
    });

    it("lets anyone release only after the deadline", async function () {
      const { d, id } = await funded();
      const e = await d.escrow.getEscrow(id);
      await expect(d.escrow.connect(d.other).releaseAfterDeadline(id))
        .to.be.revertedWithCustomError(d.escrow, "DeadlineNotReached")
        .withArgs(id, e.deadline);
      await time.increaseTo(e.deadline);
      await expect(d.escrow.connect(d.other).releaseAfterDeadline(id))
        .to.emit(d.escrow, "EscrowReleased")
        .withArgs(id, d.other.address, PRICE, FEE);
      await expectSolvent(d);
    });

    it("releases milestone escrows tranche by tranche", async function () {
      const d = await loadFixture(deployFixture);
      const lid = await approvedListing(d, { price: NCR(1000), tranches: 3 });
      const id = await buy(d, lid);
      const third = NCR(1000) / 3n;
      await expect(d.escrow.connect(d.buyer).confirm(id))
        .to.emit(d.escrow, "TrancheReleased")
        .withArgs(id, 0, third, (third * 25n) / 10000n);
      await d.escrow.connect(d.buyer).confirm(id);
      let e = await d.escrow.getEscrow(id);
      expect(e.state).to.equal(State.Funded);
      expect(e.tranchesReleased).to.equal(2n);
      expect(e.released).to.equal(third * 2n);
      const last = NCR(1000) - third * 2n;
      await expect(d.escrow.connect(d.buyer).confirm(id)).to.emit(d.escrow, "EscrowReleased").withArgs(id, d.buyer.address, last, (last * 25n) / 10000n);
      e = await d.escrow.getEscrow(id);
      expect(e.state).to.equal(State.Released);
      expect(e.released).to.equal(NCR(1000));
      await expectSolvent(d);
    });

    it("disputes only what is left of a milestone escrow", async function () {
      const d = await loadFixture(deployFixture);
      const lid = await approvedListing(d, { price: NCR(1000), tranches: 2 });
      const id = await buy(d, lid);
      await d.escrow.connect(d.buyer).confirm(id);
      const bond = await approveBond(d, id);
      expect(bond).to.equal(NCR(25));
      await d.escrow.connect(d.buyer).openDispute(id, Mode.Arbitrator);
      await expect(d.escrow.connect(d.arbitrator).rule(id, 0))
        .to.emit(d.escrow, "DisputeResolved")
        .withArgs(id, Resolution.Ruling, 0, 0, NCR(500), 0, NCR(25), 0, 0, d.arbitrator.address);
      await expectSolvent(d);
    });

    it("refunds when the seller agrees, before any dispute", async function () {
      const { d, id } = await funded();
      await expect(d.escrow.connect(d.buyer).agreeRefund(id))
        .to.be.revertedWithCustomError(d.escrow, "NotSeller")
        .withArgs(id, d.buyer.address);
      await expect(d.escrow.connect(d.seller).agreeRefund(id)).to.emit(d.escrow, "EscrowRefunded").withArgs(id, PRICE);
      expect((await d.escrow.getEscrow(id)).state).to.equal(State.Refunded);
      await expect(d.escrow.connect(d.buyer).withdraw()).to.changeTokenBalance(d.token, d.buyer, PRICE);
      await expectSolvent(d);
    });

    it("keeps terminal states absorbing", async function () {
      const { d, id } = await funded();
      await d.escrow.connect(d.buyer).confirm(id);
      for (const call of [
        () => d.escrow.connect(d.buyer).confirm(id),
        () => d.escrow.releaseAfterDeadline(id),
        () => d.escrow.connect(d.seller).agreeRefund(id),
        () => d.escrow.connect(d.buyer).openDispute(id, 0),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(d.escrow, "InvalidState").withArgs(id, State.Released);
      }
      for (const call of [
        () => d.escrow.connect(d.arbitrator).rule(id, 0),
        () => d.escrow.resolveAfterTimeout(id),
        () => d.escrow.vote(id, true),
        () => d.escrow.tally(id),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(d.escrow, "InvalidState").withArgs(id, State.Released);
      }
    });
  });

  describe("disputes", function () {
    it("lets only the buyer dispute, before the deadline, with a bond", async function () {
      const { d, id } = await funded();
      await expect(d.escrow.connect(d.seller).openDispute(id, 0)).to.be.revertedWithCustomError(d.escrow, "NotBuyer");
      const bond = await approveBond(d, id);
      expect(bond).to.equal(BOND);
      const tx = d.escrow.connect(d.buyer).openDispute(id, Mode.Arbitrator);
      await expect(tx).to.emit(d.escrow, "DisputeOpened");
      await expect(tx).to.changeTokenBalances(d.token, [d.buyer, d.escrow], [-BOND, BOND]);
      expect((await d.escrow.getEscrow(id)).state).to.equal(State.Disputed);
      expect(await d.escrow.totalBonds()).to.equal(BOND);
      await expectSolvent(d);
      await expect(d.escrow.connect(d.buyer).confirm(id)).to.be.revertedWithCustomError(d.escrow, "InvalidState").withArgs(id, State.Disputed);
      await expect(d.escrow.connect(d.seller).agreeRefund(id)).to.be.revertedWithCustomError(d.escrow, "InvalidState");
    });

    it("refuses a dispute at or after the deadline", async function () {
      const { d, id } = await funded();
      const e = await d.escrow.getEscrow(id);
      await approveBond(d, id);
      await time.setNextBlockTimestamp(e.deadline);
      await expect(d.escrow.connect(d.buyer).openDispute(id, 0))
        .to.be.revertedWithCustomError(d.escrow, "DeadlinePassed")
        .withArgs(id, e.deadline);
    });

    it("uses the minimum bond for small amounts", async function () {
      const d = await loadFixture(deployFixture);
      expect(await d.escrow.bondFor(NCR(10))).to.equal(NCR(10));
      expect(await d.escrow.bondFor(NCR(1000))).to.equal(NCR(50));
    });

    describe("arbitrator", function () {
      it("releases on a ruling for the seller: part of the bond burned, the rest pays the arbitrator", async function () {
        const { d, id } = await disputed(Mode.Arbitrator);
        const supply = await d.token.totalSupply();
        await expect(d.escrow.connect(d.arbitrator).rule(id, 10000))
          .to.emit(d.escrow, "DisputeResolved")
          .withArgs(id, Resolution.Ruling, 10000, PRICE - FEE, 0, FEE, 0, NCR(25), NCR(25), d.arbitrator.address);
        expect(await d.token.totalSupply()).to.equal(supply - NCR(25));
        expect(await d.escrow.withdrawable(d.arbitrator.address)).to.equal(NCR(25));
        expect(await d.escrow.withdrawable(d.seller.address)).to.equal(PRICE - FEE);
        expect(await d.escrow.withdrawable(d.buyer.address)).to.equal(0n);
        expect((await d.escrow.getEscrow(id)).state).to.equal(State.Resolved);
        await expectSolvent(d);
        await expect(d.escrow.connect(d.arbitrator2).rule(id, 0)).to.be.revertedWithCustomError(d.escrow, "InvalidState").withArgs(id, State.Resolved);
      });

      it("refunds everything including the bond on a ruling for the buyer", async function () {
        const { d, id } = await disputed(Mode.Arbitrator);
        await d.escrow.connect(d.arbitrator).rule(id, 0);
        expect(await d.escrow.withdrawable(d.buyer.address)).to.equal(PRICE + BOND);
        expect(await d.escrow.withdrawable(d.arbitrator.address)).to.equal(0n);
        await expectSolvent(d);
      });

      it("splits by basis points and forfeits the same share of the bond", async function () {
        const { d, id } = await disputed(Mode.Arbitrator);
        await d.escrow.connect(d.arbitrator).rule(id, 3000);
        const sellerGross = (PRICE * 3000n) / 10000n;
        const fee = (sellerGross * 25n) / 10000n;
        const forfeited = (BOND * 3000n) / 10000n;
        const burned = forfeited / 2n;
        expect(await d.escrow.withdrawable(d.seller.address)).to.equal(sellerGross - fee);
        expect(await d.escrow.withdrawable(d.buyer.address)).to.equal(PRICE - sellerGross + BOND - forfeited);
        expect(await d.escrow.withdrawable(d.arbitrator.address)).to.equal(forfeited - burned);
        await expectSolvent(d);
      });

      it("refuses non-arbitrators, arbitrators who are a party, late rulings and bad splits", async function () {
        const { d, id } = await disputed(Mode.Arbitrator);
        await expect(d.escrow.connect(d.other).rule(id, 0))
          .to.be.revertedWithCustomError(d.escrow, "AccessControlUnauthorizedAccount")
          .withArgs(d.other.address, ROLES.ARBITRATOR);
        await d.escrow.grantRole(ROLES.PARAMETER, d.admin.address);
        await d.escrow.grantRole(ROLES.ARBITRATOR, d.seller.address);
        await d.escrow.grantRole(ROLES.ARBITRATOR, d.buyer.address);
        await expect(d.escrow.connect(d.seller).rule(id, 10000))
          .to.be.revertedWithCustomError(d.escrow, "ArbitratorIsParty")
          .withArgs(id, d.seller.address);
        await expect(d.escrow.connect(d.buyer).rule(id, 0)).to.be.revertedWithCustomError(d.escrow, "ArbitratorIsParty");
        await expect(d.escrow.connect(d.arbitrator).rule(id, 10001)).to.be.revertedWithCustomError(d.escrow, "InvalidSplit").withArgs(10001);
        await expect(d.escrow.vote(id, true)).to.be.revertedWithCustomError(d.escrow, "WrongDisputeMode").withArgs(id, Mode.Arbitrator);
        await expect(d.escrow.tally(id)).to.be.revertedWithCustomError(d.escrow, "WrongDisputeMode");
        const dd = await d.escrow.getDispute(id);
        await expect(d.escrow.resolveAfterTimeout(id))
          .to.be.revertedWithCustomError(d.escrow, "RulingPeriodNotOver")
          .withArgs(id, dd.rulingDeadline);
        await time.increaseTo(dd.rulingDeadline);
        await expect(d.escrow.connect(d.arbitrator).rule(id, 0))
          .to.be.revertedWithCustomError(d.escrow, "RulingPeriodOver")
          .withArgs(id, dd.rulingDeadline);
      });

      it("applies the default 50/50 outcome after the ruling timeout and returns the whole bond", async function () {
        const { d, id } = await disputed(Mode.Arbitrator);
        const dd = await d.escrow.getDispute(id);
        await time.increaseTo(dd.rulingDeadline);
        const half = PRICE / 2n;
        const fee = (half * 25n) / 10000n;
        await expect(d.escrow.connect(d.other).resolveAfterTimeout(id))
          .to.emit(d.escrow, "DisputeResolved")
          .withArgs(id, Resolution.RulingTimeout, 5000, half - fee, half, fee, BOND, 0, 0, ethers.ZeroAddress);
        expect(await withdrawAll(d, d.buyer)).to.equal(half + BOND);
        expect(await withdrawAll(d, d.seller)).to.equal(half - fee);
        await expectSolvent(d);
      });
    });

    describe("community vote", function () {
      it("refuses a community dispute when nobody stakes", async function () {
        const { d, id } = await funded();
        await approveBond(d, id);
        await expect(d.escrow.connect(d.buyer).openDispute(id, Mode.Community)).to.be.revertedWithCustomError(d.escrow, "NoStakers");
      });

      it("weighs votes by stake at the block before the dispute and lets the majority win", async function () {
        const { d, id } = await disputed(Mode.Community);
        const dd = await d.escrow.getDispute(id);
        expect(dd.snapshotTotalStake).to.equal(NCR(1000));
        // Staking after the snapshot gives no weight.
        await d.token.connect(d.other).approve(await d.staking.getAddress(), NCR(5000));
        await d.staking.connect(d.other).stake(NCR(5000));
        await expect(d.escrow.connect(d.other).vote(id, true))
          .to.be.revertedWithCustomError(d.escrow, "NoVotingPower")
          .withArgs(id, d.other.address);
        await expect(d.escrow.connect(d.staker1).vote(id, true))
          .to.emit(d.escrow, "VoteCast")
          .withArgs(id, d.staker1.address, true, NCR(600));
        await expect(d.escrow.connect(d.staker1).vote(id, false))
          .to.be.revertedWithCustomError(d.escrow, "AlreadyVoted")
          .withArgs(id, d.staker1.address);
        // Unstaking after the snapshot keeps the snapshot weight.
        await d.staking.connect(d.staker2).unstake(NCR(300));
        await d.escrow.connect(d.staker2).vote(id, false);
        expect(await d.escrow.hasVoted(id, d.staker2.address)).to.equal(true);
        await expect(d.escrow.tally(id)).to.be.revertedWithCustomError(d.escrow, "VotingOpen").withArgs(id, dd.voteEnd);
        await time.increaseTo(dd.voteEnd);
        await expect(d.escrow.connect(d.staker3).vote(id, true))
          .to.be.revertedWithCustomError(d.escrow, "VotingClosed")
          .withArgs(id, dd.voteEnd);
        // Seller wins 600 to 300: bond forfeited, half burned, the rest returns to the buyer (no arbitrator).
        await expect(d.escrow.connect(d.other).tally(id))
          .to.emit(d.escrow, "DisputeResolved")
          .withArgs(id, Resolution.Vote, 10000, PRICE - FEE, 0, FEE, NCR(25), 0, NCR(25), ethers.ZeroAddress);
        const after = await d.escrow.getDispute(id);
        expect(after.votesForSeller + after.votesForBuyer).to.be.lte(after.snapshotTotalStake);
        await expectSolvent(d);
      });

      it("refunds when the buyer side wins the vote", async function () {
        const { d, id } = await disputed(Mode.Community);
        await d.escrow.connect(d.staker1).vote(id, false);
        await time.increaseTo((await d.escrow.getDispute(id)).voteEnd);
        await d.escrow.tally(id);
        expect(await d.escrow.withdrawable(d.buyer.address)).to.equal(PRICE + BOND);
      });

      it("falls back to the default outcome without quorum, using the quorum set when the dispute opened", async function () {
        const d = await loadFixture(deployFixture);
        await d.escrow.grantRole(ROLES.PARAMETER, d.admin.address);
        await d.escrow.setVotingParameters(3 * DAY, 2000); // 20%
        for (const [s, amt] of [
          [d.staker1, NCR(800)],
          [d.staker3, NCR(100)],
        ]) {
          await d.token.connect(s).approve(await d.staking.getAddress(), amt);
          await d.staking.connect(s).stake(amt);
        }
        const id = await buy(d, await approvedListing(d));
        await approveBond(d, id);
        await d.escrow.connect(d.buyer).openDispute(id, Mode.Community);
        expect((await d.escrow.getDispute(id)).quorumBps).to.equal(2000n);
        await d.escrow.setVotingParameters(3 * DAY, 100); // later changes do not apply to this dispute
        await d.escrow.connect(d.staker3).vote(id, true); // 100 of 900 < 20%
        await time.increaseTo((await d.escrow.getDispute(id)).voteEnd);
        const half = PRICE / 2n;
        const fee = (half * 25n) / 10000n;
        await expect(d.escrow.tally(id))
          .to.emit(d.escrow, "DisputeResolved")
          .withArgs(id, Resolution.VoteFailed, 5000, half - fee, half, fee, BOND, 0, 0, ethers.ZeroAddress);
        await expectSolvent(d);
      });

      it("falls back to the default outcome on a tie", async function () {
        const d = await loadFixture(deployFixture);
        for (const s of [d.staker1, d.staker2]) {
          await d.token.connect(s).approve(await d.staking.getAddress(), NCR(100));
          await d.staking.connect(s).stake(NCR(100));
        }
        const id = await buy(d, await approvedListing(d));
        await approveBond(d, id);
        await d.escrow.connect(d.buyer).openDispute(id, Mode.Community);
        await d.escrow.connect(d.staker1).vote(id, true);
        await d.escrow.connect(d.staker2).vote(id, false);
        await time.increaseTo((await d.escrow.getDispute(id)).voteEnd);
        const half = PRICE / 2n;
        const fee = (half * 25n) / 10000n;
        await expect(d.escrow.tally(id))
          .to.emit(d.escrow, "DisputeResolved")
          .withArgs(id, Resolution.VoteFailed, 5000, half - fee, half, fee, BOND, 0, 0, ethers.ZeroAddress);
        await expectSolvent(d);
      });

      it("does not let the parties vote", async function () {
        const { d, id } = await disputed(Mode.Community);
        await expect(d.escrow.connect(d.buyer).vote(id, false))
          .to.be.revertedWithCustomError(d.escrow, "PartyCannotVote")
          .withArgs(id, d.buyer.address);
        await expect(d.escrow.connect(d.seller).vote(id, true)).to.be.revertedWithCustomError(d.escrow, "PartyCannotVote");
        await expect(d.escrow.connect(d.arbitrator).rule(id, 0)).to.be.revertedWithCustomError(d.escrow, "WrongDisputeMode").withArgs(id, Mode.Community);
        await expect(d.escrow.resolveAfterTimeout(id)).to.be.revertedWithCustomError(d.escrow, "WrongDisputeMode");
      });
    });
  });

  describe("pause", function () {
    it("stops new escrows and disputes but never settlement or withdrawals", async function () {
      const { d, id } = await funded();
      const lid = await approvedListing(d, { price: NCR(10) });
      const id2 = await buy(d, lid);
      await expect(d.escrow.connect(d.other).pause()).to.be.revertedWithCustomError(d.escrow, "AccessControlUnauthorizedAccount");
      await d.escrow.connect(d.operator).pause();
      await d.token.connect(d.buyer2).approve(await d.marketplace.getAddress(), NCR(10));
      await expect(d.marketplace.connect(d.buyer2).purchase(lid, NCR(10))).to.be.revertedWithCustomError(d.escrow, "EnforcedPause");
      await approveBond(d, id);
      await expect(d.escrow.connect(d.buyer).openDispute(id, 0)).to.be.revertedWithCustomError(d.escrow, "EnforcedPause");
      await d.escrow.connect(d.buyer).confirm(id);
      await d.escrow.connect(d.seller).agreeRefund(id2);
      await d.escrow.connect(d.seller).withdraw();
      await d.escrow.connect(d.buyer).withdraw();
      await d.escrow.sweepFees();
      await expect(d.escrow.connect(d.other).unpause()).to.be.revertedWithCustomError(d.escrow, "AccessControlUnauthorizedAccount");
      await d.escrow.connect(d.operator).unpause();
      await expectSolvent(d);
    });
  });

  describe("parameters", function () {
    it("lets only the parameter role change them, within bounds", async function () {
      const d = await loadFixture(deployFixture);
      const e = d.escrow;
      await expect(e.setTreasury(d.other.address)).to.be.revertedWithCustomError(e, "AccessControlUnauthorizedAccount");
      await expect(e.setBondParameters(1, 1, 1)).to.be.revertedWithCustomError(e, "AccessControlUnauthorizedAccount");
      await expect(e.setRulingTimeout(DAY)).to.be.revertedWithCustomError(e, "AccessControlUnauthorizedAccount");
      await expect(e.setVotingParameters(DAY, 1000)).to.be.revertedWithCustomError(e, "AccessControlUnauthorizedAccount");
      await e.grantRole(ROLES.PARAMETER, d.admin.address);

      await expect(e.setTreasury(ethers.ZeroAddress)).to.be.revertedWithCustomError(e, "ZeroAddress");
      await expect(e.setTreasury(d.other.address)).to.emit(e, "TreasuryChanged").withArgs(d.other.address);

      await expect(e.setBondParameters(2001, 0, 0)).to.be.revertedWithCustomError(e, "ParameterOutOfBounds").withArgs(2001);
      await expect(e.setBondParameters(0, NCR(1_000_001), 0)).to.be.revertedWithCustomError(e, "ParameterOutOfBounds");
      await expect(e.setBondParameters(0, 0, 10001)).to.be.revertedWithCustomError(e, "ParameterOutOfBounds");
      await expect(e.setBondParameters(2000, NCR(1), 10000)).to.emit(e, "BondParametersChanged").withArgs(2000, NCR(1), 10000);

      await expect(e.setRulingTimeout(DAY - 1)).to.be.revertedWithCustomError(e, "ParameterOutOfBounds");
      await expect(e.setRulingTimeout(30 * DAY + 1)).to.be.revertedWithCustomError(e, "ParameterOutOfBounds");
      await expect(e.setRulingTimeout(DAY)).to.emit(e, "RulingTimeoutChanged").withArgs(DAY);

      await expect(e.setVotingParameters(3599, 1000)).to.be.revertedWithCustomError(e, "ParameterOutOfBounds");
      await expect(e.setVotingParameters(14 * DAY + 1, 1000)).to.be.revertedWithCustomError(e, "ParameterOutOfBounds");
      await expect(e.setVotingParameters(DAY, 99)).to.be.revertedWithCustomError(e, "ParameterOutOfBounds");
      await expect(e.setVotingParameters(DAY, 5001)).to.be.revertedWithCustomError(e, "ParameterOutOfBounds");
      await expect(e.setVotingParameters(3600, 5000)).to.emit(e, "VotingParametersChanged").withArgs(3600, 5000);
    });

    it("burns the whole forfeited bond at 100% burn and snapshots the burn share per dispute", async function () {
      const { d, id } = await disputed(Mode.Arbitrator);
      await d.escrow.grantRole(ROLES.PARAMETER, d.admin.address);
      await d.escrow.setBondParameters(500, NCR(10), 10000); // applies to later disputes only
      await d.escrow.connect(d.arbitrator).rule(id, 10000);
      expect(await d.escrow.withdrawable(d.arbitrator.address)).to.equal(NCR(25));
      const lid = await approvedListing(d);
      const id2 = await buy(d, lid, d.buyer2);
      await approveBond(d, id2, d.buyer2);
      await d.escrow.connect(d.buyer2).openDispute(id2, Mode.Arbitrator);
      await d.escrow.connect(d.arbitrator2).rule(id2, 10000);
      expect(await d.escrow.withdrawable(d.arbitrator2.address)).to.equal(0n);
      await expectSolvent(d);
    });
  });

  describe("reentrancy and role admin", function () {
    it("puts the arbitrator set under the parameter role", async function () {
      const d = await loadFixture(deployFixture);
      expect(await d.escrow.getRoleAdmin(ROLES.ARBITRATOR)).to.equal(ROLES.PARAMETER);
      await expect(d.escrow.grantRole(ROLES.ARBITRATOR, d.other.address)).to.be.revertedWithCustomError(
        d.escrow,
        "AccessControlUnauthorizedAccount"
      );
    });
  });
});

