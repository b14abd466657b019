// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Read-only view of staked balances by block, used to weigh community dispute votes.
interface IStakingSnapshot {
    /// @notice Staked balance of `account` at the end of block `blockNumber` (a past block).
    function getPastStake(address account, uint256 blockNumber) external view returns (uint256);

    /// @notice Total staked at the end of block `blockNumber` (a past block).
    function getPastTotalStaked(uint256 blockNumber) external view returns (uint256);
}
