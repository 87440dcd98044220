// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package trextoken

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

// TREXTokenMetaData contains all meta data concerning the TREXToken contract.
var TREXTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name_\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"symbol_\",\"type\":\"string\"},{\"internalType\":\"uint8\",\"name\":\"decimals_\",\"type\":\"uint8\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_userAddress\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bool\",\"name\":\"_isFrozen\",\"type\":\"bool\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_owner\",\"type\":\"address\"}],\"name\":\"AddressFrozen\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_agent\",\"type\":\"address\"}],\"name\":\"AgentAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_agent\",\"type\":\"address\"}],\"name\":\"AgentRemoved\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"_userAddress\",\"type\":\"address\"}],\"name\":\"Paused\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_userAddress\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_amount\",\"type\":\"uint256\"}],\"name\":\"TokensFrozen\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_userAddress\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_amount\",\"type\":\"uint256\"}],\"name\":\"TokensUnfrozen\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"_userAddress\",\"type\":\"address\"}],\"name\":\"Unpaused\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_agent\",\"type\":\"address\"}],\"name\":\"addAgent\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_userAddress\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"_amount\",\"type\":\"uint256\"}],\"name\":\"burn\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"_to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"_amount\",\"type\":\"uint256\"}],\"name\":\"forcedTransfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_userAddress\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"_amount\",\"type\":\"uint256\"}],\"name\":\"freezePartialTokens\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_userAddress\",\"type\":\"address\"}],\"name\":\"getFrozenTokens\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_agent\",\"type\":\"address\"}],\"name\":\"isAgent\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_userAddress\",\"type\":\"address\"}],\"name\":\"isFrozen\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"_amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pause\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"paused\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_agent\",\"type\":\"address\"}],\"name\":\"removeAgent\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_userAddress\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"_freeze\",\"type\":\"bool\"}],\"name\":\"setAddressFrozen\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_userAddress\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"_amount\",\"type\":\"uint256\"}],\"name\":\"unfreezePartialTokens\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unpause\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "TREXToken",
	Bin: "0x608060405234801561001057600080fd5b506040516119b23803806119b283398101604081905261002f9161016e565b828282600061003e8482610287565b50600161004b8382610287565b506002805460ff191660ff831617905560048054336001600160a01b031990911681179091556040516000907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0908290a35050600a805460ff191660011790555061034992505050565b634e487b7160e01b600052604160045260246000fd5b600082601f8301126100dc57600080fd5b81516001600160401b038111156100f5576100f56100b5565b604051601f8201601f19908116603f011681016001600160401b0381118282101715610123576101236100b5565b60405281815283820160200185101561013b57600080fd5b60005b8281101561015a5760208186018101518383018201520161013e565b506000918101602001919091529392505050565b60008060006060848603121561018357600080fd5b83516001600160401b0381111561019957600080fd5b6101a5868287016100cb565b602086015190945090506001600160401b038111156101c357600080fd5b6101cf868287016100cb565b925050604084015160ff811681146101e657600080fd5b809150509250925092565b600181811c9082168061020557607f821691505b60208210810361022557634e487b7160e01b600052602260045260246000fd5b50919050565b601f821115610282578282111561028257806000526020600020601f840160051c6020851015610259575060005b90810190601f840160051c0360005b8181101561027e57600083820155600101610268565b5050505b505050565b81516001600160401b038111156102a0576102a06100b5565b6102b4816102ae84546101f1565b8461022b565b6020601f8211600181146102e857600083156102d05750848201515b600019600385901b1c1916600184901b178455610342565b600084815260208120601f198516915b8281101561031857878501518255602094850194600190920191016102f8565b50848210156103365786840151600019600387901b60f8161c191681555b505060018360011b0184555b5050505050565b61165a806103586000396000f3fe608060405234801561001057600080fd5b50600436106101735760003560e01c806370a08231116100de5780639dc29fac11610097578063c69c09cf11610071578063c69c09cf14610346578063dd62ed3e14610359578063e583983614610384578063f2fde38b146103b057600080fd5b80639dc29fac1461030d5780639fc1d0e714610320578063a9059cbb1461033357600080fd5b806370a082311461028c5780638456cb59146102ac57806384e79842146102b45780638da5cb5b146102c757806395d89b41146102f257806397a6278e146102fa57600080fd5b80631ffbb064116101305780631ffbb0641461022157806323b872dd14610234578063313ce567146102475780633f4ba83a1461026657806340c10f191461026e5780635c975abb1461028157600080fd5b806306fdde0314610178578063095ea7b314610196578063125c4a33146101b9578063158b1a57146101ce57806318160ddd146102055780631fe56f7d1461020e575b600080fd5b6101806103c3565b60405161018d91906113c7565b60405180910390f35b6101a96101a4366004611431565b610451565b604051901515815260200161018d565b6101cc6101c7366004611431565b610468565b005b6101f76101dc36600461145b565b6001600160a01b031660009081526009602052604090205490565b60405190815260200161018d565b6101f760035481565b6101cc61021c366004611431565b610585565b6101a961022f36600461145b565b61069e565b6101a961024236600461147d565b6106d7565b6002546102549060ff1681565b60405160ff909116815260200161018d565b6101cc610784565b6101cc61027c366004611431565b610832565b600a5460ff166101a9565b6101f761029a36600461145b565b60056020526000908152604090205481565b6101cc610865565b6101cc6102c236600461145b565b61090d565b6004546102da906001600160a01b031681565b6040516001600160a01b03909116815260200161018d565b610180610a39565b6101cc61030836600461145b565b610a46565b6101cc61031b366004611431565b610b18565b6101a961032e36600461147d565b610bb9565b6101a9610341366004611431565b610c60565b6101cc6103543660046114ba565b610c78565b6101f76103673660046114f6565b600660209081526000928352604080842090915290825290205481565b6101a961039236600461145b565b6001600160a01b031660009081526008602052604090205460ff1690565b6101cc6103be36600461145b565b610cf2565b600080546103d090611529565b80601f01602080910402602001604051908101604052809291908181526020018280546103fc90611529565b80156104495780601f1061041e57610100808354040283529160200191610449565b820191906000526020600020905b81548152906001019060200180831161042c57829003601f168201915b505050505081565b600061045e338484610dce565b5060015b92915050565b6104713361069e565b6104965760405162461bcd60e51b815260040161048d90611563565b60405180910390fd5b6001600160a01b0382166000908152600560209081526040808320546009909252909120546104c69083906115c7565b8110156105155760405162461bcd60e51b815260206004820181905260248201527f416d6f756e74206578636565647320617661696c61626c652062616c616e6365604482015260640161048d565b6001600160a01b0383166000908152600960205260408120805484929061053d9084906115c7565b90915550506040518281526001600160a01b038416907fa065e63c631c86f1b9f66a4a2f63f2093bf1c2168d23290259dbd969e0222a459060200160405180910390a2505050565b61058e3361069e565b6105aa5760405162461bcd60e51b815260040161048d90611563565b6001600160a01b03821660009081526009602052604090205481111561062f5760405162461bcd60e51b815260206004820152603460248201527f416d6f756e742073686f756c64206265206c657373207468616e206f7220657160448201527375616c20746f2066726f7a656e20746f6b656e7360601b606482015260840161048d565b6001600160a01b038216600090815260096020526040812080548392906106579084906115da565b90915550506040518181526001600160a01b038316907f9bed35cb62ad0dba04f9d5bfee4b5bc91443e77da8a65c4c84834c51bb08b0d69060200160405180910390a25050565b6004546000906001600160a01b03838116911614806104625750506001600160a01b031660009081526007602052604090205460ff1690565b60006106e4848484610e86565b6001600160a01b0384166000908152600660209081526040808320338452909152902054600019811461076e578281101561075a5760405162461bcd60e51b8152602060048201526016602482015275696e73756666696369656e7420616c6c6f77616e636560501b604482015260640161048d565b61076e853361076986856115da565b610dce565b610779858585610fc7565b506001949350505050565b61078d3361069e565b6107a95760405162461bcd60e51b815260040161048d90611563565b600a5460ff166107f25760405162461bcd60e51b815260206004820152601460248201527314185d5cd8589b194e881b9bdd081c185d5cd95960621b604482015260640161048d565b600a805460ff191690556040513381527f5db9ee0a495bf2e6ff9c91a7834c1ba4fdd244a5e8aa4e537bd38aeae4b073aa906020015b60405180910390a1565b61083b3361069e565b6108575760405162461bcd60e51b815260040161048d90611563565b610861828261116d565b5050565b61086e3361069e565b61088a5760405162461bcd60e51b815260040161048d90611563565b600a5460ff16156108d05760405162461bcd60e51b815260206004820152601060248201526f14185d5cd8589b194e881c185d5cd95960821b604482015260640161048d565b600a805460ff191660011790556040513381527f62e78cea01bee320cd4e420270b5ea74000d11b0c9f74754ebdbfc544b05a25890602001610828565b6004546001600160a01b031633146109375760405162461bcd60e51b815260040161048d906115ed565b6001600160a01b03811661098d5760405162461bcd60e51b815260206004820152601f60248201527f696e76616c696420617267756d656e74202d207a65726f206164647265737300604482015260640161048d565b6001600160a01b03811660009081526007602052604090205460ff16156109ed5760405162461bcd60e51b81526020600482015260146024820152734167656e7420616c72656164792065786973747360601b604482015260640161048d565b6001600160a01b038116600081815260076020526040808220805460ff19166001179055517ff68e73cec97f2d70aa641fb26e87a4383686e2efacb648f2165aeb02ac562ec59190a250565b600180546103d090611529565b6004546001600160a01b03163314610a705760405162461bcd60e51b815260040161048d906115ed565b6001600160a01b03811660009081526007602052604090205460ff16610acf5760405162461bcd60e51b81526020600482015260146024820152731059d95b9d08191bd95cc81b9bdd08195e1a5cdd60621b604482015260640161048d565b6001600160a01b038116600081815260076020526040808220805460ff19169055517fed9c8ad8d5a0a66898ea49d2956929c93ae2e8bd50281b2ed897c5d1a6737e0b9190a250565b610b213361069e565b610b3d5760405162461bcd60e51b815260040161048d90611563565b6001600160a01b038216600090815260056020526040902054811115610ba55760405162461bcd60e51b815260206004820152601d60248201527f63616e6e6f74206275726e206d6f7265207468616e2062616c616e6365000000604482015260640161048d565b610baf828261124c565b6108618282611306565b6000610bc43361069e565b610be05760405162461bcd60e51b815260040161048d90611563565b6001600160a01b038416600090815260056020526040902054821115610c415760405162461bcd60e51b815260206004820152601660248201527573656e6465722062616c616e636520746f6f206c6f7760501b604482015260640161048d565b610c4b848361124c565b610c56848484610fc7565b5060019392505050565b6000610c6d338484610e86565b61045e338484610fc7565b610c813361069e565b610c9d5760405162461bcd60e51b815260040161048d90611563565b6001600160a01b038216600081815260086020526040808220805460ff19168515159081179091559051339391927f7fa523c84ab8d7fc5b72f08b9e46dbbf10c39e119a075b3e317002d14bc9f43691a45050565b6004546001600160a01b03163314610d1c5760405162461bcd60e51b815260040161048d906115ed565b6001600160a01b038116610d725760405162461bcd60e51b815260206004820152601d60248201527f6e6577206f776e657220697320746865207a65726f2061646472657373000000604482015260640161048d565b6004546040516001600160a01b038084169216907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e090600090a3600480546001600160a01b0319166001600160a01b0392909216919091179055565b6001600160a01b038216610e245760405162461bcd60e51b815260206004820152601b60248201527f617070726f766520746f20746865207a65726f20616464726573730000000000604482015260640161048d565b6001600160a01b0383811660008181526006602090815260408083209487168084529482529182902085905590518481527f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92591015b60405180910390a3505050565b600a5460ff1615610ecc5760405162461bcd60e51b815260206004820152601060248201526f14185d5cd8589b194e881c185d5cd95960821b604482015260640161048d565b6001600160a01b03821660009081526008602052604090205460ff16158015610f0e57506001600160a01b03831660009081526008602052604090205460ff16155b610f4d5760405162461bcd60e51b815260206004820152601060248201526f3bb0b63632ba1034b990333937bd32b760811b604482015260640161048d565b6001600160a01b038316600090815260096020908152604080832054600590925290912054610f7c91906115da565b811115610fc25760405162461bcd60e51b8152602060048201526014602482015273496e73756666696369656e742042616c616e636560601b604482015260640161048d565b505050565b6001600160a01b03831661101d5760405162461bcd60e51b815260206004820152601e60248201527f7472616e736665722066726f6d20746865207a65726f20616464726573730000604482015260640161048d565b6001600160a01b0382166110735760405162461bcd60e51b815260206004820152601c60248201527f7472616e7366657220746f20746865207a65726f206164647265737300000000604482015260640161048d565b6001600160a01b038316600090815260056020526040902054818110156110dc5760405162461bcd60e51b815260206004820152601f60248201527f7472616e7366657220616d6f756e7420657863656564732062616c616e636500604482015260640161048d565b6001600160a01b038085166000908152600560205260408082208585039055918516815290812080548492906111139084906115c7565b92505081905550826001600160a01b0316846001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef8460405161115f91815260200190565b60405180910390a350505050565b6001600160a01b0382166111c35760405162461bcd60e51b815260206004820152601860248201527f6d696e7420746f20746865207a65726f20616464726573730000000000000000604482015260640161048d565b80600360008282546111d591906115c7565b90915550506001600160a01b038216600090815260056020526040812080548392906112029084906115c7565b90915550506040518181526001600160a01b038316906000907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a35050565b6001600160a01b038216600090815260096020908152604080832054600590925282205461127a91906115da565b905080821115610fc257600061129082846115da565b6001600160a01b0385166000908152600960205260408120805492935083929091906112bd9084906115da565b90915550506040518181526001600160a01b038516907f9bed35cb62ad0dba04f9d5bfee4b5bc91443e77da8a65c4c84834c51bb08b0d69060200160405180910390a250505050565b6001600160a01b0382166000908152600560205260409020548181101561136f5760405162461bcd60e51b815260206004820152601b60248201527f6275726e20616d6f756e7420657863656564732062616c616e63650000000000604482015260640161048d565b6001600160a01b03831660008181526005602090815260408083208686039055600380548790039055518581529192917fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9101610e79565b602081526000825180602084015260005b818110156113f557602081860181015160408684010152016113d8565b506000604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b038116811461142c57600080fd5b919050565b6000806040838503121561144457600080fd5b61144d83611415565b946020939093013593505050565b60006020828403121561146d57600080fd5b61147682611415565b9392505050565b60008060006060848603121561149257600080fd5b61149b84611415565b92506114a960208501611415565b929592945050506040919091013590565b600080604083850312156114cd57600080fd5b6114d683611415565b9150602083013580151581146114eb57600080fd5b809150509250929050565b6000806040838503121561150957600080fd5b61151283611415565b915061152060208401611415565b90509250929050565b600181811c9082168061153d57607f821691505b60208210810361155d57634e487b7160e01b600052602260045260246000fd5b50919050565b6020808252602e908201527f4167656e74526f6c653a2063616c6c657220646f6573206e6f7420686176652060408201526d746865204167656e7420726f6c6560901b606082015260800190565b634e487b7160e01b600052601160045260246000fd5b80820180821115610462576104626115b1565b81810381811115610462576104626115b1565b60208082526017908201527f63616c6c6572206973206e6f7420746865206f776e657200000000000000000060408201526060019056fea2646970667358221220e0b946295f0c9fbe48d8364d65a79d5644923c5439698c86ac0982c9d889b3be64736f6c63430008250033",
}

