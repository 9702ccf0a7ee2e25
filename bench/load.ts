/**
 * A keep-alive HTTP load generator (its own process): `connections` clients each sending GET `url`
 * back to back for `seconds`. Prints {requests, errors, statuses} as JSON.
 */
import { Agent, request } from 'node:http';

const [url, connectionsArg, secondsArg] = process.argv.slice(2) as [string, string, string];
const connections = Number(connectionsArg);
const deadline = Date.now() + Number(secondsArg) * 1000;
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const statuses: Record<string, number> = {};
let requests = 0;
let errors = 0;

function one(): Promise<void> {
  return new Promise((resolve) => {
    request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        requests++;
        const key = String(res.statusCode);
        statuses[key] = (statuses[key] ?? 0) + 1;
        resolve();
      });
    })
      .on('error', () => {
        errors++;
        resolve();
      })
      .end();
  });
}

async function client(): Promise<void> {
  while (Date.now() < deadline) {
    await one();
  }
}

void Promise.all(Array.from({ length: connections }, client)).then(() => {
  process.stdout.write(JSON.stringify({ requests, errors, statuses }));
  agent.destroy();
});
