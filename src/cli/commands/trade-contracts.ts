import type { Command } from "commander";
import {
  TECH_CONTRACT_TYPES,
  formatAmount,
  formatDid,
  parseContractAmount,
  parseTechContractNumber,
  registrationNumberProblem,
  type TechContractInput,
  type TechContractRef,
  type TechContractTypeName,
  type TechContractView,
} from "../../sdk";
import { submit, type Cli } from "../cli";
import { deploymentOf } from "../connect";
import { CliError } from "../errors";
import { fields, isoTime, toJson } from "../format";
import { checked, hashInput, parseDidRef, parseId, parseTime } from "../parse";

interface RegisterFlags {
  number: string;
  type: string;
  contract?: string;
  contractHash?: string;
  contractFile?: string;
  seller: string;
  buyer: string;
  amount: string;
  signed: string;
  validFrom: string;
  validUntil: string;
  achievement?: string;
  licence?: string;
  deal?: string;
  dealHash?: string;
  dealFile?: string;
}

/** Contract amounts are kept in fen: shown in yuan with 2 decimals. */
const YUAN_DECIMALS = 2;

/**
 * `trade register-contract`, `trade certify` and `trade contract`: technology-contract registration
 * (技术合同认定登记) and the transaction certificate (交易凭证). A trading centre registers a signed contract
 * under its 16-digit number and later certifies it; anyone shows it, by id or by number. Amounts are in yuan
 * ("300000.00"). Inputs are checked before anything is sent; writes are dry-run, so a refusal prints its
 * decoded reason.
 */
export function tradeContractCommands(trade: Command, cli: Cli): void {
  const chainId = (cmd: Command) => deploymentOf(cli.options(cmd), cli.io).chainId;
  const did = (cmd: Command, input: string, what: string) => parseDidRef(input, chainId(cmd), what);
  const didText = (cmd: Command, id: bigint) => formatDid(chainId(cmd), id);

  trade
    .command("register-contract")
    .description(
      "register a signed technology contract (技术合同认定登记; trading centres, your key's DID is the centre)",
    )
    .requiredOption("--number <digits>", "the 16-digit registration number: year, division code, serial")
    .requiredOption("--type <type>", `the contract type: ${TECH_CONTRACT_TYPES.join(", ")}`)
    .option("--contract <text>", "the signed contract, hashed with keccak256")
    .option("--contract-hash <hash>", "32-byte hash of the signed contract")
    .option("--contract-file <file>", "the signed contract document, hashed with keccak256")
    .requiredOption("--seller <did>", "the seller (assignor, licensor, developer or consultant)")
    .requiredOption("--buyer <did>", "the buyer (assignee, licensee or client)")
    .requiredOption("--amount <yuan>", "the contract amount in yuan, e.g. 300000.00")
    .requiredOption("--signed <time>", "when the contract was signed (ISO date or unix seconds)")
    .requiredOption("--valid-from <time>", "when the contract's validity starts")
    .requiredOption("--valid-until <time>", "when the contract's validity ends (exclusive)")
    .option("--achievement <number>", "the achievement's 12-digit registration number (transfer and licence)")
    .option("--licence <id>", "the licence of the licence register (licence contracts)")
    .option("--deal <text>", "the deal confirmation (成交确认书), hashed with keccak256")
    .option("--deal-hash <hash>", "32-byte hash of the deal confirmation")
    .option("--deal-file <file>", "the deal confirmation document, hashed with keccak256")
    .action((o: RegisterFlags, cmd: Command) => {
      const input = registrationInput(o, cli, (text, what) => did(cmd, text, what));
      return cli.write(cmd, async (s) => {
        const { transactionHash, result: r } = await submit(checked(() => s.ledger.techContracts.register(input)));
        cli.emit(
          cmd,
          toJson({
            ...r,
            centre: didText(cmd, r.centre),
            seller: didText(cmd, r.seller),
            buyer: didText(cmd, r.buyer),
            achievement: r.achievement ?? null,
          }),
          [
            `registered technology contract ${r.id} (${r.number}, ${r.type}, ${formatAmount(r.amount, YUAN_DECIMALS)} yuan): ${didText(cmd, r.seller)} to ${didText(cmd, r.buyer)}, centre ${didText(cmd, r.centre)}`,
            `tx ${transactionHash}`,
          ],
        );
      });
    });

  trade
    .command("certify")
    .description(
      "issue the transaction certificate (交易凭证) of a registered contract (the centre that registered it)",
    )
    .argument("<contract>", "the contract id or its 16-digit registration number")
    .option("--certificate <text>", "the certificate, hashed with keccak256")
    .option("--certificate-hash <hash>", "32-byte hash of the certificate")
    .option("--certificate-file <file>", "the certificate document, hashed with keccak256")
    .action(
      (
        input: string,
        o: { certificate?: string; certificateHash?: string; certificateFile?: string },
        cmd: Command,
      ) => {
        const ref = contractRef(input);
        const certificate = hashInput(
          { hash: o.certificateHash, text: o.certificate, file: o.certificateFile },
          "certificate",
          "--certificate, --certificate-hash or --certificate-file",
          cli.io.cwd,
        );
        if (certificate === undefined) {
          throw new CliError(
            "missing certificate: pass --certificate <text>, --certificate-hash <hash> or --certificate-file <file>",
          );
        }
        return cli.write(cmd, async (s) => {
          const call = checked(() => s.ledger.techContracts.certify(ref, certificate));
          const { transactionHash, result: r } = await submit(call);
          cli.emit(cmd, toJson({ ...r, centre: didText(cmd, r.centre) }), [
            `certified technology contract ${r.id} (${didText(cmd, r.centre)}): certificate ${r.certificateHash}`,
            `tx ${transactionHash}`,
          ]);
        });
      },
    );

  trade
    .command("contract")
    .description("show a technology contract: number, type, parties, amount, dates, subject, status, certificate")
    .argument("<contract>", "the contract id or its 16-digit registration number")
    .action((input: string, _o, cmd: Command) => {
      const ref = contractRef(input);
      return cli.read(cmd, async (s) => {
        const v = await s.ledger.techContracts.show(ref);
        const d = (x: bigint) => didText(cmd, x);
        cli.emit(cmd, viewJson(v, d), viewLines(v, d));
      });
    });
}