// TREXToken is an auto generated Go binding around an Ethereum contract.
type TREXToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *TREXToken) GetABI() abi.ABI {
	return c.abi
}

// NewTREXToken creates a new instance of TREXToken.
func NewTREXToken() *TREXToken {
	parsed, err := TREXTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &TREXToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *TREXToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(string name_, string symbol_, uint8 decimals_) returns()
func (tREXToken *TREXToken) PackConstructor(name_ string, symbol_ string, decimals_ uint8) []byte {
	enc, err := tREXToken.abi.Pack("", name_, symbol_, decimals_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAddAgent is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84e79842.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addAgent(address _agent) returns()
func (tREXToken *TREXToken) PackAddAgent(agent common.Address) []byte {
	enc, err := tREXToken.abi.Pack("addAgent", agent)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddAgent is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84e79842.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addAgent(address _agent) returns()
func (tREXToken *TREXToken) TryPackAddAgent(agent common.Address) ([]byte, error) {
	return tREXToken.abi.Pack("addAgent", agent)
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (tREXToken *TREXToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := tREXToken.abi.Pack("allowance", arg0, arg1)
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
func (tREXToken *TREXToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return tREXToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (tREXToken *TREXToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := tREXToken.abi.Unpack("allowance", data)
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
func (tREXToken *TREXToken) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := tREXToken.abi.Pack("approve", spender, amount)
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
func (tREXToken *TREXToken) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return tREXToken.abi.Pack("approve", spender, amount)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (tREXToken *TREXToken) UnpackApprove(data []byte) (bool, error) {
	out, err := tREXToken.abi.Unpack("approve", data)
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
func (tREXToken *TREXToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := tREXToken.abi.Pack("balanceOf", arg0)
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
func (tREXToken *TREXToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return tREXToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (tREXToken *TREXToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := tREXToken.abi.Unpack("balanceOf", data)
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
// Solidity: function burn(address _userAddress, uint256 _amount) returns()
func (tREXToken *TREXToken) PackBurn(userAddress common.Address, amount *big.Int) []byte {
	enc, err := tREXToken.abi.Pack("burn", userAddress, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBurn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9dc29fac.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function burn(address _userAddress, uint256 _amount) returns()
func (tREXToken *TREXToken) TryPackBurn(userAddress common.Address, amount *big.Int) ([]byte, error) {
	return tREXToken.abi.Pack("burn", userAddress, amount)
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (tREXToken *TREXToken) PackDecimals() []byte {
	enc, err := tREXToken.abi.Pack("decimals")
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
func (tREXToken *TREXToken) TryPackDecimals() ([]byte, error) {
	return tREXToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (tREXToken *TREXToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := tREXToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackForcedTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9fc1d0e7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function forcedTransfer(address _from, address _to, uint256 _amount) returns(bool)
func (tREXToken *TREXToken) PackForcedTransfer(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := tREXToken.abi.Pack("forcedTransfer", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackForcedTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9fc1d0e7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function forcedTransfer(address _from, address _to, uint256 _amount) returns(bool)
func (tREXToken *TREXToken) TryPackForcedTransfer(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return tREXToken.abi.Pack("forcedTransfer", from, to, amount)
}

// UnpackForcedTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9fc1d0e7.
//
// Solidity: function forcedTransfer(address _from, address _to, uint256 _amount) returns(bool)
func (tREXToken *TREXToken) UnpackForcedTransfer(data []byte) (bool, error) {
	out, err := tREXToken.abi.Unpack("forcedTransfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackFreezePartialTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x125c4a33.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function freezePartialTokens(address _userAddress, uint256 _amount) returns()
func (tREXToken *TREXToken) PackFreezePartialTokens(userAddress common.Address, amount *big.Int) []byte {
	enc, err := tREXToken.abi.Pack("freezePartialTokens", userAddress, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFreezePartialTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x125c4a33.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function freezePartialTokens(address _userAddress, uint256 _amount) returns()
func (tREXToken *TREXToken) TryPackFreezePartialTokens(userAddress common.Address, amount *big.Int) ([]byte, error) {
	return tREXToken.abi.Pack("freezePartialTokens", userAddress, amount)
}

// PackGetFrozenTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x158b1a57.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getFrozenTokens(address _userAddress) view returns(uint256)
func (tREXToken *TREXToken) PackGetFrozenTokens(userAddress common.Address) []byte {
	enc, err := tREXToken.abi.Pack("getFrozenTokens", userAddress)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetFrozenTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x158b1a57.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getFrozenTokens(address _userAddress) view returns(uint256)
func (tREXToken *TREXToken) TryPackGetFrozenTokens(userAddress common.Address) ([]byte, error) {
	return tREXToken.abi.Pack("getFrozenTokens", userAddress)
}

// UnpackGetFrozenTokens is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x158b1a57.
//
// Solidity: function getFrozenTokens(address _userAddress) view returns(uint256)
func (tREXToken *TREXToken) UnpackGetFrozenTokens(data []byte) (*big.Int, error) {
	out, err := tREXToken.abi.Unpack("getFrozenTokens", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackIsAgent is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1ffbb064.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isAgent(address _agent) view returns(bool)
func (tREXToken *TREXToken) PackIsAgent(agent common.Address) []byte {
	enc, err := tREXToken.abi.Pack("isAgent", agent)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsAgent is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1ffbb064.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isAgent(address _agent) view returns(bool)
func (tREXToken *TREXToken) TryPackIsAgent(agent common.Address) ([]byte, error) {
	return tREXToken.abi.Pack("isAgent", agent)
}

// UnpackIsAgent is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1ffbb064.
//
// Solidity: function isAgent(address _agent) view returns(bool)
func (tREXToken *TREXToken) UnpackIsAgent(data []byte) (bool, error) {
	out, err := tREXToken.abi.Unpack("isAgent", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5839836.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isFrozen(address _userAddress) view returns(bool)
func (tREXToken *TREXToken) PackIsFrozen(userAddress common.Address) []byte {
	enc, err := tREXToken.abi.Pack("isFrozen", userAddress)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5839836.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isFrozen(address _userAddress) view returns(bool)
func (tREXToken *TREXToken) TryPackIsFrozen(userAddress common.Address) ([]byte, error) {
	return tREXToken.abi.Pack("isFrozen", userAddress)
}

// UnpackIsFrozen is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe5839836.
//
// Solidity: function isFrozen(address _userAddress) view returns(bool)
func (tREXToken *TREXToken) UnpackIsFrozen(data []byte) (bool, error) {
	out, err := tREXToken.abi.Unpack("isFrozen", data)
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
// Solidity: function mint(address _to, uint256 _amount) returns()
func (tREXToken *TREXToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := tREXToken.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address _to, uint256 _amount) returns()
func (tREXToken *TREXToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return tREXToken.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (tREXToken *TREXToken) PackName() []byte {
	enc, err := tREXToken.abi.Pack("name")
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
func (tREXToken *TREXToken) TryPackName() ([]byte, error) {
	return tREXToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (tREXToken *TREXToken) UnpackName(data []byte) (string, error) {
	out, err := tREXToken.abi.Unpack("name", data)
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
func (tREXToken *TREXToken) PackOwner() []byte {
	enc, err := tREXToken.abi.Pack("owner")
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
func (tREXToken *TREXToken) TryPackOwner() ([]byte, error) {
	return tREXToken.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (tREXToken *TREXToken) UnpackOwner(data []byte) (common.Address, error) {
	out, err := tREXToken.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackPause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8456cb59.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pause() returns()
func (tREXToken *TREXToken) PackPause() []byte {
	enc, err := tREXToken.abi.Pack("pause")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8456cb59.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pause() returns()
func (tREXToken *TREXToken) TryPackPause() ([]byte, error) {
	return tREXToken.abi.Pack("pause")
}

// PackPaused is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c975abb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function paused() view returns(bool)
func (tREXToken *TREXToken) PackPaused() []byte {
	enc, err := tREXToken.abi.Pack("paused")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPaused is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c975abb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function paused() view returns(bool)
func (tREXToken *TREXToken) TryPackPaused() ([]byte, error) {
	return tREXToken.abi.Pack("paused")
}

// UnpackPaused is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5c975abb.
//
// Solidity: function paused() view returns(bool)
func (tREXToken *TREXToken) UnpackPaused(data []byte) (bool, error) {
	out, err := tREXToken.abi.Unpack("paused", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackRemoveAgent is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x97a6278e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function removeAgent(address _agent) returns()
func (tREXToken *TREXToken) PackRemoveAgent(agent common.Address) []byte {
	enc, err := tREXToken.abi.Pack("removeAgent", agent)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRemoveAgent is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x97a6278e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function removeAgent(address _agent) returns()
func (tREXToken *TREXToken) TryPackRemoveAgent(agent common.Address) ([]byte, error) {
	return tREXToken.abi.Pack("removeAgent", agent)
}

// PackSetAddressFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc69c09cf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setAddressFrozen(address _userAddress, bool _freeze) returns()
func (tREXToken *TREXToken) PackSetAddressFrozen(userAddress common.Address, freeze bool) []byte {
	enc, err := tREXToken.abi.Pack("setAddressFrozen", userAddress, freeze)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetAddressFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc69c09cf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setAddressFrozen(address _userAddress, bool _freeze) returns()
func (tREXToken *TREXToken) TryPackSetAddressFrozen(userAddress common.Address, freeze bool) ([]byte, error) {
	return tREXToken.abi.Pack("setAddressFrozen", userAddress, freeze)
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (tREXToken *TREXToken) PackSymbol() []byte {
	enc, err := tREXToken.abi.Pack("symbol")
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
func (tREXToken *TREXToken) TryPackSymbol() ([]byte, error) {
	return tREXToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (tREXToken *TREXToken) UnpackSymbol(data []byte) (string, error) {
	out, err := tREXToken.abi.Unpack("symbol", data)
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
func (tREXToken *TREXToken) PackTotalSupply() []byte {
	enc, err := tREXToken.abi.Pack("totalSupply")
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
func (tREXToken *TREXToken) TryPackTotalSupply() ([]byte, error) {
	return tREXToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (tREXToken *TREXToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := tREXToken.abi.Unpack("totalSupply", data)
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
func (tREXToken *TREXToken) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := tREXToken.abi.Pack("transfer", to, amount)
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
func (tREXToken *TREXToken) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return tREXToken.abi.Pack("transfer", to, amount)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (tREXToken *TREXToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := tREXToken.abi.Unpack("transfer", data)
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
func (tREXToken *TREXToken) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := tREXToken.abi.Pack("transferFrom", from, to, amount)
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
func (tREXToken *TREXToken) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return tREXToken.abi.Pack("transferFrom", from, to, amount)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (tREXToken *TREXToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := tREXToken.abi.Unpack("transferFrom", data)
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
func (tREXToken *TREXToken) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := tREXToken.abi.Pack("transferOwnership", newOwner)
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
func (tREXToken *TREXToken) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return tREXToken.abi.Pack("transferOwnership", newOwner)
}

// PackUnfreezePartialTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1fe56f7d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unfreezePartialTokens(address _userAddress, uint256 _amount) returns()
func (tREXToken *TREXToken) PackUnfreezePartialTokens(userAddress common.Address, amount *big.Int) []byte {
	enc, err := tREXToken.abi.Pack("unfreezePartialTokens", userAddress, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnfreezePartialTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1fe56f7d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unfreezePartialTokens(address _userAddress, uint256 _amount) returns()
func (tREXToken *TREXToken) TryPackUnfreezePartialTokens(userAddress common.Address, amount *big.Int) ([]byte, error) {
	return tREXToken.abi.Pack("unfreezePartialTokens", userAddress, amount)
}

// PackUnpause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f4ba83a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unpause() returns()
func (tREXToken *TREXToken) PackUnpause() []byte {
	enc, err := tREXToken.abi.Pack("unpause")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnpause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f4ba83a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unpause() returns()
func (tREXToken *TREXToken) TryPackUnpause() ([]byte, error) {
	return tREXToken.abi.Pack("unpause")
}

// TREXTokenAddressFrozen represents a AddressFrozen event raised by the TREXToken contract.
type TREXTokenAddressFrozen struct {
	UserAddress common.Address
	IsFrozen    bool
	Owner       common.Address
	Raw         *types.Log // Blockchain specific contextual infos
}

const TREXTokenAddressFrozenEventName = "AddressFrozen"

// ContractEventName returns the user-defined event name.
func (TREXTokenAddressFrozen) ContractEventName() string {
	return TREXTokenAddressFrozenEventName
}

// UnpackAddressFrozenEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AddressFrozen(address indexed _userAddress, bool indexed _isFrozen, address indexed _owner)
func (tREXToken *TREXToken) UnpackAddressFrozenEvent(log *types.Log) (*TREXTokenAddressFrozen, error) {
	event := "AddressFrozen"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tREXToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TREXTokenAddressFrozen)
	if len(log.Data) > 0 {
		if err := tREXToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tREXToken.abi.Events[event].Inputs {
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

// TREXTokenAgentAdded represents a AgentAdded event raised by the TREXToken contract.
type TREXTokenAgentAdded struct {
	Agent common.Address
	Raw   *types.Log // Blockchain specific contextual infos
}

const TREXTokenAgentAddedEventName = "AgentAdded"

// ContractEventName returns the user-defined event name.
func (TREXTokenAgentAdded) ContractEventName() string {
	return TREXTokenAgentAddedEventName
}

// UnpackAgentAddedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AgentAdded(address indexed _agent)
func (tREXToken *TREXToken) UnpackAgentAddedEvent(log *types.Log) (*TREXTokenAgentAdded, error) {
	event := "AgentAdded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tREXToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TREXTokenAgentAdded)
	if len(log.Data) > 0 {
		if err := tREXToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tREXToken.abi.Events[event].Inputs {
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

// TREXTokenAgentRemoved represents a AgentRemoved event raised by the TREXToken contract.
type TREXTokenAgentRemoved struct {
	Agent common.Address
	Raw   *types.Log // Blockchain specific contextual infos
}

const TREXTokenAgentRemovedEventName = "AgentRemoved"

// ContractEventName returns the user-defined event name.
func (TREXTokenAgentRemoved) ContractEventName() string {
	return TREXTokenAgentRemovedEventName
}

// UnpackAgentRemovedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AgentRemoved(address indexed _agent)
func (tREXToken *TREXToken) UnpackAgentRemovedEvent(log *types.Log) (*TREXTokenAgentRemoved, error) {
	event := "AgentRemoved"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tREXToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TREXTokenAgentRemoved)
	if len(log.Data) > 0 {
		if err := tREXToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tREXToken.abi.Events[event].Inputs {
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

// TREXTokenApproval represents a Approval event raised by the TREXToken contract.
type TREXTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const TREXTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (TREXTokenApproval) ContractEventName() string {
	return TREXTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (tREXToken *TREXToken) UnpackApprovalEvent(log *types.Log) (*TREXTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tREXToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TREXTokenApproval)
	if len(log.Data) > 0 {
		if err := tREXToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tREXToken.abi.Events[event].Inputs {
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

// TREXTokenOwnershipTransferred represents a OwnershipTransferred event raised by the TREXToken contract.
type TREXTokenOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const TREXTokenOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (TREXTokenOwnershipTransferred) ContractEventName() string {
	return TREXTokenOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (tREXToken *TREXToken) UnpackOwnershipTransferredEvent(log *types.Log) (*TREXTokenOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tREXToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TREXTokenOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := tREXToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tREXToken.abi.Events[event].Inputs {
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

// TREXTokenPaused represents a Paused event raised by the TREXToken contract.
type TREXTokenPaused struct {
	UserAddress common.Address
	Raw         *types.Log // Blockchain specific contextual infos
}

const TREXTokenPausedEventName = "Paused"

// ContractEventName returns the user-defined event name.
func (TREXTokenPaused) ContractEventName() string {
	return TREXTokenPausedEventName
}

// UnpackPausedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Paused(address _userAddress)
func (tREXToken *TREXToken) UnpackPausedEvent(log *types.Log) (*TREXTokenPaused, error) {
	event := "Paused"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tREXToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TREXTokenPaused)
	if len(log.Data) > 0 {
		if err := tREXToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tREXToken.abi.Events[event].Inputs {
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

// TREXTokenTokensFrozen represents a TokensFrozen event raised by the TREXToken contract.
type TREXTokenTokensFrozen struct {
	UserAddress common.Address
	Amount      *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const TREXTokenTokensFrozenEventName = "TokensFrozen"

// ContractEventName returns the user-defined event name.
func (TREXTokenTokensFrozen) ContractEventName() string {
	return TREXTokenTokensFrozenEventName
}

// UnpackTokensFrozenEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TokensFrozen(address indexed _userAddress, uint256 _amount)
func (tREXToken *TREXToken) UnpackTokensFrozenEvent(log *types.Log) (*TREXTokenTokensFrozen, error) {
	event := "TokensFrozen"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tREXToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TREXTokenTokensFrozen)
	if len(log.Data) > 0 {
		if err := tREXToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tREXToken.abi.Events[event].Inputs {
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

// TREXTokenTokensUnfrozen represents a TokensUnfrozen event raised by the TREXToken contract.
type TREXTokenTokensUnfrozen struct {
	UserAddress common.Address
	Amount      *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const TREXTokenTokensUnfrozenEventName = "TokensUnfrozen"

// ContractEventName returns the user-defined event name.
func (TREXTokenTokensUnfrozen) ContractEventName() string {
	return TREXTokenTokensUnfrozenEventName
}

// UnpackTokensUnfrozenEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TokensUnfrozen(address indexed _userAddress, uint256 _amount)
func (tREXToken *TREXToken) UnpackTokensUnfrozenEvent(log *types.Log) (*TREXTokenTokensUnfrozen, error) {
	event := "TokensUnfrozen"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tREXToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TREXTokenTokensUnfrozen)
	if len(log.Data) > 0 {
		if err := tREXToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tREXToken.abi.Events[event].Inputs {
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

// TREXTokenTransfer represents a Transfer event raised by the TREXToken contract.
type TREXTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const TREXTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (TREXTokenTransfer) ContractEventName() string {
	return TREXTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (tREXToken *TREXToken) UnpackTransferEvent(log *types.Log) (*TREXTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tREXToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TREXTokenTransfer)
	if len(log.Data) > 0 {
		if err := tREXToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tREXToken.abi.Events[event].Inputs {
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

// TREXTokenUnpaused represents a Unpaused event raised by the TREXToken contract.
type TREXTokenUnpaused struct {
	UserAddress common.Address
	Raw         *types.Log // Blockchain specific contextual infos
}

const TREXTokenUnpausedEventName = "Unpaused"

// ContractEventName returns the user-defined event name.
func (TREXTokenUnpaused) ContractEventName() string {
	return TREXTokenUnpausedEventName
}

// UnpackUnpausedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Unpaused(address _userAddress)
func (tREXToken *TREXToken) UnpackUnpausedEvent(log *types.Log) (*TREXTokenUnpaused, error) {
	event := "Unpaused"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tREXToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TREXTokenUnpaused)
	if len(log.Data) > 0 {
		if err := tREXToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tREXToken.abi.Events[event].Inputs {
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
