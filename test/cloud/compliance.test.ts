// The business compliance information on the cloud gateway: GET/POST /v1/settings/business/compliance_info map to
// Meta's /{PNID}/business_compliance_info (the fake Graph server checks each POST against Meta's schema), nothing
// is kept locally, and a body the rules refuse never reaches Meta.
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { FAKE_PNID, type FakeGraph } from '../support/fake-graph.js';
import { startCloudNode, type CloudNode } from '../support/cloud-node.js';
import { suiteScope, type TestNode } from '../support/harness.js';

const URL = '/v1/settings/business/compliance_info';

describe('cloud gateway: business compliance information', () => {
  let fake: FakeGraph;
  let t: TestNode;
  let admin: string;
  let cloud: CloudNode;
  const suite = suiteScope();
  before(async () => {
    cloud = await startCloudNode(suite);
    ({ fake, t, admin } = cloud);
  });
  beforeEach(() => assert.deepEqual(fake.schemaViolations, []));

  const toMeta = () => fake.requests.filter((r) => r.path === `/v23.0/${FAKE_PNID}/business_compliance_info`);
  const get = async () => {
    const response = await t.request({ url: URL, token: admin });
    assert.equal(response.status, 200, response.text);
    return response.body.settings.business.compliance_info;
  };

  it("answers an empty object while Meta has none (its 'minimal' answer)", async () => {
    assert.deepEqual(await get(), {});
    assert.equal(toMeta().at(-1)?.method, 'GET');
  });

  it("POSTs to Meta in Meta's shape (messaging_product added, no fields the type does not take), then GET reads it back", async () => {
    const response = await t.request({
      method: 'POST',
      url: URL,
      token: admin,
      body: {
        entity_name: 'Innovative Tech Solutions',
        entity_type: 'Private Company',
        entity_type_custom: null,
        is_registered: false,
        grievance_officer_details: {
          name: 'Rajesh Kumar',
          email: 'rajesh@innovativetech.com',
          mobile_number: '+91 89012 34567',
          landline_number: null,
        },
        customer_care_details: { email: 'support@innovativetech.com', mobile_number: '+918901234567' },
      },
    });
    assert.equal(response.status, 200, response.text);
    const sent = toMeta()
      .filter((r) => r.method === 'POST')
      .at(-1)!;
    assert.deepEqual(sent.body, {
      messaging_product: 'whatsapp',
      entity_name: 'Innovative Tech Solutions',
      entity_type: 'PRIVATE_COMPANY',
      grievance_officer_details: {
        name: 'Rajesh Kumar',
        email: 'rajesh@innovativetech.com',
        mobile_number: '+918901234567',
      },
      customer_care_details: { email: 'support@innovativetech.com', mobile_number: '+918901234567' },
    });
    assert.deepEqual(fake.schemaViolations, []);
    // Meta answers the type in words: read back in the form it was given.
    assert.deepEqual(await get(), {
      entity_name: 'Innovative Tech Solutions',
      entity_type: 'PRIVATE_COMPANY',
      entity_type_custom: '',
      is_registered: false,
      grievance_officer_details: {
        name: 'Rajesh Kumar',
        email: 'rajesh@innovativetech.com',
        mobile_number: '+918901234567',
      },
      customer_care_details: { email: 'support@innovativetech.com', mobile_number: '+918901234567' },
    });
    assert.deepEqual(
      await t.node.db.db.selectFrom('business_compliance').selectAll().execute(),
      [],
      'nothing kept locally',
    );
  });

  it('OTHER carries entity_type_custom and is_registered to Meta', async () => {
    const body = {
      entity_name: 'Lucky Shrub',
      entity_type: 'OTHER',
      entity_type_custom: 'Limited Liability Partnership',
      is_registered: true,
      grievance_officer_details: { name: 'Chandravati P.', email: 'chandravati@luckyshrub.com' },
      customer_care_details: { email: 'support@luckyshrub.com', landline_number: '+913857614343' },
    };
    assert.equal((await t.request({ method: 'POST', url: URL, token: admin, body })).status, 200);
    assert.deepEqual(
      toMeta()
        .filter((r) => r.method === 'POST')
        .at(-1)!.body,
      { messaging_product: 'whatsapp', ...body },
    );
    assert.deepEqual(await get(), body);
  });

  it('refuses a body the rules refuse before anything reaches Meta', async () => {
    const before = toMeta().length;
    const body = {
      entity_name: 'Lucky Shrub',
      entity_type: 'OTHER',
      is_registered: true,
      grievance_officer_details: { name: 'C. P.', email: 'c@luckyshrub.com' },
      customer_care_details: { email: 's@luckyshrub.com', mobile_number: '+913854559033' },
    };
    assertError(await t.request({ method: 'POST', url: URL, token: admin, body }), 400, 1008, /entity_type_custom/);
    assert.equal(toMeta().length, before);
  });
});
