import { AbiCoder, Contract, ZeroAddress, ZeroHash, concat, encodeBytes32String, getBytes, keccak256 } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Floor__factory, type Floor } from "../../typechain-types";
import { addressFor, check, digestFor, eventArg, freshSigner, viewCall } from "../lib/chain";
import { deployPeer, loadPeerArtifact, type PeerContract } from "../lib/peer-artifacts";
import type { BenchContext, Operation, RowSpec, Send, Suite, TxOperation, ViewOperation } from "../lib/types";

/** Batch sizes measured per item for EAS multiTimestamp and the floor's batch. */
export const BATCH_SIZES = [1, 10, 100] as const;

/** Id of ONCHAINID's claim check (a view), for rows of other suites to compare against. */
export const ONCHAINID_IS_CLAIM_VALID = "onchainid.isClaimValid";

/** Ids of the floor measurements, for rows of other suites to compare against. */
export const FLOOR_SINGLE = "floor.record";
export const floorBatch = (size: number): string => `floor.recordBatch.${size}`;

/** The EAS schema our attestation rows use: one digest, like a notarization or a claim's data hash. */
const EAS_SCHEMA = "bytes32 digest";
/** ethr-did attribute: a secp256k1 verification key, the commonest DID document entry. */
const DID_ATTRIBUTE = encodeBytes32String("did/pub/Secp256k1/veriKey/hex");
const DID_VALIDITY = 365 * 86400;
/** ERC-735 claim scheme 1: ECDSA signature by a claim key of the issuer. */
const ECDSA_SCHEME = 1;

const abi = AbiCoder.defaultAbiCoder();

function peer(name: PeerContract, address: string, signer: HardhatEthersSigner): Contract {
  return new Contract(address, loadPeerArtifact(name).abi, signer);
}

/** An operation that needs no set-up besides its fresh inputs: `call(seq)` is the timed send. */
function op(fields: Omit<TxOperation, "prepare"> & { call: (seq: number) => Send }): TxOperation {
  const { call, ...rest } = fields;
  return { ...rest, prepare: async (seq) => call(seq) };
}

function floorOperations(floor: Floor): Operation[] {
  const single = op({
    id: FLOOR_SINGLE,
    system: "floor",
    project: "floor",
    label: "record (one mapping write)",
    items: 1,
    throughput: true,
    call: (seq) => () => floor.record(digestFor(FLOOR_SINGLE, seq)),
    verify: async (seq) => check((await floor.recordedAt(digestFor(FLOOR_SINGLE, seq))) !== 0n, "floor recorded"),
  });
  const batches = BATCH_SIZES.map((size) =>
    op({
      id: floorBatch(size),
      system: "floor",
      project: "floor",
      label: `recordBatch ×${size}`,
      items: size,
      throughput: false,
      call: (seq) => () => floor.recordBatch(batchDigests(floorBatch(size), seq, size)),
      verify: async (seq) => {
        const last = batchDigests(floorBatch(size), seq, size)[size - 1];
        check((await floor.recordedAt(last)) !== 0n, "floor batch recorded");
      },
    }),
  );
  return [single, ...batches];
}

function batchDigests(what: string, seq: number, size: number): string[] {
  return Array.from({ length: size }, (_, i) => digestFor(`${what}:${i}`, seq));
}

