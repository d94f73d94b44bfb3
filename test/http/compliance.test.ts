// GET/POST /v1/settings/business/compliance_info (Meta's v2.37 collection; the business's legal entity and contacts
// shown to customers in India) on the sandbox: empty until given, Meta's examples and a real client's whole-form
// body accepted and normalised, every rule refused in the envelope naming its field, a refusal changing nothing.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { startAdminNode, suiteScope, type TestNode } from '../support/harness.js';

const URL = '/v1/settings/business/compliance_info';
// Meta's own example (the Cloud API's complete_update, which is the On-Premises page's body without messaging_product).
const META_EXAMPLE = {
  entity_name: 'Lucky Shrub Private Limited',
  entity_type: 'PARTNERSHIP',
  is_registered: true,
  grievance_officer_details: {
    name: 'Chandravati P.',
    email: 'chandravati@luckyshrub.com',
    mobile_number: '+913854559033',
    landline_number: '+913857614343',
  },
  customer_care_details: {
    email: 'support@luckyshrub.com',
    mobile_number: '+913854559033',
    landline_number: '+913857614343',
  },
};

describe('business compliance information', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));

  const get = async () => {
    const response = await t.request({ url: URL, token: admin });
    assert.equal(response.status, 200, response.text);
    return response.body.settings.business.compliance_info;
  };
  const post = (body: unknown) => t.request({ method: 'POST', url: URL, token: admin, body });

  it('answers an empty object before any was given', async () => {
    assert.deepEqual(await get(), {});
  });

  it("stores Meta's example whole and answers it in the page's shape", async () => {
    const response = await post(META_EXAMPLE);
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body, { meta: { api_status: 'stable', version: 'v2.53.0' } });
    assert.deepEqual(await get(), { ...META_EXAMPLE, entity_type_custom: '' });
  });

  it("takes a client's whole form: nulls for none, the type in words, spaced phone numbers, false where it does not apply", async () => {
    const response = await post({
      entity_name: ' Acme Traders ',
      entity_type: 'Private Company',
      entity_type_custom: null,
      is_registered: false,
      grievance_officer_details: {
        name: 'Rajesh Kumar',
        email: 'rajesh@acme.example',
        mobile_number: '+91 89012-34567',
        landline_number: null,
      },
      customer_care_details: { email: 'care@acme.example', mobile_number: '', landline_number: '+91 (80) 4000 1234' },
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(await get(), {
      entity_name: 'Acme Traders',
      entity_type: 'PRIVATE_COMPANY',
      entity_type_custom: '',
      is_registered: false,
      grievance_officer_details: { name: 'Rajesh Kumar', email: 'rajesh@acme.example', mobile_number: '+918901234567' },
      customer_care_details: { email: 'care@acme.example', landline_number: '+918040001234' },
    });
    const row = await t.node.db.db.selectFrom('business_compliance').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.is_registered, null, 'not stored for a type that does not take it');
  });

  it('OTHER takes entity_type_custom and is_registered', async () => {
    const body = {
      ...META_EXAMPLE,
      entity_type: 'OTHER',
      entity_type_custom: 'Limited Liability Partnership',
      is_registered: false,
    };
    assert.equal((await post(body)).status, 200);
    assert.deepEqual(await get(), body);
  });

  it('refuses each broken rule with the code that names the field, and keeps what was stored', async () => {
    const before = await get();
    const officer = META_EXAMPLE.grievance_officer_details;
    const care = META_EXAMPLE.customer_care_details;
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ entity_name: undefined }, 1008, /^missing required parameter entity_name$/],
      [{ entity_type: undefined }, 1008, /^missing required parameter entity_type$/],
      [{ grievance_officer_details: undefined }, 1008, /^missing required parameter grievance_officer_details$/],
      [{ customer_care_details: undefined }, 1008, /^missing required parameter customer_care_details$/],
      [{ entity_name: 'A' }, 1009, /^entity_name must be 2 to 128 characters long$/],
      [{ entity_name: 'x'.repeat(129) }, 1009, /^entity_name must be 2 to 128/],
      [{ entity_name: 42 }, 1009, /^entity_name must be of type string$/],
      [
        { entity_type: 'TRUST' },
        1009,
        /^entity_type must be one of LIMITED_LIABILITY_PARTNERSHIP, SOLE_PROPRIETORSHIP, PARTNERSHIP, PUBLIC_COMPANY, PRIVATE_COMPANY, OTHER/,
      ],
      [{ entity_type: 'OTHER', is_registered: true }, 1008, /^missing required parameter entity_type_custom/],
      [
        { entity_type: 'PARTNERSHIP', entity_type_custom: 'LLP' },
        1009,
        /^entity_type_custom is only for entity_type OTHER$/,
      ],
      [
        { entity_type: 'PARTNERSHIP', is_registered: null },
        1008,
        /^missing required parameter is_registered: entity_type PARTNERSHIP needs it$/,
      ],
      [
        { entity_type: 'SOLE_PROPRIETORSHIP', is_registered: true },
        1009,
        /^is_registered is only for entity_type OTHER or PARTNERSHIP$/,
      ],
      [{ is_registered: 'maybe' }, 1009, /^is_registered must be of type boolean,null$/],
      [
        { grievance_officer_details: { email: officer.email } },
        1008,
        /^missing required parameter grievance_officer_details\.name$/,
      ],
      [
        { grievance_officer_details: { ...officer, name: ' ' } },
        1009,
        /^grievance_officer_details\.name must be 1 to 128/,
      ],
      [
        { grievance_officer_details: { ...officer, email: 'not-an-email' } },
        1009,
        /^grievance_officer_details\.email must be an email address/,
      ],
      [
        { grievance_officer_details: { ...officer, mobile_number: '3854559033' } },
        1009,
        /^grievance_officer_details\.mobile_number must be an international phone number/,
      ],
      [
        { grievance_officer_details: { ...officer, fax: '+1' } },
        1010,
        /^grievance_officer_details\.fax is not an accepted parameter$/,
      ],
      [
        { customer_care_details: { email: care.email } },
        1008,
        /^missing required parameter customer_care_details\.mobile_number or customer_care_details\.landline_number$/,
      ],
      [
        { customer_care_details: { ...care, landline_number: '+0 123' } },
        1009,
        /^customer_care_details\.landline_number must be an international/,
      ],
      [
        { customer_care_details: { mobile_number: care.mobile_number } },
        1008,
        /^missing required parameter customer_care_details\.email$/,
      ],
      [{ website: 'https://x.example' }, 1010, /^website is not an accepted parameter$/],
    ];
    for (const [change, code, details] of cases) {
      const body = Object.fromEntries(
        Object.entries({ ...META_EXAMPLE, ...change }).filter(([, value]) => value !== undefined),
      );
      assertError(await post(body), 400, code, details);
    }
    assertError(await post([]), 400, 1009);
    assert.deepEqual(await get(), before);
  });

  it('is admin only: a ROLE_USER token is 403, no token 401', async () => {
    const user = await t.userToken();
    for (const method of ['GET', 'POST'] as const) {
      assertError(
        await t.request({ method, url: URL, token: user, ...(method === 'POST' ? { body: META_EXAMPLE } : {}) }),
        403,
        1005,
      );
      assertError(await t.request({ method, url: URL }), 401, 1005);
    }
  });
});
