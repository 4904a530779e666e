import { parseArgs } from 'node:util';
import { createDocumentClient } from '../common/aws-clients';
import { issueKey } from './auth/issue';
import { ROLES, type Role } from './auth/roles';
import { ApiKeyStore } from './auth/store';

const USAGE = `usage: npm run admin -- create-key --role <${ROLES.join('|')}> [--name <name>] [--expires-in-days <n>]

Issues an API key against the DynamoDB the local stack uses (DYNAMODB_ENDPOINT, default
http://127.0.0.1:8793; ATTUNE_TABLE_PREFIX, default attune-local). The key is printed once.`;

/** `create-key`: bootstraps the first admin key, or any key, straight into the keys table. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'create-key') {
    console.error(USAGE);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      role: { type: 'string' },
      name: { type: 'string', default: 'bootstrap' },
      'expires-in-days': { type: 'string' },
    },
  });
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) {
    console.error(`--role must be one of ${ROLES.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const days = values['expires-in-days'] ? Number(values['expires-in-days']) : undefined;
  if (days !== undefined && !(days > 0)) {
    console.error('--expires-in-days must be a positive number');
    return 2;
  }
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8793';
  const prefix = process.env.ATTUNE_TABLE_PREFIX ?? 'attune-local';
  const doc = createDocumentClient({ endpoint });
  try {
    const { record, plaintext } = await issueKey(new ApiKeyStore(doc, prefix), {
      role,
      name: values.name as string,
      expiresInDays: days,
      createdBy: 'cli',
    });
    console.log(
      `key_id: ${record.key_id}\nrole:   ${record.role}\nkey:    ${plaintext}\n\nStore it now: it is not shown again.`,
    );
    return 0;
  } finally {
    doc.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`create-key failed: ${err.message}`);
    process.exit(1);
  },
);
