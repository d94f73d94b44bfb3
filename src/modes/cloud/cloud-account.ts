// Registration on the cloud gateway (docs/api/account-and-registration.md#on-the-cloud-gateway): POST /v1/account
// → POST /{PNID}/request_code, and POST /v1/account/verify → POST /{PNID}/verify_code then POST /{PNID}/register.
// The routes' answers keep their On-Prem shapes (201 already registered, 202 {account:[{vname}]}, 201 on verify).
// The On-Prem `cert` is still checked (the 202 answer names its vname) but Cloud does not use it.
//
// Cloud's register needs a six-digit PIN (it becomes the two-step PIN when none was set): the `pin` of the
// POST /v1/account request is kept in this node's memory until verify, never stored. Register is limited by Meta
// to 10 calls per 72 h per number (133016, answered as Meta's error translated).
import type { AccountService } from '../../services/account.js';
import { readCode, readCodeRequest, type BusinessNumber } from '../../services/account-rules.js';
import { fail, ok, type Result } from '../../lib/result.js';
import type { CloudGateway } from './cloud-gateway.js';
import type { GraphClient } from './graph-client.js';

export interface CloudAccountDeps {
  local: AccountService;
  graph: GraphClient;
  gateway: CloudGateway;
  phoneNumberId: string;
  business: BusinessNumber;
  /** Meta's language for the code's SMS or call. */
  language?: string;
}

const PIN_NEEDED =
  'pin: Cloud API registration needs the 6-digit two-step PIN; request the code with POST /v1/account including "pin"';

export function createCloudAccount(deps: CloudAccountDeps): AccountService {
  const { graph, phoneNumberId } = deps;
  let pendingPin: string | null = null;

  return {
    ...deps.local,

    async requestCode(body) {
      const request = readCodeRequest(body, deps.business, 'WA_CLOUD_BUSINESS_NUMBER');
      if (!request.ok) return request;
      if ((await deps.gateway.refresh()) === 'connected') return ok({ alreadyRegistered: true });
      // Asked before Meta sends a code: Cloud's register step needs the PIN, and a code spent for nothing counts.
      if (body.pin === undefined) return fail('missingParameter', PIN_NEEDED);
      await graph.call({
        method: 'POST',
        path: `/${phoneNumberId}/request_code`,
        json: { code_method: request.value.method.toUpperCase(), language: deps.language ?? 'en_US' },
      });
      pendingPin = body.pin ?? null;
      return ok({ alreadyRegistered: false, vname: request.value.vname });
    },

    async verify(input: string): Promise<Result<void>> {
      const code = readCode(input);
      if (!code.ok) return code;
      if (pendingPin === null)
        return fail(
          'missingParameter',
          `${PIN_NEEDED} (a code requested through another node or before a restart is not known here)`,
        );
      await graph.call({ method: 'POST', path: `/${phoneNumberId}/verify_code`, json: { code: code.value } });
      await graph.call({
        method: 'POST',
        path: `/${phoneNumberId}/register`,
        json: { messaging_product: 'whatsapp', pin: pendingPin },
      });
      pendingPin = null;
      await deps.gateway.refresh();
      return ok(undefined);
    },
  };
}
