import type { DeployFunction } from "hardhat-deploy/types";
import { authorityOf, deployContext, send } from "../src/deploy/context";
import { CONTRACT_ROLES, SUITE_CONTRACTS, selectorsOf } from "../src/deploy/permissions";
import { GOVERNANCE_ROLES, MEMBER_ROLES, ROLES } from "../src/sdk/roles";

/**
 * Writes the permission table into the authority and seats the council in its governance roles.
 * Every step reads the authority first and sends only what differs, so a re-run is a no-op and an
 * interrupted run resumes.
 */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const authority = await authorityOf(hre, ctx.signer);
  const council = (await hre.deployments.get("Council")).address;
  ctx.log("Wiring the authority");

  for (const contract of SUITE_CONTRACTS) {
    const target = (await hre.deployments.get(contract.name)).address;
    for (const permission of contract.permissions) {
      const role = ROLES[permission.role];
      const selectors = selectorsOf(contract.iface, permission.functions);
      const missing: string[] = [];
      for (const selector of selectors) {
        if ((await authority.getTargetFunctionRole(target, selector)) !== role) missing.push(selector);
      }
      if (missing.length === 0) continue;
      await send(
        ctx,
        `${contract.name}.{${permission.functions.join(",")}} -> ${permission.role}`,
        authority.setTargetFunctionRole(target, missing, role),
      );
    }
  }

  for (const [name, role] of Object.entries(MEMBER_ROLES)) {
    if ((await authority.getRoleAdmin(role)) === GOVERNANCE_ROLES.MEMBER_REGISTRY) continue;
    await send(
      ctx,
      `${name} administered by the member registry`,
      authority.setRoleAdmin(role, GOVERNANCE_ROLES.MEMBER_REGISTRY),
    );
  }
  // Guardians cancel scheduled upgrades at the authority too. ADMIN is locked there (it has no
  // guardian), so every council operation, ADMIN ones included, is also cancellable via Council.cancel.
  if ((await authority.getRoleGuardian(GOVERNANCE_ROLES.UPGRADER)) !== MEMBER_ROLES.GUARDIAN) {
    await send(
      ctx,
      "guardians may cancel scheduled upgrades",
      authority.setRoleGuardian(GOVERNANCE_ROLES.UPGRADER, MEMBER_ROLES.GUARDIAN),
    );
  }

  const grants: [bigint, string, number, string][] = [];
  for (const { role, contract } of CONTRACT_ROLES) {
    grants.push([
      GOVERNANCE_ROLES[role],
      (await hre.deployments.get(contract)).address,
      0,
      `${contract} acts as ${role}`,
    ]);
  }
  grants.push(
    [GOVERNANCE_ROLES.COUNCIL, council, 0, "council decides at once"],
    [GOVERNANCE_ROLES.UPGRADER, council, ctx.delays.upgradeDelay, "council upgrades after a delay"],
    [GOVERNANCE_ROLES.ADMIN, council, ctx.delays.governanceDelay, "council governs after a delay"],
  );
  const [deployerIsAdmin] = await authority.hasRole(GOVERNANCE_ROLES.ADMIN, ctx.deployer);
  for (const [role, account, delay, what] of grants) {
    const [isMember, currentDelay] = await authority.hasRole(role, account);
    if (isMember && Number(currentDelay) === delay) continue;
    if (isMember && !deployerIsAdmin) {
      // After the handover only the council may change a delay: say so rather than fail obscurely.
      throw new Error(
        `role ${role} of ${account} has delay ${currentDelay}s but the configuration says ${delay}s: ` +
          `propose authority.grantRole(${role}, ${account}, ${delay}) through the council`,
      );
    }
    await send(ctx, `${what} (delay ${delay}s)`, authority.grantRole(role, account, delay));
  }
};
func.tags = ["WireConsortium", "consortium"];
func.dependencies = [
  "Council",
  "MemberRegistry",
  "Identity",
  "Evidence",
  "Achievement",
  "Escrow",
  "Licences",
  "TechContracts",
  "Market",
];
export default func;
