import { createReadStream } from 'node:fs';
import { readTableStream } from './engine/data/reader';
const f = '/tmp/netloom-bench-data-ttmEY6/numeric.csv';
for (const hw of [1 << 16, 1 << 18, 1 << 20, 1 << 22]) {
  const c0 = process.cpuUsage();
  await readTableStream(createReadStream(f, { highWaterMark: hw }) as AsyncIterable<Uint8Array>);
  const c1 = process.cpuUsage(c0);
  console.log(hw, ((c1.user + c1.system) / 1e6).toFixed(2), 's CPU');
}
