import { quoteIdent } from '@gemeng/database';
import { testServer, withAdmin } from './test-server';

/** Drops the template (test files drop their own databases) and stops the embedded server, if any. */
export default async function globalTeardown(): Promise<void> {
  const server = testServer();
  await withAdmin(server.adminUrl, (admin) =>
    admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(server.template)} WITH (FORCE)`),
  );
  await globalThis.gemengEmbeddedServer?.stop();
}
