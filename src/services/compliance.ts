// The business compliance information on this installation's database (the sandbox; the cloud gateway asks Meta
// instead: src/modes/cloud/cloud-compliance.ts). A POST gives the whole information and replaces what was there.
import type { BusinessComplianceRepository } from '../db/repositories/business-compliance.js';
import type { Clock } from '../lib/clock.js';
import { ok, type Result } from '../lib/result.js';
import { checkCompliance, type ComplianceBody, type ComplianceInfo } from './compliance-rules.js';

export type { ComplianceBody } from './compliance-rules.js';

export interface ComplianceService {
  /** null when none was ever given. */
  read(): Promise<ComplianceInfo | null>;
  /** Checks and stores the whole information; answers it as stored. */
  write(body: ComplianceBody): Promise<Result<ComplianceInfo>>;
}

export function createComplianceService({
  repository,
  clock,
}: {
  repository: BusinessComplianceRepository;
  clock: Clock;
}): ComplianceService {
  return {
    read: () => repository.read(),
    async write(body) {
      const checked = checkCompliance(body);
      if (!checked.ok) return checked;
      await repository.replace(checked.value, clock.now());
      return ok(checked.value);
    },
  };
}
