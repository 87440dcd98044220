// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package erc7943token

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

// ERC7943TokenMetaData contains all meta data concerning the ERC7943Token contract.
var ERC7943TokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name_\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"symbol_\",\"type\":\"string\"},{\"internalType\":\"uint8\",\"name\":\"decimals_\",\"type\":\"uint8\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Frozen\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"burn\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"getFrozenTokens\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"setFrozenTokens\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "ERC7943Token",
	Bin: "0x608060405234801561001057600080fd5b50604051610fb5380380610fb583398101604081905261002f91610160565b828282600061003e8482610279565b50600161004b8382610279565b506002805460ff191660ff831617905560048054336001600160a01b031990911681179091556040516000907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0908290a350505050505061033b565b634e487b7160e01b600052604160045260246000fd5b600082601f8301126100ce57600080fd5b81516001600160401b038111156100e7576100e76100a7565b604051601f8201601f19908116603f011681016001600160401b0381118282101715610115576101156100a7565b60405281815283820160200185101561012d57600080fd5b60005b8281101561014c57602081860181015183830182015201610130565b506000918101602001919091529392505050565b60008060006060848603121561017557600080fd5b83516001600160401b0381111561018b57600080fd5b610197868287016100bd565b602086015190945090506001600160401b038111156101b557600080fd5b6101c1868287016100bd565b925050604084015160ff811681146101d857600080fd5b809150509250925092565b600181811c908216806101f757607f821691505b60208210810361021757634e487b7160e01b600052602260045260246000fd5b50919050565b601f821115610274578282111561027457806000526020600020601f840160051c602085101561024b575060005b90810190601f840160051c0360005b818110156102705760008382015560010161025a565b5050505b505050565b81516001600160401b03811115610292576102926100a7565b6102a6816102a084546101e3565b8461021d565b6020601f8211600181146102da57600083156102c25750848201515b600019600385901b1c1916600184901b178455610334565b600084815260208120601f198516915b8281101561030a57878501518255602094850194600190920191016102ea565b50848210156103285786840151600019600387901b60f8161c191681555b505060018360011b0184555b5050505050565b610c6b8061034a6000396000f3fe608060405234801561001057600080fd5b50600436106100f55760003560e01c806370a0823111610097578063a9059cbb11610066578063a9059cbb14610228578063dd62ed3e1461023b578063ebe45cba14610266578063f2fde38b1461027957600080fd5b806370a08231146101c25780638da5cb5b146101e257806395d89b411461020d5780639dc29fac1461021557600080fd5b806318160ddd116100d357806318160ddd1461017257806323b872dd1461017b578063313ce5671461018e57806340c10f19146101ad57600080fd5b806306fdde03146100fa578063095ea7b314610118578063158b1a571461013b575b600080fd5b61010261028c565b60405161010f9190610a62565b60405180910390f35b61012b610126366004610acc565b61031a565b604051901515815260200161010f565b610164610149366004610af6565b6001600160a01b031660009081526007602052604090205490565b60405190815260200161010f565b61016460035481565b61012b610189366004610b18565b610331565b60025461019b9060ff1681565b60405160ff909116815260200161010f565b6101c06101bb366004610acc565b6103e3565b005b6101646101d0366004610af6565b60056020526000908152604090205481565b6004546101f5906001600160a01b031681565b6040516001600160a01b03909116815260200161010f565b61010261041b565b6101c0610223366004610acc565b610428565b61012b610236366004610acc565b61045c565b610164610249366004610b55565b600660209081526000928352604080842090915290825290205481565b6101c0610274366004610acc565b610474565b6101c0610287366004610af6565b6104f7565b6000805461029990610b88565b80601f01602080910402602001604051908101604052809291908181526020018280546102c590610b88565b80156103125780601f106102e757610100808354040283529160200191610312565b820191906000526020600020905b8154815290600101906020018083116102f557829003601f168201915b505050505081565b60006103273384846105d3565b5060015b92915050565b600061033e84848461068b565b6001600160a01b038416600090815260066020908152604080832033845290915290205460001981146103cd57828110156103b95760405162461bcd60e51b8152602060048201526016602482015275696e73756666696369656e7420616c6c6f77616e636560501b60448201526064015b60405180910390fd5b6103cd85336103c88685610bd8565b6105d3565b6103d885858561071c565b506001949350505050565b6004546001600160a01b0316331461040d5760405162461bcd60e51b81526004016103b090610beb565b61041782826108c2565b5050565b6001805461029990610b88565b6004546001600160a01b031633146104525760405162461bcd60e51b81526004016103b090610beb565b61041782826109a1565b600061046933848461068b565b61032733848461071c565b6004546001600160a01b0316331461049e5760405162461bcd60e51b81526004016103b090610beb565b6001600160a01b03821660008181526007602052604090819020839055517f68e0d8c112165d0949ce87205b719ed7d98c7401866c34a159f7c67c6f5620e7906104eb9084815260200190565b60405180910390a25050565b6004546001600160a01b031633146105215760405162461bcd60e51b81526004016103b090610beb565b6001600160a01b0381166105775760405162461bcd60e51b815260206004820152601d60248201527f6e6577206f776e657220697320746865207a65726f206164647265737300000060448201526064016103b0565b6004546040516001600160a01b038084169216907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e090600090a3600480546001600160a01b0319166001600160a01b0392909216919091179055565b6001600160a01b0382166106295760405162461bcd60e51b815260206004820152601b60248201527f617070726f766520746f20746865207a65726f2061646472657373000000000060448201526064016103b0565b6001600160a01b0383811660008181526006602090815260408083209487168084529482529182902085905590518481527f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92591015b60405180910390a3505050565b6001600160a01b0383166000908152600560209081526040808320546007909252909120548181118015906106c957506106c58183610bd8565b8311155b6107155760405162461bcd60e51b815260206004820152601d60248201527f696e73756666696369656e7420756e66726f7a656e2062616c616e636500000060448201526064016103b0565b5050505050565b6001600160a01b0383166107725760405162461bcd60e51b815260206004820152601e60248201527f7472616e736665722066726f6d20746865207a65726f2061646472657373000060448201526064016103b0565b6001600160a01b0382166107c85760405162461bcd60e51b815260206004820152601c60248201527f7472616e7366657220746f20746865207a65726f20616464726573730000000060448201526064016103b0565b6001600160a01b038316600090815260056020526040902054818110156108315760405162461bcd60e51b815260206004820152601f60248201527f7472616e7366657220616d6f756e7420657863656564732062616c616e63650060448201526064016103b0565b6001600160a01b03808516600090815260056020526040808220858503905591851681529081208054849290610868908490610c22565b92505081905550826001600160a01b0316846001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef846040516108b491815260200190565b60405180910390a350505050565b6001600160a01b0382166109185760405162461bcd60e51b815260206004820152601860248201527f6d696e7420746f20746865207a65726f2061646472657373000000000000000060448201526064016103b0565b806003600082825461092a9190610c22565b90915550506001600160a01b03821660009081526005602052604081208054839290610957908490610c22565b90915550506040518181526001600160a01b038316906000907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a35050565b6001600160a01b03821660009081526005602052604090205481811015610a0a5760405162461bcd60e51b815260206004820152601b60248201527f6275726e20616d6f756e7420657863656564732062616c616e6365000000000060448201526064016103b0565b6001600160a01b03831660008181526005602090815260408083208686039055600380548790039055518581529192917fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef910161067e565b602081526000825180602084015260005b81811015610a905760208186018101516040868401015201610a73565b506000604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b0381168114610ac757600080fd5b919050565b60008060408385031215610adf57600080fd5b610ae883610ab0565b946020939093013593505050565b600060208284031215610b0857600080fd5b610b1182610ab0565b9392505050565b600080600060608486031215610b2d57600080fd5b610b3684610ab0565b9250610b4460208501610ab0565b929592945050506040919091013590565b60008060408385031215610b6857600080fd5b610b7183610ab0565b9150610b7f60208401610ab0565b90509250929050565b600181811c90821680610b9c57607f821691505b602082108103610bbc57634e487b7160e01b600052602260045260246000fd5b50919050565b634e487b7160e01b600052601160045260246000fd5b8181038181111561032b5761032b610bc2565b60208082526017908201527f63616c6c6572206973206e6f7420746865206f776e6572000000000000000000604082015260600190565b8082018082111561032b5761032b610bc256fea26469706673582212208cc94a6aded65605377cfc8b5f806f7c66ce46a41cdf3af79d4b1d52d13259d464736f6c63430008250033",
}

