import { spawn } from 'node:child_process';
import { createSecretKey } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { JwtService } from '@nestjs/jwt';
import autocannon from 'autocannon';

const route = process.argv[2]!;
const secret = 'x'.repeat(40);
const child = spawn(
  process.execPath,
  ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--import', 'tsx', 'test/bench/sample-bench-server.ts'],
  { env: { ...process.env, BENCH_AUTH_SECRET: secret }, stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise<string>((r) =>
  createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('{"url"') && r(JSON.parse(l).url)),
);
const jwt = new JwtService({ secret: createSecretKey(Buffer.from(secret)) });
const bearers = Array.from({ length: 10000 }, (_, i) =>
  jwt.sign({ sub: `u${i}`, tenants: ['bench-tenant'] }, { algorithm: 'HS256', expiresIn: 3600 }),
);
let n = 0;
const res = await autocannon({
  url: `${url}${route}`,
  connections: 20,
  duration: 10,
  requests: [
    {
      setupRequest: (r) => ({
        ...r,
        headers: { ...r.headers, authorization: `Bearer ${bearers[n++ % bearers.length]}` },
      }),
    },
  ],
});
console.log(route, Math.round(res.requests.average), 'req/s', res.non2xx, 'non2xx');
child.kill('SIGTERM');
await once(child, 'exit');
