// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "./ERC20.sol";

/// @title FreezableToken
/// @notice OpenZeppelin ERC20Freezable style token: `frozen(account)` is the
///         amount the account cannot move, set by the owner with `freeze`.
/// @dev The frozen amount may exceed the balance; transfers are limited to
///      the unfrozen part of the balance.
contract FreezableToken is ERC20 {
    mapping(address => uint256) public frozen;

    event Frozen(address indexed account, uint256 amount);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_, decimals_) {}

    function freeze(address account, uint256 amount) external onlyOwner {
        frozen[account] = amount;
        emit Frozen(account, amount);
    }

    function _checkTransfer(address from, address, uint256 amount) internal view override {
        uint256 balance = balanceOf[from];
        uint256 locked = frozen[from];
        require(locked <= balance && amount <= balance - locked, "insufficient unfrozen balance");
    }
}
