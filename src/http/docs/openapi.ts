// The OpenAPI 3.1 description of the whole server, made by @fastify/swagger from the route schemas themselves, so a
// route added anywhere later is in it with nothing to list. Served at /openapi.json and /openapi.yaml, public like
// /docs: it describes the old API's published contract and OpenPrem's extensions, and holds no configuration or
// secret (no server URL either: clients resolve paths against wherever they fetched it from).
//
// Made once, on the first request, then served from memory: measured at 25-70 ms for 76 operations (117 kB of JSON,
// 13 kB gzipped), 140 ms when it is the first in the process: too much to add to every node's start (the test suite
// starts hundreds of nodes), little for one request.
import fastifySwagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { describeRoute, finishDocument } from './document.js';
import { ERROR_ENVELOPE_SCHEMA, errorEnvelopeSchema, errorResponses } from './error-responses.js';
import { createStaticFile, sendStaticFile, type StaticFile } from './static-files.js';
import { TAG_TABLE } from './tags.js';

export interface OpenApiDeps {
  config: Pick<Config, 'apiLevel'>;
  node: { readonly version: string };
}

const DESCRIPTION = `A self-hosted server for the WhatsApp Business On-Premises API. Every \`/v1/\` endpoint answers as the old
API did (its status codes, error codes and payload shapes); OpenPrem's own extensions live outside \`/v1/\`
(\`/sandbox\`, \`/x/v1\`, \`/cloud\`) and answer \`meta.api_status\` "experimental".

**Getting a token:** \`POST /v1/users/login\` with Basic credentials answers \`users[0].token\`; send it as
\`Authorization: Bearer <token>\` (in this page: *Authorize* → bearer). The first login of \`admin\` with the default
password must set \`new_password\`.

**Answers** are JSON with a \`meta\` object; every error is \`{"errors":[{"code","title","details"}],"meta"}\` with
the WhatsApp code and the HTTP status of the catalogue listed under each operation. Numbers and booleans may be sent
as strings ("4", "true") wherever a body field is a number or a boolean.`;

const SECURITY_SCHEMES = {
  basic: {
    type: 'http',
    scheme: 'basic',
    description:
      'Only for `POST /v1/users/login`: the username and password, which the answer trades for a bearer token.',
  },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      'The token of `POST /v1/users/login` (`users[0].token`), valid until its `expires_after` (7 days). Logging out, changing the password or deleting the user revokes it: 401 / 1005.',
  },
  apikey: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: [
      "The node's `WA_API_KEY`, sent as `Authorization: Apikey <key>`: the header value is the word `Apikey`, one space, then the key.",
      'An apiKey scheme sends the value exactly as typed, so in *Authorize* type `Apikey ` before the key.',
      'Accepted only on `GET /v1/health`, `/metrics`, `/v1/metrics` and `/v1/stats/*` (monitoring without a user); anywhere else,',
      'and on a node without `WA_API_KEY`, it is refused with 401 / 1005. It cannot log in.',
    ].join(' '),
  },
} as const;

export async function registerOpenApi(app: FastifyInstance, { config, node }: OpenApiDeps): Promise<void> {
  // A cast: the plain JSON-schema objects here fit openapi-types' 3.1 shapes, but not the union of 3.0 and 3.1
  // literal types the plugin's options are declared with.
  await app.register(fastifySwagger, {
    mode: 'dynamic',
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OpenPrem: WhatsApp Business On-Premises API',
        version: node.version,
        summary: `The On-Premises API at level ${config.apiLevel}, with OpenPrem's extensions.`,
        description: DESCRIPTION,
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      tags: TAG_TABLE.map(({ tag, description }) => ({ name: tag, description })),
      components: {
        securitySchemes: SECURITY_SCHEMES,
        schemas: { [ERROR_ENVELOPE_SCHEMA]: errorEnvelopeSchema },
        responses: errorResponses(config.apiLevel),
      },
    },
    transform: describeRoute,
    transformObject: finishDocument,
  } as FastifyDynamicSwaggerOptions);

  // Sent as bytes, never as an object: the response hook that adds `meta` to JSON objects must not touch it.
  let json: StaticFile | null = null;
  let yaml: StaticFile | null = null;
  const routeConfig = { access: 'public', limit: 'default' } as const;
  app.get('/openapi.json', {
    config: routeConfig,
    handler: (request, reply) => {
      json ??= createStaticFile(JSON.stringify(app.swagger()), 'application/json; charset=utf-8');
      return sendStaticFile(request, reply, json);
    },
  });
  app.get('/openapi.yaml', {
    config: routeConfig,
    handler: (request, reply) => {
      yaml ??= createStaticFile(app.swagger({ yaml: true }), 'application/yaml; charset=utf-8');
      return sendStaticFile(request, reply, yaml);
    },
  });
}