async function easOperations(deployer: HardhatEthersSigner): Promise<Operation[]> {
  const registryAddress = await deployPeer("SchemaRegistry", deployer);
  const registry = peer("SchemaRegistry", registryAddress, deployer);
  const eas = peer("EAS", await deployPeer("EAS", deployer, [registryAddress]), deployer);
  const registered = await (await registry.getFunction("register").send(EAS_SCHEMA, ZeroAddress, true)).wait();
  const schema = String(eventArg(registered, registry.interface, "Registered", "uid"));

  const attestation = (seq: number) => ({
    schema,
    data: {
      recipient: addressFor("eas.recipient", seq),
      expirationTime: 0n,
      revocable: true,
      refUID: ZeroHash,
      data: abi.encode(["bytes32"], [digestFor("eas.attest", seq)]),
      value: 0n,
    },
  });
  // Only the hash is kept while timing; the uid is read from the receipt afterwards, untimed.
  const attestTxs = new Map<number, string>();
  const attest = op({
    id: "eas.attest",
    system: "peer",
    project: "EAS",
    label: "attest",
    items: 1,
    throughput: true,
    call: (seq) => async () => {
      const tx = await eas.getFunction("attest").send(attestation(seq));
      attestTxs.set(seq, tx.hash);
      return tx;
    },
    verify: async (seq) => {
      const receipt = await deployer.provider.getTransactionReceipt(attestTxs.get(seq) ?? ZeroHash);
      const uid = eventArg(receipt, eas.interface, "Attested", "uid");
      check(await eas.getFunction("isAttestationValid").staticCall(uid), "EAS attestation valid");
    },
  });

  const revokedUids = new Map<number, string>();
  const revoke: Operation = {
    id: "eas.revoke",
    system: "peer",
    project: "EAS",
    label: "revoke",
    items: 1,
    throughput: true,
    // The attestation to revoke is made untimed, in set-up.
    prepare: async (seq) => {
      const receipt = await (await eas.getFunction("attest").send(attestation(1_000_000 + seq))).wait();
      const uid = String(eventArg(receipt, eas.interface, "Attested", "uid"));
      revokedUids.set(seq, uid);
      return () => eas.getFunction("revoke").send({ schema, data: { uid, value: 0n } });
    },
    verify: async (seq) => {
      const record = (await eas.getFunction("getAttestation").staticCall(revokedUids.get(seq))) as {
        revocationTime: bigint;
      };
      check(record.revocationTime !== 0n, "EAS attestation revoked");
    },
  };

  const timestamp = op({
    id: "eas.timestamp",
    system: "peer",
    project: "EAS",
    label: "timestamp",
    items: 1,
    throughput: true,
    call: (seq) => () => eas.getFunction("timestamp").send(digestFor("eas.timestamp", seq)),
    verify: async (seq) =>
      check(
        (await eas.getFunction("getTimestamp").staticCall(digestFor("eas.timestamp", seq))) !== 0n,
        "EAS timestamped",
      ),
  });
  const multi = BATCH_SIZES.map((size) =>
    op({
      id: `eas.multiTimestamp.${size}`,
      system: "peer",
      project: "EAS",
      label: `multiTimestamp ×${size}`,
      items: size,
      throughput: false,
      call: (seq) => () =>
        eas.getFunction("multiTimestamp").send(batchDigests(`eas.multiTimestamp.${size}`, seq, size)),
      verify: async (seq) => {
        const last = batchDigests(`eas.multiTimestamp.${size}`, seq, size)[size - 1];
        check((await eas.getFunction("getTimestamp").staticCall(last)) !== 0n, "EAS batch timestamped");
      },
    }),
  );
  return [timestamp, ...multi, attest, revoke];
}

async function ethrDidOperations(ctx: BenchContext, deployer: HardhatEthersSigner): Promise<Operation[]> {
  const address = await deployPeer("EthereumDIDRegistry", deployer);
  // Each run is a brand-new DID: its own key, never used before, owning itself.
  const did = async (what: string, seq: number) => {
    const identity = addressFor(what, seq);
    return { identity, registry: peer("EthereumDIDRegistry", address, await freshSigner(ctx.hre, identity)) };
  };
  const changeOwner: Operation = {
    id: "ethr-did.changeOwner",
    system: "peer",
    project: "ethr-did-registry",
    label: "changeOwner (new DID)",
    items: 1,
    throughput: true,
    prepare: async (seq) => {
      const { identity, registry } = await did("ethr.changeOwner", seq);
      return () => registry.getFunction("changeOwner").send(identity, addressFor("ethr.newOwner", seq));
    },
    verify: async (seq) => {
      const { identity, registry } = await did("ethr.changeOwner", seq);
      const owner = String(await registry.getFunction("identityOwner").staticCall(identity));
      check(owner === addressFor("ethr.newOwner", seq), "ethr-did owner changed");
    },
  };
  const setAttribute: Operation = {
    id: "ethr-did.setAttribute",
    system: "peer",
    project: "ethr-did-registry",
    label: "setAttribute (new DID, 33-byte key)",
    items: 1,
    throughput: true,
    prepare: async (seq) => {
      const { identity, registry } = await did("ethr.setAttribute", seq);
      const publicKey = concat(["0x02", digestFor("ethr.key", seq)]);
      return () => registry.getFunction("setAttribute").send(identity, DID_ATTRIBUTE, publicKey, DID_VALIDITY);
    },
    verify: async (seq) => {
      const { identity, registry } = await did("ethr.setAttribute", seq);
      check((await registry.getFunction("changed").staticCall(identity)) !== 0n, "ethr-did attribute set");
    },
  };
  return [changeOwner, setAttribute];
}

/**
 * ONCHAINID: an identity whose management key adds claims signed by a ClaimIssuer's key, the
 * issuer-signed flow the contract checks on chain (ClaimIssuer.isClaimValid) before storing.
 */
