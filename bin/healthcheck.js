#!/usr/bin/env node
// The container's HEALTHCHECK: exits 0 when this node's `GET /` answers 200 (it does, without authentication, while
// the node serves), 1 otherwise. It reads the node's own configuration (WA_* and WA_CONFIG_FILE), so it follows
// WA_PORT and speaks HTTPS when WA_TLS or WA_TLS_CERT is set. Node itself rather than curl: the image has no curl.
import http from 'node:http';
import https from 'node:https';
import { loadConfig } from '../dist/config.js';

// Below the Dockerfile's HEALTHCHECK --timeout (3 s), so a hung node is reported by this script, not killed.
const TIMEOUT_MS = 2500;

// A wildcard listens on loopback too; a specific address is asked where it listens.
function reachableHost(host) {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host;
}

function check() {
  const config = loadConfig(process.env);
  const client = config.tls ? https : http;
  const request = client.get(
    {
      hostname: reachableHost(config.host),
      port: config.port,
      path: '/',
      timeout: TIMEOUT_MS,
      // Liveness, not identity: a self-signed certificate, or one issued for the balancer's name, is fine here.
      rejectUnauthorized: false,
    },
    (response) => {
      response.resume();
      if (response.statusCode !== 200) console.error(`GET / answered ${response.statusCode}`);
      process.exit(response.statusCode === 200 ? 0 : 1);
    },
  );
  request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
  request.on('error', (error) => {
    console.error(`GET / failed: ${error.message}`);
    process.exit(1);
  });
}

try {
  check();
} catch (error) {
  console.error(`healthcheck: ${error.message}`);
  process.exit(1);
}
