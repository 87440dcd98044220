// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "./ERC20.sol";

/// @title USDTToken
/// @notice Tether (USDT) style blacklist: a blacklisted account cannot send,
///         and its funds can be destroyed. As in Tether's contract, the
///         blacklist events, DestroyedBlackFunds, Issue and Redeem name no
///         indexed address, and the last three change balances without a
///         Transfer event.
contract USDTToken is ERC20 {
    mapping(address => bool) public isBlackListed;

    event AddedBlackList(address _user);
    event RemovedBlackList(address _user);
    event DestroyedBlackFunds(address _blackListedUser, uint256 _balance);
    event Issue(uint256 amount);
    event Redeem(uint256 amount);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_, decimals_) {}

    function getBlackListStatus(address _maker) external view returns (bool) {
        return isBlackListed[_maker];
    }

    function addBlackList(address _evilUser) external onlyOwner {
        isBlackListed[_evilUser] = true;
        emit AddedBlackList(_evilUser);
    }

    function removeBlackList(address _clearedUser) external onlyOwner {
        isBlackListed[_clearedUser] = false;
        emit RemovedBlackList(_clearedUser);
    }

    function destroyBlackFunds(address _blackListedUser) external onlyOwner {
        require(isBlackListed[_blackListedUser], "not blacklisted");
        uint256 dirtyFunds = balanceOf[_blackListedUser];
        balanceOf[_blackListedUser] = 0;
        totalSupply -= dirtyFunds;
        emit DestroyedBlackFunds(_blackListedUser, dirtyFunds);
    }

    /// @notice New tokens to the owner.
    function issue(uint256 amount) external onlyOwner {
        balanceOf[owner] += amount;
        totalSupply += amount;
        emit Issue(amount);
    }

    /// @notice Tokens of the owner taken out of circulation.
    function redeem(uint256 amount) external onlyOwner {
        require(balanceOf[owner] >= amount, "redeem amount exceeds balance");
        balanceOf[owner] -= amount;
        totalSupply -= amount;
        emit Redeem(amount);
    }

    function _checkTransfer(address from, address, uint256) internal view override {
        require(!isBlackListed[from], "sender is blacklisted");
    }
}
