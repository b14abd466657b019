// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IStakingSnapshot} from "./IStakingSnapshot.sol";

/// @title Staking
/// @notice Stake NCR for a yearly reward (5% by default, governable within bounds) that accrues
/// every second. Rewards are paid only from a separately funded reward reserve, never from staked
/// principal. When the reserve runs out, accrual stops (the global reward index no longer moves)
/// until somebody funds the reserve again; rewards already accrued are always fully claimable.
/// Staked balances are checkpointed by block number so disputes can weigh votes by stake at the
/// block before the dispute opened.
contract Staking is IStakingSnapshot, AccessControlDefaultAdminRules, Pausable, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;

    /// @notice Role that changes the reward rate (held by the governance timelock).
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");
    /// @notice Role that pauses new stakes (unstake and claim keep working).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint256 public constant BPS = 10_000;
    uint256 public constant YEAR = 365 days;
    /// @notice Lowest reward rate governance may set (1% a year).
    uint256 public constant MIN_REWARD_RATE_BPS = 100;
    /// @notice Highest reward rate governance may set (10% a year).
    uint256 public constant MAX_REWARD_RATE_BPS = 1_000;
    uint256 private constant PRECISION = 1e18;

    IERC20 public immutable token;

    /// @notice Reward rate in basis points per year (500 = 5%).
    uint256 public rewardRateBps = 500;
    /// @notice Funded reward tokens not yet promised to anybody.
    uint256 public rewardReserve;
    /// @notice Rewards accrued to stakers but not yet claimed (a liability already taken from the reserve).
    uint256 public totalRewardsOwed;
    /// @notice Sum of all staked principal.
    uint256 public totalStaked;
    /// @notice Accumulated reward per staked token, scaled by 1e18.
    uint256 public rewardPerTokenStored;
    /// @notice Last time the reward index was brought up to date.
    uint256 public lastUpdateTime;

    mapping(address account => uint256) public stakedOf;
    mapping(address account => uint256) private _rewardPerTokenPaid;
    mapping(address account => uint256) private _rewards;

    mapping(address account => Checkpoints.Trace208) private _stakeCheckpoints;
    Checkpoints.Trace208 private _totalCheckpoints;

    event Staked(address indexed account, uint256 amount);
    event Unstaked(address indexed account, uint256 amount);
    event RewardPaid(address indexed account, uint256 amount);
    event ReserveFunded(address indexed from, uint256 amount);
    event ReserveExhausted(uint256 timestamp);
    event RewardRateChanged(uint256 oldRateBps, uint256 newRateBps);

    error ZeroAmount();
    error InsufficientStake(uint256 staked, uint256 requested);
    error RewardRateOutOfBounds(uint256 rateBps);
    error FutureLookup(uint256 blockNumber, uint256 currentBlock);
    error ZeroAddress();

    constructor(IERC20 token_, address admin, uint48 adminDelay) AccessControlDefaultAdminRules(adminDelay, admin) {
        if (address(token_) == address(0)) revert ZeroAddress();
        token = token_;
        lastUpdateTime = block.timestamp;
    }

    // ------------------------------------------------------------------ staker actions

    /// @notice Stakes `amount` NCR (the caller approves this contract first).
    function stake(uint256 amount) external nonReentrant whenNotPaused {
        if (amount == 0) revert ZeroAmount();
        _accrue(msg.sender);
        stakedOf[msg.sender] += amount;
        totalStaked += amount;
        _writeCheckpoints(msg.sender);
        emit Staked(msg.sender, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Returns `amount` of staked principal to the caller. Works while paused.
    function unstake(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        uint256 staked = stakedOf[msg.sender];
        if (amount > staked) revert InsufficientStake(staked, amount);
        _accrue(msg.sender);
        stakedOf[msg.sender] = staked - amount;
        totalStaked -= amount;
        _writeCheckpoints(msg.sender);
        emit Unstaked(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @notice Pays the caller's accrued rewards. Works while paused.
    function claim() external nonReentrant returns (uint256 paid) {
        _accrue(msg.sender);
        paid = _rewards[msg.sender];
        if (paid == 0) revert ZeroAmount();
        _rewards[msg.sender] = 0;
        totalRewardsOwed -= paid;
        emit RewardPaid(msg.sender, paid);
        token.safeTransfer(msg.sender, paid);
    }

    /// @notice Adds `amount` NCR to the reward reserve (anyone may fund it).
    function fundReserve(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _updateIndex();
        rewardReserve += amount;
        emit ReserveFunded(msg.sender, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Changes the yearly reward rate; accrual up to now uses the old rate.
    function setRewardRate(uint256 newRateBps) external onlyRole(PARAMETER_ROLE) {
        if (newRateBps < MIN_REWARD_RATE_BPS || newRateBps > MAX_REWARD_RATE_BPS) {
            revert RewardRateOutOfBounds(newRateBps);
        }
        _updateIndex();
        emit RewardRateChanged(rewardRateBps, newRateBps);
        rewardRateBps = newRateBps;
    }

    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------ views

    /// @notice Rewards `account` could claim right now.
    function earned(address account) public view returns (uint256) {
        (uint256 index,,) = _currentIndex();
        return _earned(account, index);
    }

    /// @notice Staked balance of `account` at the end of block `blockNumber` (must be in the past).
    function getPastStake(address account, uint256 blockNumber) external view returns (uint256) {
        return _stakeCheckpoints[account].upperLookupRecent(_checkedBlock(blockNumber));
    }

    /// @notice Total staked at the end of block `blockNumber` (must be in the past).
    function getPastTotalStaked(uint256 blockNumber) external view returns (uint256) {
        return _totalCheckpoints.upperLookupRecent(_checkedBlock(blockNumber));
    }

    // ------------------------------------------------------------------ internals

    function _checkedBlock(uint256 blockNumber) private view returns (uint48) {
        if (blockNumber >= block.number) revert FutureLookup(blockNumber, block.number);
        return SafeCast.toUint48(blockNumber);
    }

    function _earned(address account, uint256 index) private view returns (uint256) {
        return _rewards[account] + (stakedOf[account] * (index - _rewardPerTokenPaid[account])) / PRECISION;
    }

    /// @dev Reward index now and the reward that moving to it takes out of the reserve.
    function _currentIndex() private view returns (uint256 index, uint256 reward, bool capped) {
        index = rewardPerTokenStored;
        uint256 elapsed = block.timestamp - lastUpdateTime;
        if (elapsed == 0 || totalStaked == 0) {
            return (index, 0, false);
        }
        uint256 delta = (rewardRateBps * elapsed * PRECISION) / (BPS * YEAR);
        // The liability is rounded up: each staker's share is rounded down over possibly many
        // intervals at once, so the sum of shares never exceeds what was taken from the reserve.
        reward = Math.mulDiv(delta, totalStaked, PRECISION, Math.Rounding.Ceil);
        if (reward > rewardReserve) {
            // Reserve runs low: hand out exactly what is left, pro rata, and stop there.
            delta = (rewardReserve * PRECISION) / totalStaked;
            reward = Math.mulDiv(delta, totalStaked, PRECISION, Math.Rounding.Ceil);
            capped = true;
        }
        index += delta;
    }

    function _updateIndex() private {
        (uint256 index, uint256 reward, bool capped) = _currentIndex();
        rewardPerTokenStored = index;
        lastUpdateTime = block.timestamp;
        if (reward > 0) {
            rewardReserve -= reward;
            totalRewardsOwed += reward;
            if (capped) {
                emit ReserveExhausted(block.timestamp);
            }
        }
    }

    function _accrue(address account) private {
        _updateIndex();
        uint256 index = rewardPerTokenStored;
        _rewards[account] = _earned(account, index);
        _rewardPerTokenPaid[account] = index;
    }

    function _writeCheckpoints(address account) private {
        uint48 blockNumber = SafeCast.toUint48(block.number);
        _stakeCheckpoints[account].push(blockNumber, SafeCast.toUint208(stakedOf[account]));
        _totalCheckpoints.push(blockNumber, SafeCast.toUint208(totalStaked));
    }
}
