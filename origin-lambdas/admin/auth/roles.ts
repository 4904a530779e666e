/** Roles from weakest to strongest; each role may do everything the roles before it may. */
export const ROLES = ['viewer', 'analyst', 'marketer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role is for: `viewer` reads, `analyst` also reads stats and user rankings,
 * `marketer` also changes campaigns, rules and experiments, `admin` also manages keys, audit
 * and users' privacy requests.
 */
export function roleAllows(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}

/** Who made a request: the key's id and role, recorded in the audit trail. */
export interface Principal {
  readonly keyId: string;
  readonly role: Role;
}
