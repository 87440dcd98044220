// build.js compiles contracts/*.sol with solc-js (standard-JSON input) and
// writes, for each deployable contract, abi/<pkg>/<Name>.abi.json, <Name>.bin
// (creation bytecode, hex) and <Name>.bin-runtime (deployed bytecode, hex).
// It is run by build.sh; usage: node contracts/build.js <path/to/solc.js>.
// Stdout carries one "<Name> <pkg>" line per contract for build.sh to feed
// to abigen; progress goes to stderr.
// Output is deterministic: sources are read in sorted order under their bare
// file names, so the metadata hash inside the bytecode depends only on the
// sources and the settings below.
"use strict";

const fs = require("fs");
const path = require("path");

// Contract name -> Go package under abi/. Others depend on these names.
const TARGETS = {
  TREXToken: "trextoken",
  ERC7943Token: "erc7943token",
  FreezableToken: "freezabletoken",
  USDCToken: "usdctoken",
  USDTToken: "usdttoken",
  PlainToken: "plaintoken",
  BrokenToken: "brokentoken",
  Multicall3: "multicall3",
};

// paris: no PUSH0 (shanghai) and no MCOPY (cancun), so the Multicall3
// runtime also runs in eth_call state overrides on nodes of chains that lag
// behind mainnet forks; anvil and the simulated backend run it too.
const EVM_VERSION = "paris";

function main() {
  const solcPath = process.argv[2];
  if (!solcPath) {
    throw new Error("usage: node build.js <path/to/solc.js>");
  }
  // solc.js is the CLI of the solc npm package; its directory is the module.
  const solc = require(path.dirname(path.resolve(solcPath)));

  const contractsDir = __dirname;
  const root = path.dirname(contractsDir);
  const sources = {};
  for (const file of fs.readdirSync(contractsDir).filter((f) => f.endsWith(".sol")).sort()) {
    sources[file] = { content: fs.readFileSync(path.join(contractsDir, file), "utf8") };
  }

  const input = {
    language: "Solidity",
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: EVM_VERSION,
      outputSelection: {
        "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] },
      },
    },
  };

  const output = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import: (p) => {
        const file = path.join(contractsDir, path.basename(p));
        return fs.existsSync(file) ? { contents: fs.readFileSync(file, "utf8") } : { error: "not found: " + p };
      },
    }),
  );

  // Warnings fail the build too: the sources are small enough to keep clean.
  const problems = (output.errors || []).filter((e) => e.severity !== "info");
  for (const e of problems) {
    process.stderr.write(e.formattedMessage || e.message);
  }
  if (problems.length > 0) {
    throw new Error(`solc ${solc.version()}: ${problems.length} error(s)/warning(s)`);
  }

  const found = {};
  for (const file of Object.keys(output.contracts || {})) {
    for (const [name, c] of Object.entries(output.contracts[file])) {
      if (name in TARGETS) {
        found[name] = c;
      }
    }
  }

  for (const [name, pkg] of Object.entries(TARGETS)) {
    const c = found[name];
    if (!c) {
      throw new Error(`contract ${name} not found in the solc output`);
    }
    if (!c.evm.bytecode.object || !c.evm.deployedBytecode.object) {
      throw new Error(`contract ${name} has no bytecode (abstract?)`);
    }
    const dir = path.join(root, "abi", pkg);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.abi.json`), JSON.stringify(c.abi, null, 2) + "\n");
    fs.writeFileSync(path.join(dir, `${name}.bin`), c.evm.bytecode.object + "\n");
    fs.writeFileSync(path.join(dir, `${name}.bin-runtime`), c.evm.deployedBytecode.object + "\n");
    process.stderr.write(`${name}: abi/${pkg} (${c.evm.deployedBytecode.object.length / 2} bytes runtime)\n`);
    process.stdout.write(`${name} ${pkg}\n`);
  }
  process.stderr.write(`compiled with solc ${solc.version()}, evmVersion ${EVM_VERSION}\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`build.js: ${err.message}\n`);
  process.exit(1);
}
