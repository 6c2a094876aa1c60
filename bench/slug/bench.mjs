// npm slugify and @sindresorhus/slugify over the corpus: best of `rounds`
// passes; prints name, seconds, count, bytes, empty.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sindre from '@sindresorhus/slugify';

const require = createRequire(import.meta.url);
const slugify = require('slugify');
const [path, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 3);
const lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);

function run(name, fn) {
  let best = Infinity, empty = 0;
  for (let r = 0; r < rounds; r++) {
    let e = 0;
    const t = process.cpuUsage();
    for (const l of lines) if (fn(l) === '') e++;
    const u = process.cpuUsage(t);
    const s = (u.user + u.system) / 1e6;
    if (s < best) best = s;
    empty = e;
  }
  console.log(`${name}\t${best.toFixed(6)}\t${lines.length}\t${bytes}\t${empty}`);
}

const v = (p) => require(`./node_modules/${p}/package.json`).version;
run(`npm slugify ${v('slugify')} (strict, lower)`, (s) => slugify(s, { lower: true, strict: true }));
run(`npm @sindresorhus/slugify ${v('@sindresorhus/slugify')}`, (s) => sindre(s));
