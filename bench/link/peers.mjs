// Node peers of bench/link: crypto HMAC-SHA-512/256 over the same message
// size as a preview link (base64url tag), and jose's JWT with HS256 and
// EdDSA (Ed25519). CPU time (process.cpuUsage) for SECONDS each.
//   node peers.mjs ORIGIN SECONDS  -> "name sign_per_s verify_per_s" lines
import crypto from "node:crypto";
import { SignJWT, jwtVerify, generateKeyPair } from "jose";

const origin = process.argv[2] || "https://news.example";
const seconds = Number(process.argv[3] || 1);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

async function rate(fn) {
  let n = 0;
  const t0 = cpu();
  for (;;) {
    for (let i = 0; i < 200; i++) await fn(i);
    n += 200;
    const dt = cpu() - t0;
    if (dt >= seconds) return n / dt;
  }
}
function rateSync(fn) {
  let n = 0;
  const t0 = cpu();
  for (;;) {
    for (let i = 0; i < 1000; i++) fn(i);
    n += 1000;
    const dt = cpu() - t0;
    if (dt >= seconds) return n / dt;
  }
}

// Node HMAC: the copydesk message layout, sha512 truncated to 32 bytes.
const key = crypto.randomBytes(32);
const prefix = Buffer.concat([Buffer.from("\0\0\0\x13copydesk-preview-v1"),
  Buffer.from([0, 0, 0, origin.length]), Buffer.from(origin), Buffer.from("\0\0\0\x07preview")]);
const body = crypto.randomBytes(46);
const tag = (b) => crypto.createHmac("sha512", key).update(prefix).update(b).digest().subarray(0, 32);
const hsign = rateSync((i) => { body[10] = i & 255; return Buffer.concat([body, tag(body)]).toString("base64url"); });
const token = Buffer.concat([body, tag(body)]).toString("base64url");
const hverify = rateSync(() => {
  const raw = Buffer.from(token, "base64url");
  return crypto.timingSafeEqual(raw.subarray(46), tag(raw.subarray(0, 46)));
});
console.log(`node-hmac ${hsign.toFixed(0)} ${hverify.toFixed(0)}`);

const claims = { article: 42, revision: 0, epoch: 0, editor: 7, once: false };
const secret = crypto.randomBytes(32);
const jwtSign = (k, alg) => new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt()
  .setExpirationTime("2h").setAudience(origin).sign(k);
const hs = await rate(() => jwtSign(secret, "HS256"));
const hst = await jwtSign(secret, "HS256");
const hv = await rate(() => jwtVerify(hst, secret, { audience: origin }));
console.log(`jose-hs256 ${hs.toFixed(0)} ${hv.toFixed(0)}`);
const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
const es = await rate(() => jwtSign(privateKey, "EdDSA"));
const est = await jwtSign(privateKey, "EdDSA");
const ev = await rate(() => jwtVerify(est, publicKey, { audience: origin }));
console.log(`jose-eddsa ${es.toFixed(0)} ${ev.toFixed(0)}`);
