// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "./ERC20.sol";

/// @title TREXToken
/// @notice ERC-3643 (T-REX) style permissioned token with the T-REX freeze
///         semantics, without identity registry and compliance modules.
/// @dev Mirrors T-REX Token.sol: agents freeze whole addresses or partial
///      amounts; a new token starts paused; `burn` and `forcedTransfer`
///      unfreeze the shortfall when the free balance is too small; a
///      whole-address freeze is not reflected in `getFrozenTokens`.
contract TREXToken is ERC20 {
    mapping(address => bool) private _agents;
    mapping(address => bool) private _frozen;
    mapping(address => uint256) private _frozenTokens;
    bool private _tokenPaused;

    event AgentAdded(address indexed _agent);
    event AgentRemoved(address indexed _agent);
    event AddressFrozen(address indexed _userAddress, bool indexed _isFrozen, address indexed _owner);
    event TokensFrozen(address indexed _userAddress, uint256 _amount);
    event TokensUnfrozen(address indexed _userAddress, uint256 _amount);
    event Paused(address _userAddress);
    event Unpaused(address _userAddress);

    modifier onlyAgent() {
        require(isAgent(msg.sender), "AgentRole: caller does not have the Agent role");
        _;
    }

    modifier whenNotPaused() {
        require(!_tokenPaused, "Pausable: paused");
        _;
    }

    modifier whenPaused() {
        require(_tokenPaused, "Pausable: not paused");
        _;
    }

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_, decimals_) {
        _tokenPaused = true;
    }

    /// @notice The owner is always an agent; others are added by the owner.
    function isAgent(address _agent) public view returns (bool) {
        return _agent == owner || _agents[_agent];
    }

    function addAgent(address _agent) external onlyOwner {
        require(_agent != address(0), "invalid argument - zero address");
        require(!_agents[_agent], "Agent already exists");
        _agents[_agent] = true;
        emit AgentAdded(_agent);
    }

    function removeAgent(address _agent) external onlyOwner {
        require(_agents[_agent], "Agent does not exist");
        _agents[_agent] = false;
        emit AgentRemoved(_agent);
    }

    function paused() external view returns (bool) {
        return _tokenPaused;
    }

    function pause() external onlyAgent whenNotPaused {
        _tokenPaused = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyAgent whenPaused {
        _tokenPaused = false;
        emit Unpaused(msg.sender);
    }

    function isFrozen(address _userAddress) external view returns (bool) {
        return _frozen[_userAddress];
    }

    function getFrozenTokens(address _userAddress) external view returns (uint256) {
        return _frozenTokens[_userAddress];
    }

    function setAddressFrozen(address _userAddress, bool _freeze) external onlyAgent {
        _frozen[_userAddress] = _freeze;
        emit AddressFrozen(_userAddress, _freeze, msg.sender);
    }

    function freezePartialTokens(address _userAddress, uint256 _amount) external onlyAgent {
        uint256 balance = balanceOf[_userAddress];
        require(balance >= _frozenTokens[_userAddress] + _amount, "Amount exceeds available balance");
        _frozenTokens[_userAddress] += _amount;
        emit TokensFrozen(_userAddress, _amount);
    }

    function unfreezePartialTokens(address _userAddress, uint256 _amount) external onlyAgent {
        require(_frozenTokens[_userAddress] >= _amount, "Amount should be less than or equal to frozen tokens");
        _frozenTokens[_userAddress] -= _amount;
        emit TokensUnfrozen(_userAddress, _amount);
    }

    /// @notice Agent transfer that ignores pause and address freezes and
    ///         unfreezes as many tokens as the free balance lacks.
    function forcedTransfer(address _from, address _to, uint256 _amount) external onlyAgent returns (bool) {
        require(balanceOf[_from] >= _amount, "sender balance too low");
        _unfreezeShortfall(_from, _amount);
        _transfer(_from, _to, _amount);
        return true;
    }

    /// @notice Minting is allowed while paused, as in T-REX.
    function mint(address _to, uint256 _amount) external override onlyAgent {
        _mint(_to, _amount);
    }

    function burn(address _userAddress, uint256 _amount) external override onlyAgent {
        require(balanceOf[_userAddress] >= _amount, "cannot burn more than balance");
        _unfreezeShortfall(_userAddress, _amount);
        _burn(_userAddress, _amount);
    }

    function _checkTransfer(address _from, address _to, uint256 _amount) internal view override whenNotPaused {
        require(!_frozen[_to] && !_frozen[_from], "wallet is frozen");
        require(_amount <= balanceOf[_from] - _frozenTokens[_from], "Insufficient Balance");
    }

    function _unfreezeShortfall(address _userAddress, uint256 _amount) private {
        uint256 freeBalance = balanceOf[_userAddress] - _frozenTokens[_userAddress];
        if (_amount > freeBalance) {
            uint256 tokensToUnfreeze = _amount - freeBalance;
            _frozenTokens[_userAddress] -= tokensToUnfreeze;
            emit TokensUnfrozen(_userAddress, tokensToUnfreeze);
        }
    }
}
