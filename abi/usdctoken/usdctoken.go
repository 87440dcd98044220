// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package usdctoken

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// USDCTokenMetaData contains all meta data concerning the USDCToken contract.
var USDCTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name_\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"symbol_\",\"type\":\"string\"},{\"internalType\":\"uint8\",\"name\":\"decimals_\",\"type\":\"uint8\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_account\",\"type\":\"address\"}],\"name\":\"Blacklisted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_account\",\"type\":\"address\"}],\"name\":\"UnBlacklisted\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_account\",\"type\":\"address\"}],\"name\":\"blacklist\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"burn\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_account\",\"type\":\"address\"}],\"name\":\"isBlacklisted\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_account\",\"type\":\"address\"}],\"name\":\"unBlacklist\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "USDCToken",
	Bin: "0x608060405234801561001057600080fd5b5060405161109b38038061109b83398101604081905261002f91610160565b828282600061003e8482610279565b50600161004b8382610279565b506002805460ff191660ff831617905560048054336001600160a01b031990911681179091556040516000907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0908290a350505050505061033b565b634e487b7160e01b600052604160045260246000fd5b600082601f8301126100ce57600080fd5b81516001600160401b038111156100e7576100e76100a7565b604051601f8201601f19908116603f011681016001600160401b0381118282101715610115576101156100a7565b60405281815283820160200185101561012d57600080fd5b60005b8281101561014c57602081860181015183830182015201610130565b506000918101602001919091529392505050565b60008060006060848603121561017557600080fd5b83516001600160401b0381111561018b57600080fd5b610197868287016100bd565b602086015190945090506001600160401b038111156101b557600080fd5b6101c1868287016100bd565b925050604084015160ff811681146101d857600080fd5b809150509250925092565b600181811c908216806101f757607f821691505b60208210810361021757634e487b7160e01b600052602260045260246000fd5b50919050565b601f821115610274578282111561027457806000526020600020601f840160051c602085101561024b575060005b90810190601f840160051c0360005b818110156102705760008382015560010161025a565b5050505b505050565b81516001600160401b03811115610292576102926100a7565b6102a6816102a084546101e3565b8461021d565b6020601f8211600181146102da57600083156102c25750848201515b600019600385901b1c1916600184901b178455610334565b600084815260208120601f198516915b8281101561030a57878501518255602094850194600190920191016102ea565b50848210156103285786840151600019600387901b60f8161c191681555b505060018360011b0184555b5050505050565b610d518061034a6000396000f3fe608060405234801561001057600080fd5b50600436106101005760003560e01c80638da5cb5b11610097578063dd62ed3e11610066578063dd62ed3e14610230578063f2fde38b1461025b578063f9f92be41461026e578063fe575a871461028157600080fd5b80638da5cb5b146101d757806395d89b41146102025780639dc29fac1461020a578063a9059cbb1461021d57600080fd5b806323b872dd116100d357806323b872dd14610172578063313ce5671461018557806340c10f19146101a457806370a08231146101b757600080fd5b806306fdde0314610105578063095ea7b31461012357806318160ddd146101465780631a8952661461015d575b600080fd5b61010d6102ad565b60405161011a9190610b03565b60405180910390f35b610136610131366004610b6d565b61033b565b604051901515815260200161011a565b61014f60035481565b60405190815260200161011a565b61017061016b366004610b97565b610352565b005b610136610180366004610bb9565b6103ce565b6002546101929060ff1681565b60405160ff909116815260200161011a565b6101706101b2366004610b6d565b61047b565b61014f6101c5366004610b97565b60056020526000908152604090205481565b6004546101ea906001600160a01b031681565b6040516001600160a01b03909116815260200161011a565b61010d6104b3565b610170610218366004610b6d565b6104c0565b61013661022b366004610b6d565b6104f4565b61014f61023e366004610bf6565b600660209081526000928352604080842090915290825290205481565b610170610269366004610b97565b61050c565b61017061027c366004610b97565b6105e8565b61013661028f366004610b97565b6001600160a01b031660009081526007602052604090205460ff1690565b600080546102ba90610c29565b80601f01602080910402602001604051908101604052809291908181526020018280546102e690610c29565b80156103335780601f1061030857610100808354040283529160200191610333565b820191906000526020600020905b81548152906001019060200180831161031657829003601f168201915b505050505081565b600061034833848461065e565b5060015b92915050565b6004546001600160a01b031633146103855760405162461bcd60e51b815260040161037c90610c63565b60405180910390fd5b6001600160a01b038116600081815260076020526040808220805460ff19169055517f117e3210bb9aa7d9baff172026820255c6f6c30ba8999d1c2fd88e2848137c4e9190a250565b60006103db848484610716565b6001600160a01b0384166000908152600660209081526040808320338452909152902054600019811461046557828110156104515760405162461bcd60e51b8152602060048201526016602482015275696e73756666696369656e7420616c6c6f77616e636560501b604482015260640161037c565b61046585336104608685610cb0565b61065e565b6104708585856107bd565b506001949350505050565b6004546001600160a01b031633146104a55760405162461bcd60e51b815260040161037c90610c63565b6104af8282610963565b5050565b600180546102ba90610c29565b6004546001600160a01b031633146104ea5760405162461bcd60e51b815260040161037c90610c63565b6104af8282610a42565b6000610501338484610716565b6103483384846107bd565b6004546001600160a01b031633146105365760405162461bcd60e51b815260040161037c90610c63565b6001600160a01b03811661058c5760405162461bcd60e51b815260206004820152601d60248201527f6e6577206f776e657220697320746865207a65726f2061646472657373000000604482015260640161037c565b6004546040516001600160a01b038084169216907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e090600090a3600480546001600160a01b0319166001600160a01b0392909216919091179055565b6004546001600160a01b031633146106125760405162461bcd60e51b815260040161037c90610c63565b6001600160a01b038116600081815260076020526040808220805460ff19166001179055517fffa4e6181777692565cf28528fc88fd1516ea86b56da075235fa575af6a4b8559190a250565b6001600160a01b0382166106b45760405162461bcd60e51b815260206004820152601b60248201527f617070726f766520746f20746865207a65726f20616464726573730000000000604482015260640161037c565b6001600160a01b0383811660008181526006602090815260408083209487168084529482529182902085905590518481527f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92591015b60405180910390a3505050565b3360009081526007602052604090205460ff16156107465760405162461bcd60e51b815260040161037c90610cc3565b6001600160a01b03831660009081526007602052604090205460ff161561077f5760405162461bcd60e51b815260040161037c90610cc3565b6001600160a01b03821660009081526007602052604090205460ff16156107b85760405162461bcd60e51b815260040161037c90610cc3565b505050565b6001600160a01b0383166108135760405162461bcd60e51b815260206004820152601e60248201527f7472616e736665722066726f6d20746865207a65726f20616464726573730000604482015260640161037c565b6001600160a01b0382166108695760405162461bcd60e51b815260206004820152601c60248201527f7472616e7366657220746f20746865207a65726f206164647265737300000000604482015260640161037c565b6001600160a01b038316600090815260056020526040902054818110156108d25760405162461bcd60e51b815260206004820152601f60248201527f7472616e7366657220616d6f756e7420657863656564732062616c616e636500604482015260640161037c565b6001600160a01b03808516600090815260056020526040808220858503905591851681529081208054849290610909908490610d08565b92505081905550826001600160a01b0316846001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef8460405161095591815260200190565b60405180910390a350505050565b6001600160a01b0382166109b95760405162461bcd60e51b815260206004820152601860248201527f6d696e7420746f20746865207a65726f20616464726573730000000000000000604482015260640161037c565b80600360008282546109cb9190610d08565b90915550506001600160a01b038216600090815260056020526040812080548392906109f8908490610d08565b90915550506040518181526001600160a01b038316906000907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a35050565b6001600160a01b03821660009081526005602052604090205481811015610aab5760405162461bcd60e51b815260206004820152601b60248201527f6275726e20616d6f756e7420657863656564732062616c616e63650000000000604482015260640161037c565b6001600160a01b03831660008181526005602090815260408083208686039055600380548790039055518581529192917fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9101610709565b602081526000825180602084015260005b81811015610b315760208186018101516040868401015201610b14565b506000604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b0381168114610b6857600080fd5b919050565b60008060408385031215610b8057600080fd5b610b8983610b51565b946020939093013593505050565b600060208284031215610ba957600080fd5b610bb282610b51565b9392505050565b600080600060608486031215610bce57600080fd5b610bd784610b51565b9250610be560208501610b51565b929592945050506040919091013590565b60008060408385031215610c0957600080fd5b610c1283610b51565b9150610c2060208401610b51565b90509250929050565b600181811c90821680610c3d57607f821691505b602082108103610c5d57634e487b7160e01b600052602260045260246000fd5b50919050565b60208082526017908201527f63616c6c6572206973206e6f7420746865206f776e6572000000000000000000604082015260600190565b634e487b7160e01b600052601160045260246000fd5b8181038181111561034c5761034c610c9a565b60208082526025908201527f426c61636b6c69737461626c653a206163636f756e7420697320626c61636b6c6040820152641a5cdd195960da1b606082015260800190565b8082018082111561034c5761034c610c9a56fea26469706673582212209f77a432542d6256bc84acbc0e02866b3da2a185aaf91d43e73539cf5c72957c64736f6c63430008250033",
}

