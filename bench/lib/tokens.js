'use strict';
// The token pools: RS256 tokens minted before any server starts, one per request, written one per
// line as "<client address> <token>" for the load generator. Signing with a 2048-bit RSA key costs
// about 1 ms a token (25 times its verification), so pools are minted on every core with worker
// threads and kept in bench/results/token-cache/ for later runs while they have hours to live.
// Every server the bench starts is a new process, so a pool reused by another row or run still
// carries tokens that server has never seen; within one server's life no token repeats.
const { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { cpus } = require('node:os');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

const b64url = (value) => Buffer.from(value).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));

function rs256(privateKey, payload) {
  const input = `${HEADER}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** A distinct client address per user, as a reconnect storm comes from many clients. */
function clientAddress(net, userIndex) {
  return `10.${net}.${(userIndex >> 8) & 255}.${userIndex & 255}`;
}

function mintRange({ privateKeyPem, spec, from, to }) {
  const privateKey = createPrivateKey(privateKeyPem);
  const lines = [];
  for (let i = from; i < to; i++) {
    const user = i % spec.users;
    const payload = { sub: `${spec.userPrefix}${user}`, iat: spec.iat, exp: spec.exp, jti: `${spec.nonce}-${i}` };
    lines.push(`${clientAddress(spec.net, user)} ${rs256(privateKey, payload)}`);
  }
  return lines;
}

if (!isMainThread) {
  parentPort.postMessage(mintRange(workerData));
  return;
}

const LIFETIME_S = 24 * 3600;
const MIN_LEFT_S = 2 * 3600;

/** The signing key: the cached one, or a new 2048-bit pair (which retires every cached pool). */
function signingKey(cacheDir, fresh) {
  const file = join(cacheDir, 'signing-key.json');
  if (!fresh && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' });
  const key = {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    publicKeyPem,
    id: createHash('sha256').update(publicKeyPem).digest('hex').slice(0, 16),
  };
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, JSON.stringify(key));
  return key;
}

/**
 * A pool of `count` tokens whose sub cycles through `${userPrefix}0 … ${userPrefix}${users - 1}`,
 * each with its own jti: the cached file when it matches and has hours to live, minted otherwise.
 * Answers the file and whether it was minted now.
 */
async function tokenPool({ cacheDir, key, name, count, users, userPrefix, net }) {
  const file = join(cacheDir, `${name}.txt`);
  const metaFile = join(cacheDir, `${name}.json`);
  const wanted = { key: key.id, count, users, userPrefix, net };
  if (existsSync(file) && existsSync(metaFile)) {
    const { exp, ...meta } = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (JSON.stringify(meta) === JSON.stringify(wanted) && exp - Date.now() / 1000 > MIN_LEFT_S) {
      return { file, count, minted: false };
    }
  }
  const exp = await mintPool({ key, file, count, users, userPrefix, net });
  writeFileSync(metaFile, JSON.stringify({ ...wanted, exp }));
  return { file, count, minted: true };
}

/** Mints the pool into `file`, checking that no line repeats; answers the tokens' exp. */
async function mintPool({ key, file, count, users, userPrefix, net }) {
  const now = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(6).toString('base64url');
  const spec = { users, userPrefix, net, nonce, iat: now, exp: now + LIFETIME_S };
  const workers = Math.max(1, Math.min(cpus().length, Math.ceil(count / 2000)));
  const size = Math.ceil(count / workers);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const from = w * size;
      const to = Math.min(count, from + size);
      return new Promise((resolve, reject) => {
        const worker = new Worker(__filename, { workerData: { privateKeyPem: key.privateKeyPem, spec, from, to } });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    }),
  );
  const lines = parts.flat();
  if (new Set(lines).size !== lines.length || lines.length !== count) {
    throw new Error(`token pool ${file}: ${lines.length} lines, ${new Set(lines).size} distinct, ${count} wanted`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return spec.exp;
}

module.exports = { signingKey, tokenPool, clientAddress, rs256 };