// ERC7943Token is an auto generated Go binding around an Ethereum contract.
type ERC7943Token struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ERC7943Token) GetABI() abi.ABI {
	return c.abi
}

// NewERC7943Token creates a new instance of ERC7943Token.
func NewERC7943Token() *ERC7943Token {
	parsed, err := ERC7943TokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ERC7943Token{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ERC7943Token) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(string name_, string symbol_, uint8 decimals_) returns()
func (eRC7943Token *ERC7943Token) PackConstructor(name_ string, symbol_ string, decimals_ uint8) []byte {
	enc, err := eRC7943Token.abi.Pack("", name_, symbol_, decimals_)
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
func (eRC7943Token *ERC7943Token) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := eRC7943Token.abi.Pack("allowance", arg0, arg1)
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
func (eRC7943Token *ERC7943Token) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return eRC7943Token.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (eRC7943Token *ERC7943Token) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := eRC7943Token.abi.Unpack("allowance", data)
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
func (eRC7943Token *ERC7943Token) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := eRC7943Token.abi.Pack("approve", spender, amount)
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
func (eRC7943Token *ERC7943Token) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return eRC7943Token.abi.Pack("approve", spender, amount)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (eRC7943Token *ERC7943Token) UnpackApprove(data []byte) (bool, error) {
	out, err := eRC7943Token.abi.Unpack("approve", data)
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
func (eRC7943Token *ERC7943Token) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := eRC7943Token.abi.Pack("balanceOf", arg0)
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
func (eRC7943Token *ERC7943Token) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return eRC7943Token.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (eRC7943Token *ERC7943Token) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := eRC7943Token.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBurn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9dc29fac.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function burn(address from, uint256 amount) returns()
func (eRC7943Token *ERC7943Token) PackBurn(from common.Address, amount *big.Int) []byte {
	enc, err := eRC7943Token.abi.Pack("burn", from, amount)
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
func (eRC7943Token *ERC7943Token) TryPackBurn(from common.Address, amount *big.Int) ([]byte, error) {
	return eRC7943Token.abi.Pack("burn", from, amount)
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (eRC7943Token *ERC7943Token) PackDecimals() []byte {
	enc, err := eRC7943Token.abi.Pack("decimals")
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
func (eRC7943Token *ERC7943Token) TryPackDecimals() ([]byte, error) {
	return eRC7943Token.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (eRC7943Token *ERC7943Token) UnpackDecimals(data []byte) (uint8, error) {
	out, err := eRC7943Token.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackGetFrozenTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x158b1a57.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getFrozenTokens(address account) view returns(uint256)
func (eRC7943Token *ERC7943Token) PackGetFrozenTokens(account common.Address) []byte {
	enc, err := eRC7943Token.abi.Pack("getFrozenTokens", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetFrozenTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x158b1a57.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getFrozenTokens(address account) view returns(uint256)
func (eRC7943Token *ERC7943Token) TryPackGetFrozenTokens(account common.Address) ([]byte, error) {
	return eRC7943Token.abi.Pack("getFrozenTokens", account)
}

// UnpackGetFrozenTokens is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x158b1a57.
//
// Solidity: function getFrozenTokens(address account) view returns(uint256)
func (eRC7943Token *ERC7943Token) UnpackGetFrozenTokens(data []byte) (*big.Int, error) {
	out, err := eRC7943Token.abi.Unpack("getFrozenTokens", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (eRC7943Token *ERC7943Token) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := eRC7943Token.abi.Pack("mint", to, amount)
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
func (eRC7943Token *ERC7943Token) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return eRC7943Token.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (eRC7943Token *ERC7943Token) PackName() []byte {
	enc, err := eRC7943Token.abi.Pack("name")
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
func (eRC7943Token *ERC7943Token) TryPackName() ([]byte, error) {
	return eRC7943Token.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (eRC7943Token *ERC7943Token) UnpackName(data []byte) (string, error) {
	out, err := eRC7943Token.abi.Unpack("name", data)
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
func (eRC7943Token *ERC7943Token) PackOwner() []byte {
	enc, err := eRC7943Token.abi.Pack("owner")
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
func (eRC7943Token *ERC7943Token) TryPackOwner() ([]byte, error) {
	return eRC7943Token.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (eRC7943Token *ERC7943Token) UnpackOwner(data []byte) (common.Address, error) {
	out, err := eRC7943Token.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSetFrozenTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xebe45cba.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setFrozenTokens(address account, uint256 amount) returns()
func (eRC7943Token *ERC7943Token) PackSetFrozenTokens(account common.Address, amount *big.Int) []byte {
	enc, err := eRC7943Token.abi.Pack("setFrozenTokens", account, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetFrozenTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xebe45cba.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setFrozenTokens(address account, uint256 amount) returns()
func (eRC7943Token *ERC7943Token) TryPackSetFrozenTokens(account common.Address, amount *big.Int) ([]byte, error) {
	return eRC7943Token.abi.Pack("setFrozenTokens", account, amount)
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (eRC7943Token *ERC7943Token) PackSymbol() []byte {
	enc, err := eRC7943Token.abi.Pack("symbol")
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
func (eRC7943Token *ERC7943Token) TryPackSymbol() ([]byte, error) {
	return eRC7943Token.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (eRC7943Token *ERC7943Token) UnpackSymbol(data []byte) (string, error) {
	out, err := eRC7943Token.abi.Unpack("symbol", data)
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
func (eRC7943Token *ERC7943Token) PackTotalSupply() []byte {
	enc, err := eRC7943Token.abi.Pack("totalSupply")
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
func (eRC7943Token *ERC7943Token) TryPackTotalSupply() ([]byte, error) {
	return eRC7943Token.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (eRC7943Token *ERC7943Token) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := eRC7943Token.abi.Unpack("totalSupply", data)
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
func (eRC7943Token *ERC7943Token) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := eRC7943Token.abi.Pack("transfer", to, amount)
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
func (eRC7943Token *ERC7943Token) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return eRC7943Token.abi.Pack("transfer", to, amount)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (eRC7943Token *ERC7943Token) UnpackTransfer(data []byte) (bool, error) {
	out, err := eRC7943Token.abi.Unpack("transfer", data)
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
func (eRC7943Token *ERC7943Token) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := eRC7943Token.abi.Pack("transferFrom", from, to, amount)
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
func (eRC7943Token *ERC7943Token) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return eRC7943Token.abi.Pack("transferFrom", from, to, amount)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (eRC7943Token *ERC7943Token) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := eRC7943Token.abi.Unpack("transferFrom", data)
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
func (eRC7943Token *ERC7943Token) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := eRC7943Token.abi.Pack("transferOwnership", newOwner)
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
func (eRC7943Token *ERC7943Token) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return eRC7943Token.abi.Pack("transferOwnership", newOwner)
}

// ERC7943TokenApproval represents a Approval event raised by the ERC7943Token contract.
type ERC7943TokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const ERC7943TokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (ERC7943TokenApproval) ContractEventName() string {
	return ERC7943TokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (eRC7943Token *ERC7943Token) UnpackApprovalEvent(log *types.Log) (*ERC7943TokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eRC7943Token.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ERC7943TokenApproval)
	if len(log.Data) > 0 {
		if err := eRC7943Token.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eRC7943Token.abi.Events[event].Inputs {
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

// ERC7943TokenFrozen represents a Frozen event raised by the ERC7943Token contract.
type ERC7943TokenFrozen struct {
	Account common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const ERC7943TokenFrozenEventName = "Frozen"

// ContractEventName returns the user-defined event name.
func (ERC7943TokenFrozen) ContractEventName() string {
	return ERC7943TokenFrozenEventName
}

// UnpackFrozenEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Frozen(address indexed account, uint256 amount)
func (eRC7943Token *ERC7943Token) UnpackFrozenEvent(log *types.Log) (*ERC7943TokenFrozen, error) {
	event := "Frozen"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eRC7943Token.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ERC7943TokenFrozen)
	if len(log.Data) > 0 {
		if err := eRC7943Token.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eRC7943Token.abi.Events[event].Inputs {
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

// ERC7943TokenOwnershipTransferred represents a OwnershipTransferred event raised by the ERC7943Token contract.
type ERC7943TokenOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const ERC7943TokenOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (ERC7943TokenOwnershipTransferred) ContractEventName() string {
	return ERC7943TokenOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (eRC7943Token *ERC7943Token) UnpackOwnershipTransferredEvent(log *types.Log) (*ERC7943TokenOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eRC7943Token.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ERC7943TokenOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := eRC7943Token.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eRC7943Token.abi.Events[event].Inputs {
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

// ERC7943TokenTransfer represents a Transfer event raised by the ERC7943Token contract.
type ERC7943TokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const ERC7943TokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (ERC7943TokenTransfer) ContractEventName() string {
	return ERC7943TokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (eRC7943Token *ERC7943Token) UnpackTransferEvent(log *types.Log) (*ERC7943TokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eRC7943Token.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ERC7943TokenTransfer)
	if len(log.Data) > 0 {
		if err := eRC7943Token.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eRC7943Token.abi.Events[event].Inputs {
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
