import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@gemeng/database';

export const ID_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'id', 'src', 'main.js');
export const CLIENT = { clientId: 'gemeng', clientSecret: 'test-client-secret' };
export const DEMO_PASSWORD = 'gemeng-demo';

export interface TestIdentityProvider {
  issuer: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The local OpenID provider (built by `npm test`'s pretest step) in a process of its own: it is an ES
 * module, which jest cannot load. The issuer is on 127.0.0.1, which Node and the test browser reach.
 */
export async function startTestIdentityProvider(originPattern: string, port?: number): Promise<TestIdentityProvider> {
  port ??= await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [ID_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT_ID: String(port),
      ID_ISSUER: issuer,
      ID_CLIENTS: JSON.stringify([{ ...CLIENT, originPattern }]),
      TENANTS_DIR: join(__dirname, '..', '..', 'tenants'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  while (!output.includes(`ready ${issuer}`)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`The identity provider did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    issuer,
    port,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