// USDCToken is an auto generated Go binding around an Ethereum contract.
type USDCToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *USDCToken) GetABI() abi.ABI {
	return c.abi
}

// NewUSDCToken creates a new instance of USDCToken.
func NewUSDCToken() *USDCToken {
	parsed, err := USDCTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &USDCToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *USDCToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(string name_, string symbol_, uint8 decimals_) returns()
func (uSDCToken *USDCToken) PackConstructor(name_ string, symbol_ string, decimals_ uint8) []byte {
	enc, err := uSDCToken.abi.Pack("", name_, symbol_, decimals_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (uSDCToken *USDCToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := uSDCToken.abi.Pack("allowance", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (uSDCToken *USDCToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return uSDCToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (uSDCToken *USDCToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := uSDCToken.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (uSDCToken *USDCToken) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := uSDCToken.abi.Pack("approve", spender, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (uSDCToken *USDCToken) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return uSDCToken.abi.Pack("approve", spender, amount)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (uSDCToken *USDCToken) UnpackApprove(data []byte) (bool, error) {
	out, err := uSDCToken.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (uSDCToken *USDCToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := uSDCToken.abi.Pack("balanceOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (uSDCToken *USDCToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return uSDCToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (uSDCToken *USDCToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := uSDCToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBlacklist is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf9f92be4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function blacklist(address _account) returns()
func (uSDCToken *USDCToken) PackBlacklist(account common.Address) []byte {
	enc, err := uSDCToken.abi.Pack("blacklist", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBlacklist is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf9f92be4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function blacklist(address _account) returns()
func (uSDCToken *USDCToken) TryPackBlacklist(account common.Address) ([]byte, error) {
	return uSDCToken.abi.Pack("blacklist", account)
}

// PackBurn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9dc29fac.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function burn(address from, uint256 amount) returns()
func (uSDCToken *USDCToken) PackBurn(from common.Address, amount *big.Int) []byte {
	enc, err := uSDCToken.abi.Pack("burn", from, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBurn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9dc29fac.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function burn(address from, uint256 amount) returns()
func (uSDCToken *USDCToken) TryPackBurn(from common.Address, amount *big.Int) ([]byte, error) {
	return uSDCToken.abi.Pack("burn", from, amount)
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (uSDCToken *USDCToken) PackDecimals() []byte {
	enc, err := uSDCToken.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (uSDCToken *USDCToken) TryPackDecimals() ([]byte, error) {
	return uSDCToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (uSDCToken *USDCToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := uSDCToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackIsBlacklisted is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe575a87.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isBlacklisted(address _account) view returns(bool)
func (uSDCToken *USDCToken) PackIsBlacklisted(account common.Address) []byte {
	enc, err := uSDCToken.abi.Pack("isBlacklisted", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsBlacklisted is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe575a87.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isBlacklisted(address _account) view returns(bool)
func (uSDCToken *USDCToken) TryPackIsBlacklisted(account common.Address) ([]byte, error) {
	return uSDCToken.abi.Pack("isBlacklisted", account)
}

// UnpackIsBlacklisted is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfe575a87.
//
// Solidity: function isBlacklisted(address _account) view returns(bool)
func (uSDCToken *USDCToken) UnpackIsBlacklisted(data []byte) (bool, error) {
	out, err := uSDCToken.abi.Unpack("isBlacklisted", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (uSDCToken *USDCToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := uSDCToken.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (uSDCToken *USDCToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return uSDCToken.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (uSDCToken *USDCToken) PackName() []byte {
	enc, err := uSDCToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (uSDCToken *USDCToken) TryPackName() ([]byte, error) {
	return uSDCToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (uSDCToken *USDCToken) UnpackName(data []byte) (string, error) {
	out, err := uSDCToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (uSDCToken *USDCToken) PackOwner() []byte {
	enc, err := uSDCToken.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (uSDCToken *USDCToken) TryPackOwner() ([]byte, error) {
	return uSDCToken.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (uSDCToken *USDCToken) UnpackOwner(data []byte) (common.Address, error) {
	out, err := uSDCToken.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (uSDCToken *USDCToken) PackSymbol() []byte {
	enc, err := uSDCToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (uSDCToken *USDCToken) TryPackSymbol() ([]byte, error) {
	return uSDCToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (uSDCToken *USDCToken) UnpackSymbol(data []byte) (string, error) {
	out, err := uSDCToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (uSDCToken *USDCToken) PackTotalSupply() []byte {
	enc, err := uSDCToken.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (uSDCToken *USDCToken) TryPackTotalSupply() ([]byte, error) {
	return uSDCToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (uSDCToken *USDCToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := uSDCToken.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (uSDCToken *USDCToken) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := uSDCToken.abi.Pack("transfer", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (uSDCToken *USDCToken) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return uSDCToken.abi.Pack("transfer", to, amount)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (uSDCToken *USDCToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := uSDCToken.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (uSDCToken *USDCToken) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := uSDCToken.abi.Pack("transferFrom", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (uSDCToken *USDCToken) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return uSDCToken.abi.Pack("transferFrom", from, to, amount)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (uSDCToken *USDCToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := uSDCToken.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (uSDCToken *USDCToken) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := uSDCToken.abi.Pack("transferOwnership", newOwner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (uSDCToken *USDCToken) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return uSDCToken.abi.Pack("transferOwnership", newOwner)
}

// PackUnBlacklist is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1a895266.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unBlacklist(address _account) returns()
func (uSDCToken *USDCToken) PackUnBlacklist(account common.Address) []byte {
	enc, err := uSDCToken.abi.Pack("unBlacklist", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnBlacklist is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1a895266.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unBlacklist(address _account) returns()
func (uSDCToken *USDCToken) TryPackUnBlacklist(account common.Address) ([]byte, error) {
	return uSDCToken.abi.Pack("unBlacklist", account)
}

// USDCTokenApproval represents a Approval event raised by the USDCToken contract.
type USDCTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const USDCTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (USDCTokenApproval) ContractEventName() string {
	return USDCTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (uSDCToken *USDCToken) UnpackApprovalEvent(log *types.Log) (*USDCTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDCToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDCTokenApproval)
	if len(log.Data) > 0 {
		if err := uSDCToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDCToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// USDCTokenBlacklisted represents a Blacklisted event raised by the USDCToken contract.
type USDCTokenBlacklisted struct {
	Account common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const USDCTokenBlacklistedEventName = "Blacklisted"

// ContractEventName returns the user-defined event name.
func (USDCTokenBlacklisted) ContractEventName() string {
	return USDCTokenBlacklistedEventName
}

// UnpackBlacklistedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Blacklisted(address indexed _account)
func (uSDCToken *USDCToken) UnpackBlacklistedEvent(log *types.Log) (*USDCTokenBlacklisted, error) {
	event := "Blacklisted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDCToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDCTokenBlacklisted)
	if len(log.Data) > 0 {
		if err := uSDCToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDCToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// USDCTokenOwnershipTransferred represents a OwnershipTransferred event raised by the USDCToken contract.
type USDCTokenOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const USDCTokenOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (USDCTokenOwnershipTransferred) ContractEventName() string {
	return USDCTokenOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (uSDCToken *USDCToken) UnpackOwnershipTransferredEvent(log *types.Log) (*USDCTokenOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDCToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDCTokenOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := uSDCToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDCToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// USDCTokenTransfer represents a Transfer event raised by the USDCToken contract.
type USDCTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const USDCTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (USDCTokenTransfer) ContractEventName() string {
	return USDCTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (uSDCToken *USDCToken) UnpackTransferEvent(log *types.Log) (*USDCTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDCToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDCTokenTransfer)
	if len(log.Data) > 0 {
		if err := uSDCToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDCToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// USDCTokenUnBlacklisted represents a UnBlacklisted event raised by the USDCToken contract.
type USDCTokenUnBlacklisted struct {
	Account common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const USDCTokenUnBlacklistedEventName = "UnBlacklisted"

// ContractEventName returns the user-defined event name.
func (USDCTokenUnBlacklisted) ContractEventName() string {
	return USDCTokenUnBlacklistedEventName
}

// UnpackUnBlacklistedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event UnBlacklisted(address indexed _account)
func (uSDCToken *USDCToken) UnpackUnBlacklistedEvent(log *types.Log) (*USDCTokenUnBlacklisted, error) {
	event := "UnBlacklisted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDCToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDCTokenUnBlacklisted)
	if len(log.Data) > 0 {
		if err := uSDCToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDCToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}
