// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IStakingSnapshot} from "../staking/IStakingSnapshot.sol";

/// @title EscrowManager
/// @notice Holds the NCR of every purchase until it settles. State machine per escrow:
/// Funded -> Released (buyer confirms every tranche, or anyone after the deadline)
/// Funded -> Refunded (the seller agrees to refund before any dispute)
/// Funded -> Disputed -> Resolved (an arbitrator rules, or stakers vote; after the ruling timeout
/// or a failed vote a default 50/50 split applies and the bond returns in full).
/// Released, Refunded and Resolved are terminal. Money never leaves by push: every payout is a
/// credit in `withdrawable`, taken out with `withdraw()`, which works while paused. Accounting is
/// internal (totalEscrowed + totalBonds + totalWithdrawable + accruedFees), never read from balanceOf.
contract EscrowManager is AccessControlDefaultAdminRules, Pausable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    bytes32 public constant MARKETPLACE_ROLE = keccak256("MARKETPLACE_ROLE");
    bytes32 public constant ARBITRATOR_ROLE = keccak256("ARBITRATOR_ROLE");
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint256 public constant BPS = 10_000;
    /// @notice Seller share applied when no valid ruling or vote exists (timeout, no quorum, tie).
    uint256 public constant DEFAULT_SELLER_BPS = 5_000;
    uint256 public constant MAX_FEE_BPS = 500;
    uint256 public constant MAX_TRANCHES = 12;
    uint256 public constant MAX_BOND_BPS = 2_000;
    uint256 public constant MAX_MIN_BOND = 1_000_000 ether;
    uint256 public constant MAX_BOND_BURN_BPS = 10_000;
    uint256 public constant MIN_RULING_TIMEOUT = 1 days;
    uint256 public constant MAX_RULING_TIMEOUT = 30 days;
    uint256 public constant MIN_VOTING_PERIOD = 1 hours;
    uint256 public constant MAX_VOTING_PERIOD = 14 days;
    uint256 public constant MIN_QUORUM_BPS = 100;
    uint256 public constant MAX_QUORUM_BPS = 5_000;

    enum State {
        None,
        Funded,
        Released,
        Refunded,
        Disputed,
        Resolved
    }

    enum DisputeMode {
        Arbitrator,
        Community
    }

    enum Resolution {
        Ruling,
        RulingTimeout,
        Vote,
        VoteFailed
    }

    struct Escrow {
        address buyer;
        uint64 deadline;
        uint16 feeBps;
        State state;
        address seller;
        uint8 tranches;
        uint8 tranchesReleased;
        uint128 amount;
        uint128 released;
        uint256 listingId;
    }

    struct Dispute {
        uint128 bond;
        uint64 rulingDeadline;
        uint16 bondBurnBps;
        uint16 quorumBps;
        DisputeMode mode;
        uint48 snapshotBlock;
        uint64 voteEnd;
        uint128 snapshotTotalStake;
        uint128 votesForSeller;
        uint128 votesForBuyer;
    }

    IERC20 public immutable token;
    IStakingSnapshot public immutable staking;

    /// @notice Receives the platform fees taken from sellers' proceeds.
    address public treasury;
    /// @notice Dispute bond as a share of the disputed amount.
    uint256 public bondBps = 500;
    /// @notice Dispute bond floor in NCR base units.
    uint256 public minBond = 10 ether;
    /// @notice Share of the forfeited part of a bond that is burned.
    uint256 public bondBurnBps = 5_000;
    uint256 public rulingTimeout = 7 days;
    uint256 public votingPeriod = 3 days;
    uint256 public quorumBps = 1_000;

    uint256 public escrowCount;
    uint256 public totalEscrowed;
    uint256 public totalBonds;
    uint256 public totalWithdrawable;
    uint256 public accruedFees;

    mapping(uint256 escrowId => Escrow) private _escrows;
    mapping(uint256 escrowId => Dispute) private _disputes;
    mapping(uint256 escrowId => mapping(address voter => bool)) public hasVoted;
    mapping(address account => uint256) public withdrawable;

    event EscrowOpened(
        uint256 indexed escrowId,
        uint256 indexed listingId,
        address indexed buyer,
        address seller,
        uint256 amount,
        uint256 feeBps,
        uint256 deadline,
        uint256 tranches
    );
    event TrancheReleased(uint256 indexed escrowId, uint256 trancheIndex, uint256 gross, uint256 fee);
    event EscrowReleased(uint256 indexed escrowId, address indexed by, uint256 gross, uint256 fee);
    event EscrowRefunded(uint256 indexed escrowId, uint256 amount);
    event DisputeOpened(
        uint256 indexed escrowId, DisputeMode mode, uint256 bond, uint256 rulingDeadline, uint256 snapshotBlock, uint256 voteEnd
    );
    event VoteCast(uint256 indexed escrowId, address indexed voter, bool forSeller, uint256 weight);
    event DisputeResolved(
        uint256 indexed escrowId,
        Resolution resolution,
        uint256 sellerBps,
        uint256 sellerAmount,
        uint256 buyerAmount,
        uint256 fee,
        uint256 bondReturned,
        uint256 bondToArbitrator,
        uint256 bondBurned,
        address arbitrator
    );
    event Credited(address indexed account, uint256 indexed escrowId, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event FeesSwept(address indexed treasury, uint256 amount);
    event TreasuryChanged(address treasury);
    event BondParametersChanged(uint256 bondBps, uint256 minBond, uint256 bondBurnBps);
    event RulingTimeoutChanged(uint256 rulingTimeout);
    event VotingParametersChanged(uint256 votingPeriod, uint256 quorumBps);

    error ZeroAddress();
    error ZeroAmount();
    error UnknownEscrow(uint256 escrowId);
    error InvalidState(uint256 escrowId, State state);
    error NotBuyer(uint256 escrowId, address caller);
    error NotSeller(uint256 escrowId, address caller);
    error BuyerIsSeller(address account);
    error InvalidTranches(uint256 tranches);
    error FeeTooHigh(uint256 feeBps);
    error DeadlineNotReached(uint256 escrowId, uint256 deadline);
    error DeadlinePassed(uint256 escrowId, uint256 deadline);
    error WrongDisputeMode(uint256 escrowId, DisputeMode mode);
    error ArbitratorIsParty(uint256 escrowId, address arbitrator);
    error RulingPeriodOver(uint256 escrowId, uint256 rulingDeadline);
    error RulingPeriodNotOver(uint256 escrowId, uint256 rulingDeadline);
    error InvalidSplit(uint256 sellerBps);
    error NoStakers();
    error VotingClosed(uint256 escrowId, uint256 voteEnd);
    error VotingOpen(uint256 escrowId, uint256 voteEnd);
    error PartyCannotVote(uint256 escrowId, address voter);
    error AlreadyVoted(uint256 escrowId, address voter);
    error NoVotingPower(uint256 escrowId, address voter);
    error NothingToWithdraw(address account);
    error ParameterOutOfBounds(uint256 value);

    constructor(IERC20 token_, IStakingSnapshot staking_, address treasury_, address admin, uint48 adminDelay)
        AccessControlDefaultAdminRules(adminDelay, admin)
    {
        if (address(token_) == address(0) || address(staking_) == address(0) || treasury_ == address(0)) {
            revert ZeroAddress();
        }
        token = token_;
        staking = staking_;
        treasury = treasury_;
        // The arbitrator set is governed: whoever holds PARAMETER_ROLE (the timelock) grants and revokes it.
        _setRoleAdmin(ARBITRATOR_ROLE, PARAMETER_ROLE);
    }

    // ------------------------------------------------------------------ opening

    /// @notice Opens an escrow for a purchase. The marketplace has already moved `amount` NCR here.
    function openEscrow(
        uint256 listingId,
        address buyer,
        address seller,
        uint256 amount,
        uint256 feeBps,
        uint256 reviewPeriod,
        uint256 tranches
    ) external onlyRole(MARKETPLACE_ROLE) whenNotPaused nonReentrant returns (uint256 escrowId) {
        if (buyer == address(0) || seller == address(0)) revert ZeroAddress();
        if (buyer == seller) revert BuyerIsSeller(buyer);
        if (amount == 0) revert ZeroAmount();
        if (tranches == 0 || tranches > MAX_TRANCHES) revert InvalidTranches(tranches);
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps);
        escrowId = ++escrowCount;
        uint64 deadline = SafeCast.toUint64(block.timestamp + reviewPeriod);
        _escrows[escrowId] = Escrow({
            buyer: buyer,
            deadline: deadline,
            feeBps: uint16(feeBps),
            state: State.Funded,
            seller: seller,
            tranches: uint8(tranches),
            tranchesReleased: 0,
            amount: SafeCast.toUint128(amount),
            released: 0,
            listingId: listingId
        });
        totalEscrowed += amount;
        emit EscrowOpened(escrowId, listingId, buyer, seller, amount, feeBps, deadline, tranches);
    }

    // ------------------------------------------------------------------ settling without dispute

    /// @notice The buyer confirms receipt: releases the next tranche (all of it for a one-tranche escrow).
    function confirm(uint256 escrowId) external nonReentrant {
        Escrow storage e = _funded(escrowId);
        if (msg.sender != e.buyer) revert NotBuyer(escrowId, msg.sender);
        if (e.tranches - e.tranchesReleased == 1) {
            _releaseRest(escrowId, e);
        } else {
            uint256 gross = e.amount / e.tranches;
            uint256 index = e.tranchesReleased;
            ++e.tranchesReleased;
            uint256 fee = _paySeller(escrowId, e, gross);
            emit TrancheReleased(escrowId, index, gross, fee);
        }
    }

    /// @notice After the review deadline anyone may release what is left to the seller.
    function releaseAfterDeadline(uint256 escrowId) external nonReentrant {
        Escrow storage e = _funded(escrowId);
        if (block.timestamp < e.deadline) revert DeadlineNotReached(escrowId, e.deadline);
        _releaseRest(escrowId, e);
    }

    /// @notice The seller agrees to refund the buyer what is still held (only before a dispute).
    function agreeRefund(uint256 escrowId) external nonReentrant {
        Escrow storage e = _funded(escrowId);
        if (msg.sender != e.seller) revert NotSeller(escrowId, msg.sender);
        uint256 rest = e.amount - e.released;
        e.state = State.Refunded;
        e.released = e.amount;
        totalEscrowed -= rest;
        _credit(e.buyer, escrowId, rest);
        emit EscrowRefunded(escrowId, rest);
    }

    // ------------------------------------------------------------------ disputes

    /// @notice The buyer disputes before the deadline, posting a bond (the caller approves it first).
    function openDispute(uint256 escrowId, DisputeMode mode) external nonReentrant whenNotPaused {
        Escrow storage e = _funded(escrowId);
        if (msg.sender != e.buyer) revert NotBuyer(escrowId, msg.sender);
        if (block.timestamp >= e.deadline) revert DeadlinePassed(escrowId, e.deadline);
        uint256 bond = bondFor(e.amount - e.released);
        Dispute storage d = _disputes[escrowId];
        d.bond = SafeCast.toUint128(bond);
        d.bondBurnBps = uint16(bondBurnBps);
        d.quorumBps = uint16(quorumBps);
        d.mode = mode;
        uint256 voteEnd = 0;
        uint256 snapshotBlock = 0;
        if (mode == DisputeMode.Community) {
            snapshotBlock = block.number - 1;
            uint256 total = staking.getPastTotalStaked(snapshotBlock);
            if (total == 0) revert NoStakers();
            voteEnd = block.timestamp + votingPeriod;
            d.snapshotBlock = SafeCast.toUint48(snapshotBlock);
            d.snapshotTotalStake = SafeCast.toUint128(total);
            d.voteEnd = SafeCast.toUint64(voteEnd);
        } else {
            d.rulingDeadline = SafeCast.toUint64(block.timestamp + rulingTimeout);
        }
        e.state = State.Disputed;
        totalBonds += bond;
        emit DisputeOpened(escrowId, mode, bond, d.rulingDeadline, snapshotBlock, voteEnd);
        token.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @notice An arbitrator who is not a party rules: `sellerBps` of what is held goes to the seller
    /// (10000 = release, 0 = refund, anything between = split).
    function rule(uint256 escrowId, uint256 sellerBps) external nonReentrant onlyRole(ARBITRATOR_ROLE) {
        (Escrow storage e, Dispute storage d) = _disputed(escrowId, DisputeMode.Arbitrator);
        if (msg.sender == e.buyer || msg.sender == e.seller) revert ArbitratorIsParty(escrowId, msg.sender);
        if (block.timestamp >= d.rulingDeadline) revert RulingPeriodOver(escrowId, d.rulingDeadline);
        if (sellerBps > BPS) revert InvalidSplit(sellerBps);
        _resolve(escrowId, e, d, sellerBps, true, msg.sender, Resolution.Ruling);
    }

    /// @notice After the ruling timeout anyone applies the default outcome (50/50, bond returned).
    function resolveAfterTimeout(uint256 escrowId) external nonReentrant {
        (Escrow storage e, Dispute storage d) = _disputed(escrowId, DisputeMode.Arbitrator);
        if (block.timestamp < d.rulingDeadline) revert RulingPeriodNotOver(escrowId, d.rulingDeadline);
        _resolve(escrowId, e, d, DEFAULT_SELLER_BPS, false, address(0), Resolution.RulingTimeout);
    }

    /// @notice A staker (not a party) votes once with their stake at the block before the dispute opened.
    function vote(uint256 escrowId, bool forSeller) external nonReentrant {
        (Escrow storage e, Dispute storage d) = _disputed(escrowId, DisputeMode.Community);
        if (block.timestamp >= d.voteEnd) revert VotingClosed(escrowId, d.voteEnd);
        if (msg.sender == e.buyer || msg.sender == e.seller) revert PartyCannotVote(escrowId, msg.sender);
        if (hasVoted[escrowId][msg.sender]) revert AlreadyVoted(escrowId, msg.sender);
        uint256 weight = staking.getPastStake(msg.sender, d.snapshotBlock);
        if (weight == 0) revert NoVotingPower(escrowId, msg.sender);
        hasVoted[escrowId][msg.sender] = true;
        if (forSeller) {
            d.votesForSeller += SafeCast.toUint128(weight);
        } else {
            d.votesForBuyer += SafeCast.toUint128(weight);
        }
        emit VoteCast(escrowId, msg.sender, forSeller, weight);
    }

    /// @notice After the voting period anyone executes the tally. With quorum (as set when the dispute
    /// opened) and a strict majority the
    /// majority side wins everything; otherwise the default 50/50 split applies and the bond returns.
    function tally(uint256 escrowId) external nonReentrant {
        (Escrow storage e, Dispute storage d) = _disputed(escrowId, DisputeMode.Community);
        if (block.timestamp < d.voteEnd) revert VotingOpen(escrowId, d.voteEnd);
        uint256 cast = uint256(d.votesForSeller) + d.votesForBuyer;
        uint256 quorum = (uint256(d.snapshotTotalStake) * d.quorumBps) / BPS;
        if (cast >= quorum && d.votesForSeller != d.votesForBuyer) {
            uint256 sellerBps = d.votesForSeller > d.votesForBuyer ? BPS : 0;
            _resolve(escrowId, e, d, sellerBps, true, address(0), Resolution.Vote);
        } else {
            _resolve(escrowId, e, d, DEFAULT_SELLER_BPS, false, address(0), Resolution.VoteFailed);
        }
    }

    // ------------------------------------------------------------------ money out

    /// @notice Pays out everything credited to the caller. Works while paused.
    function withdraw() external nonReentrant {
        uint256 amount = withdrawable[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        withdrawable[msg.sender] = 0;
        totalWithdrawable -= amount;
        emit Withdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @notice Sends the accrued platform fees to the treasury (anyone may trigger it; works while paused).
    function sweepFees() external nonReentrant {
        uint256 amount = accruedFees;
        if (amount == 0) revert ZeroAmount();
        accruedFees = 0;
        address to = treasury;
        emit FeesSwept(to, amount);
        token.safeTransfer(to, amount);
    }

    // ------------------------------------------------------------------ parameters

    function setTreasury(address newTreasury) external onlyRole(PARAMETER_ROLE) {
        if (newTreasury == address(0)) revert ZeroAddress();
        treasury = newTreasury;
        emit TreasuryChanged(newTreasury);
    }

    function setBondParameters(uint256 newBondBps, uint256 newMinBond, uint256 newBurnBps)
        external
        onlyRole(PARAMETER_ROLE)
    {
        if (newBondBps > MAX_BOND_BPS) revert ParameterOutOfBounds(newBondBps);
        if (newMinBond > MAX_MIN_BOND) revert ParameterOutOfBounds(newMinBond);
        if (newBurnBps > MAX_BOND_BURN_BPS) revert ParameterOutOfBounds(newBurnBps);
        bondBps = newBondBps;
        minBond = newMinBond;
        bondBurnBps = newBurnBps;
        emit BondParametersChanged(newBondBps, newMinBond, newBurnBps);
    }

    function setRulingTimeout(uint256 newTimeout) external onlyRole(PARAMETER_ROLE) {
        if (newTimeout < MIN_RULING_TIMEOUT || newTimeout > MAX_RULING_TIMEOUT) {
            revert ParameterOutOfBounds(newTimeout);
        }
        rulingTimeout = newTimeout;
        emit RulingTimeoutChanged(newTimeout);
    }

    function setVotingParameters(uint256 newVotingPeriod, uint256 newQuorumBps) external onlyRole(PARAMETER_ROLE) {
        if (newVotingPeriod < MIN_VOTING_PERIOD || newVotingPeriod > MAX_VOTING_PERIOD) {
            revert ParameterOutOfBounds(newVotingPeriod);
        }
        if (newQuorumBps < MIN_QUORUM_BPS || newQuorumBps > MAX_QUORUM_BPS) revert ParameterOutOfBounds(newQuorumBps);
        votingPeriod = newVotingPeriod;
        quorumBps = newQuorumBps;
        emit VotingParametersChanged(newVotingPeriod, newQuorumBps);
    }

    /// @notice Stops new escrows and new disputes. Settlement, votes, withdrawals and fee sweeps keep working.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------ views

    /// @notice The bond a dispute over `disputedAmount` requires right now.
    function bondFor(uint256 disputedAmount) public view returns (uint256) {
        uint256 proportional = (disputedAmount * bondBps) / BPS;
        return proportional > minBond ? proportional : minBond;
    }

    function getEscrow(uint256 escrowId) external view returns (Escrow memory) {
        return _escrows[escrowId];
    }

    function getDispute(uint256 escrowId) external view returns (Dispute memory) {
        return _disputes[escrowId];
    }

    /// @notice Everything this contract owes: must equal its NCR balance (barring tokens sent by mistake).
    function totalLiabilities() external view returns (uint256) {
        return totalEscrowed + totalBonds + totalWithdrawable + accruedFees;
    }

    // ------------------------------------------------------------------ internals

    function _funded(uint256 escrowId) private view returns (Escrow storage e) {
        e = _escrows[escrowId];
        if (e.state == State.None) revert UnknownEscrow(escrowId);
        if (e.state != State.Funded) revert InvalidState(escrowId, e.state);
    }

    function _disputed(uint256 escrowId, DisputeMode mode)
        private
        view
        returns (Escrow storage e, Dispute storage d)
    {
        e = _escrows[escrowId];
        if (e.state == State.None) revert UnknownEscrow(escrowId);
        if (e.state != State.Disputed) revert InvalidState(escrowId, e.state);
        d = _disputes[escrowId];
        if (d.mode != mode) revert WrongDisputeMode(escrowId, d.mode);
    }

    function _releaseRest(uint256 escrowId, Escrow storage e) private {
        uint256 gross = e.amount - e.released;
        e.state = State.Released;
        e.tranchesReleased = e.tranches;
        uint256 fee = _paySeller(escrowId, e, gross);
        emit EscrowReleased(escrowId, msg.sender, gross, fee);
    }

    function _paySeller(uint256 escrowId, Escrow storage e, uint256 gross) private returns (uint256 fee) {
        fee = (gross * e.feeBps) / BPS;
        e.released += uint128(gross);
        totalEscrowed -= gross;
        accruedFees += fee;
        _credit(e.seller, escrowId, gross - fee);
    }

    /// @dev Amounts one resolution moves; a struct keeps the stack small.
    struct Payout {
        uint256 rest;
        uint256 sellerGross;
        uint256 fee;
        uint256 bond;
        uint256 burned;
        uint256 toArbitrator;
        uint256 bondBack;
    }

    function _resolve(
        uint256 escrowId,
        Escrow storage e,
        Dispute storage d,
        uint256 sellerBps,
        bool forfeitBond,
        address arbitrator,
        Resolution resolution
    ) private {
        Payout memory p;
        p.rest = e.amount - e.released;
        p.sellerGross = (p.rest * sellerBps) / BPS;
        p.fee = (p.sellerGross * e.feeBps) / BPS;
        p.bond = d.bond;
        uint256 forfeited = forfeitBond ? (p.bond * sellerBps) / BPS : 0;
        p.burned = (forfeited * d.bondBurnBps) / BPS;
        p.toArbitrator = arbitrator != address(0) ? forfeited - p.burned : 0;
        p.bondBack = p.bond - p.burned - p.toArbitrator;

        e.state = State.Resolved;
        e.released = e.amount;
        totalEscrowed -= p.rest;
        totalBonds -= p.bond;
        accruedFees += p.fee;
        _credit(e.seller, escrowId, p.sellerGross - p.fee);
        _credit(e.buyer, escrowId, p.rest - p.sellerGross + p.bondBack);
        _credit(arbitrator, escrowId, p.toArbitrator);
        emit DisputeResolved(
            escrowId,
            resolution,
            sellerBps,
            p.sellerGross - p.fee,
            p.rest - p.sellerGross,
            p.fee,
            p.bondBack,
            p.toArbitrator,
            p.burned,
            arbitrator
        );
        if (p.burned > 0) {
            ERC20Burnable(address(token)).burn(p.burned);
        }
    }

    function _credit(address account, uint256 escrowId, uint256 amount) private {
        if (amount == 0) {
            return;
        }
        withdrawable[account] += amount;
        totalWithdrawable += amount;
        emit Credited(account, escrowId, amount);
    }
}
