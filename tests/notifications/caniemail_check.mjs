// Can I email (caniemail.com) support of rendered emails, through doiuse-email.
// Usage: node caniemail_check.mjs CLIENT_GLOBS_JSON FILE... -> {"FILE": {"errors": [...], "notes": [...]}}
import { readFileSync } from 'node:fs';
import { doIUseEmail } from 'doiuse-email';

const [clientsJson, ...files] = process.argv.slice(2);
const emailClients = JSON.parse(clientsJson);
const report = {};
for (const file of files) {
  const result = doIUseEmail(readFileSync(file, 'utf8'), { emailClients });
  report[file] = { errors: [...new Set(result.errors ?? [])], notes: [...new Set(result.notes ?? [])] };
}
process.stdout.write(JSON.stringify(report));
