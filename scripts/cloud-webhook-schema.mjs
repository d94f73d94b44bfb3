#!/usr/bin/env node
// Regenerates test/fixtures/cloud-webhook-schema.json, the JSON Schema of Meta's webhooks the cloud tests check
// their payloads against, from Meta's OpenAPI (github.com/facebook/openapi, business-messaging-api_v23.0.yaml, MIT):
//   node scripts/cloud-webhook-schema.mjs <path to the yaml>
// Meta's file names its inbound message schemas like the outbound ones and the webhook references the wrong ones
// (its TextMessage is the send body): the references are followed to the inbound twins (TextMessage_2,
// ImageMessage_1, …); `discriminator` and `example` are dropped, as Ajv does not need them.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const INBOUND_TWINS = {
  BaseMessageProperties: 'BaseMessageProperties_1',
  TextMessage: 'TextMessage_2',
  ReactionMessage: 'ReactionMessage_1',
  AudioMessage: 'AudioMessage_1',
  DocumentMessage: 'DocumentMessage_1',
  ImageMessage: 'ImageMessage_1',
  StickerMessage: 'StickerMessage_1',
  VideoMessage: 'VideoMessage_1',
  LocationMessage: 'LocationMessage_1',
  ContactObject: 'ContactObject_1',
  ErrorObject: 'ErrorObject_2',
};

const source = process.argv[2];
if (!source) throw new Error('usage: node scripts/cloud-webhook-schema.mjs <business-messaging-api_v23.0.yaml>');
const all = parse(readFileSync(source, 'utf8')).components.schemas;
const defs = {};

function rewrite(node) {
  if (Array.isArray(node)) return node.map(rewrite);
  if (typeof node !== 'object' || node === null) return node;
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'discriminator' || key === 'example') continue;
    if (key === '$ref' && typeof value === 'string') {
      const name = value.replace('#/components/schemas/', '');
      const twin = INBOUND_TWINS[name] ?? name;
      include(twin);
      copy.$ref = `#/$defs/${twin}`;
    } else copy[key] = rewrite(value);
  }
  return copy;
}

function include(name) {
  if (name in defs) return;
  if (!(name in all)) throw new Error(`the spec has no schema ${name}`);
  defs[name] = {};
  defs[name] = rewrite(all[name]);
}

include('WebhookPayload');
const schema = {
  $comment:
    "Meta's WebhookPayload (facebook/openapi business-messaging-api_v23.0.yaml, MIT); regenerate with scripts/cloud-webhook-schema.mjs",
  $ref: '#/$defs/WebhookPayload',
  $defs: defs,
};
writeFileSync(
  new URL('../test/fixtures/cloud-webhook-schema.json', import.meta.url),
  `${JSON.stringify(schema, null, 1)}\n`,
);
