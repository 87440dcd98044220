// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "./ERC20.sol";

/// @title ERC7943Token
/// @notice ERC-7943 (uRWA) style fungible token: the owner sets a frozen
///         amount per account; transfers may not touch it.
/// @dev As ERC-7943 allows, the frozen amount is not capped by the balance,
///      so readers must clamp it themselves.
contract ERC7943Token is ERC20 {
    mapping(address => uint256) private _frozenTokens;

    event Frozen(address indexed account, uint256 amount);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_, decimals_) {}

    function getFrozenTokens(address account) external view returns (uint256) {
        return _frozenTokens[account];
    }

    function setFrozenTokens(address account, uint256 amount) external onlyOwner {
        _frozenTokens[account] = amount;
        emit Frozen(account, amount);
    }

    function _checkTransfer(address from, address, uint256 amount) internal view override {
        uint256 balance = balanceOf[from];
        uint256 locked = _frozenTokens[from];
        require(locked <= balance && amount <= balance - locked, "insufficient unfrozen balance");
    }
}
