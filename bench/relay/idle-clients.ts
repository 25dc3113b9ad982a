/** Helper process: opens N authenticated device connections to the relay and holds them. Prints `ready <n>`. */
import { BenchClient, privFromPkcs8 } from './common.js';

const [url, team, device, countS] = process.argv.slice(2);
const priv = privFromPkcs8(process.env.BENCH_DEVICE_KEY!);
const count = Number(countS);
const held: BenchClient[] = [];
let next = 0;
async function worker() {
  while (next < count) {
    next++;
    held.push(await BenchClient.connect(url!, team!, { method: 'device', id: device!, priv }));
  }
}
await Promise.all(Array.from({ length: 100 }, worker));
process.stdout.write(`ready ${held.length}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