async function onchainIdOperations(
  deployer: HardhatEthersSigner,
  issuerKey: HardhatEthersSigner,
  holderKey: HardhatEthersSigner,
): Promise<Operation[]> {
  const issuer = peer("ClaimIssuer", await deployPeer("ClaimIssuer", deployer, [issuerKey.address]), issuerKey);
  const identityAddress = await deployPeer("Identity", deployer, [holderKey.address, false]);
  const identity = peer("Identity", identityAddress, holderKey);
  const issuerAddress = await issuer.getAddress();
  // A fresh topic per run: each run stores a new claim, as a first issuance does.
  const claim = async (seq: number) => {
    const topic = 1_000_000n + BigInt(seq);
    const data = digestFor("onchainid.claim", seq);
    const signed = keccak256(abi.encode(["address", "uint256", "bytes"], [identityAddress, topic, data]));
    return { topic, data, signature: await issuerKey.signMessage(getBytes(signed)) };
  };
  const addClaim: Operation = {
    id: "onchainid.addClaim",
    system: "peer",
    project: "ONCHAINID",
    label: "addClaim (issuer-signed)",
    items: 1,
    throughput: true,
    prepare: async (seq) => {
      const { topic, data, signature } = await claim(seq);
      return () => identity.getFunction("addClaim").send(topic, ECDSA_SCHEME, issuerAddress, signature, data, "");
    },
    verify: async (seq) => {
      const { topic, data, signature } = await claim(seq);
      const claimId = keccak256(abi.encode(["address", "uint256"], [issuerAddress, topic]));
      const stored = (await identity.getFunction("getClaim").staticCall(claimId)) as { issuer: string };
      check(stored.issuer === issuerAddress, "ONCHAINID claim stored");
      const valid = (await issuer
        .getFunction("isClaimValid")
        .staticCall(identityAddress, topic, signature, data)) as boolean;
      check(valid, "ONCHAINID claim valid at its issuer");
    },
  };
  // The check a verifier makes of a claim it read from the identity: the issuer's signature over
  // (identity, topic, data) by a key of the issuer, and the signature not revoked. A view.
  const isClaimValid: ViewOperation = {
    id: ONCHAINID_IS_CLAIM_VALID,
    kind: "view",
    system: "peer",
    project: "ONCHAINID",
    label: "isClaimValid (issuer-signed claim)",
    items: 1,
    throughput: false,
    // The claim is really added first, untimed, with a fresh topic, as the addClaim row adds it.
    prepare: async (seq) => {
      const { topic, data, signature } = await claim(seq);
      const added = identity.getFunction("addClaim").send(topic, ECDSA_SCHEME, issuerAddress, signature, data, "");
      const receipt = await (await added).wait();
      check(receipt?.status === 1, "ONCHAINID claim added");
      return viewCall(issuer, "isClaimValid", [identityAddress, topic, signature, data]);
    },
    verify: async (seq) => {
      const { topic, data, signature } = await claim(seq);
      const claimId = keccak256(abi.encode(["address", "uint256"], [issuerAddress, topic]));
      const stored = (await identity.getFunction("getClaim").staticCall(claimId)) as { signature: string };
      check(stored.signature === signature, "ONCHAINID claim stored with its signature");
      const valid = (await issuer
        .getFunction("isClaimValid")
        .staticCall(identityAddress, topic, signature, data)) as boolean;
      check(valid, "ONCHAINID claim valid at its issuer");
    },
  };
  return [addClaim, isClaimValid];
}

export const peersSuite: Suite = {
  name: "peers",
  async setup(ctx) {
    const signers = await ctx.hre.ethers.getSigners();
    const [deployer] = signers;
    const floor = await new Floor__factory(deployer).deploy();
    await floor.waitForDeployment();
    return [
      ...floorOperations(floor),
      ...(await easOperations(deployer)),
      ...(await ethrDidOperations(ctx, deployer)),
      // Accounts #5 and #6: not councillors, so the consortium suite's nonces are untouched.
      ...(await onchainIdOperations(deployer, signers[5], signers[6])),
    ];
  },
  rows: [
    { module: "notarization", operation: "timestamp a digest", peer: "eas.timestamp", floor: FLOOR_SINGLE },
    ...BATCH_SIZES.map((size): RowSpec => ({
      module: "notarization",
      operation: `multiTimestamp ×${size}`,
      peer: `eas.multiTimestamp.${size}`,
      floor: floorBatch(size),
    })),
    { module: "identity", operation: "attest a claim (schema: bytes32)", peer: "eas.attest", floor: FLOOR_SINGLE },
    { module: "identity", operation: "revoke a claim", peer: "eas.revoke", floor: FLOOR_SINGLE },
    { module: "identity", operation: "changeOwner (new DID)", peer: "ethr-did.changeOwner", floor: FLOOR_SINGLE },
    {
      module: "identity",
      operation: "setAttribute (new DID)",
      peer: "ethr-did.setAttribute",
      floor: FLOOR_SINGLE,
    },
    { module: "identity", operation: "addClaim (issuer-signed)", peer: "onchainid.addClaim", floor: FLOOR_SINGLE },
  ],
};