/** The registration as the SDK takes it, every flag checked; nothing is read from the chain yet. */
function registrationInput(
  o: RegisterFlags,
  cli: Cli,
  did: (input: string, what: string) => bigint,
): TechContractInput {
  const number = checked(() => parseTechContractNumber(o.number));
  const type = o.type.trim().toLowerCase() as TechContractTypeName;
  if (!TECH_CONTRACT_TYPES.includes(type)) {
    throw new CliError(`--type "${o.type}" is not valid: expected one of ${TECH_CONTRACT_TYPES.join(", ")}`);
  }
  const contractHash = hashInput(
    { hash: o.contractHash, text: o.contract, file: o.contractFile },
    "contract",
    "--contract, --contract-hash or --contract-file",
    cli.io.cwd,
  );
  if (contractHash === undefined) {
    throw new CliError("missing contract: pass --contract <text>, --contract-hash <hash> or --contract-file <file>");
  }
  const dealRef = hashInput(
    { hash: o.dealHash, text: o.deal, file: o.dealFile },
    "deal reference",
    "--deal, --deal-hash or --deal-file",
    cli.io.cwd,
  );
  const amount = checked(() => parseContractAmount(o.amount));
  if (o.achievement !== undefined) {
    const problem = registrationNumberProblem(o.achievement);
    if (problem)
      throw new CliError(`--achievement ${problem}: expected the achievement's 12-digit registration number`);
  }
  return {
    number,
    type,
    contractHash,
    seller: did(o.seller, "--seller"),
    buyer: did(o.buyer, "--buyer"),
    amount,
    signedAt: parseTime(o.signed, "--signed"),
    validFrom: parseTime(o.validFrom, "--valid-from"),
    validUntil: parseTime(o.validUntil, "--valid-until"),
    ...(o.achievement === undefined ? {} : { achievement: BigInt(o.achievement.trim()) }),
    ...(o.licence === undefined ? {} : { licence: parseId(o.licence, "--licence") }),
    ...(dealRef === undefined ? {} : { dealRef }),
  };
}

/** A contract id or a 16-digit registration number. */
function contractRef(input: string): TechContractRef {
  const text = input.trim();
  if (/^\d{16}$/.test(text)) return checked(() => parseTechContractNumber(text));
  if (/^\d{1,12}$/.test(text) && BigInt(text) > 0n) return BigInt(text);
  throw new CliError(
    `contract "${input}" is not valid: expected a contract id such as 1 or a 16-digit registration number such as 2026310104000117`,
  );
}

function viewJson(v: TechContractView, did: (id: bigint) => string): unknown {
  return toJson({
    ...v,
    centre: did(v.centre),
    seller: did(v.seller),
    buyer: did(v.buyer),
    achievement: v.achievement ?? null,
    licence: v.licence ?? null,
    dealRef: v.dealRef ?? null,
    certificateHash: v.certificateHash ?? null,
  });
}

function viewLines(v: TechContractView, did: (id: bigint) => string): string[] {
  return fields([
    ["contract", v.id.toString()],
    ["number", v.number.toString()],
    ["type", v.type],
    ["status", v.status],
    ["centre", did(v.centre)],
    ["seller", did(v.seller)],
    ["buyer", did(v.buyer)],
    ["amount", `${formatAmount(v.amount, YUAN_DECIMALS)} yuan`],
    ["signed", isoTime(v.signedAt)],
    ["valid", `${isoTime(v.validFrom)} to ${isoTime(v.validUntil)}`],
    ["achievement", v.achievement?.toString() ?? "-"],
    ["licence", v.licence?.toString() ?? "-"],
    ["document", v.contractHash],
    ["deal", v.dealRef ?? "-"],
    ["certificate", v.certificateHash ?? "-"],
  ]);
}
