// The one closed error catalogue: every error OpenPrem answers is a kind listed here, with its WhatsApp code and HTTP
// status (docs/api/README.md#error-codes). Titles come from the old API's code table; the statuses it left open are
// OpenPrem's choices (docs/api/choices.md#error-statuses).

export const ERROR_TITLES = {
  // Synchronous API codes.
  1000: 'Generic error',
  1001: 'Message too long',
  1002: 'Invalid recipient type',
  1004: 'Resource already exists',
  1005: 'Access denied',
  1006: 'Resource not found',
  1008: 'Required parameter is missing',
  1009: 'Parameter value is not valid',
  1010: 'Parameter is not required',
  1011: 'Service not ready',
  1013: 'User is not valid',
  1014: 'Internal error',
  1015: 'Too many requests',
  1016: 'System overloaded',
  1017: 'Not Primary Master',
  1018: 'Not Primary Coreapp',
  1021: 'Bad User',
  1022: 'Webhooks URL is not configured',
  1023: 'Database error occurred',
  1024: 'Password Change Required',
  1025: 'Invalid Request',
  1026: 'Receiver Incapable',
  1028: 'A user_identity_changed system notification requires acknowledgement',
  1031: 'Sender account has been locked',
  // Template, interactive and commerce codes (docs/api/README.md#template-interactive-and-commerce-codes); 400 when
  // detected synchronously.
  2000: 'Template Param Count Mismatch',
  2001: 'Template Missing',
  2002: 'Template Fetch Failed',
  2003: 'Template Pack Missing',
  2004: 'Template Param Length Too Long',
  2005: 'Template Hydrated Text Too Long',
  2006: 'Template White Space Policy Violated',
  2007: 'Template Format Character Policy Violated',
  2008: 'Template Media Format Unsupported',
  2009: 'Template Required Component Missing',
  2010: 'Template Invalid Hydrated URL',
  2011: 'Template Invalid Phone Number',
  2012: 'Template Parameter Format Mismatch',
  2013: 'Template Buttons Unsupported',
  2014: 'Expected Namespace is Empty',
  2015: 'Invalid number of sections',
  2016: 'Invalid number of rows',
  2017: 'Character Policy Violated',
  2023: 'Invalid number of product',
  2024: 'Catalog ID not found',
  2025: 'Catalog ID not linked to API number',
  2026: 'Missing products',
  2027: 'No products found',
  2036: 'Invalid Header Structure',
  2060: 'Template Rejected',
  2061: 'Template Paused',
  2062: 'Template Disabled',
  // Asynchronous codes (statuses[].errors, inbound messages[].errors).
  400: 'Media download error',
  402: 'Business eligibility — Payment issue',
  408: 'Message is not valid',
  410: 'Message expired',
  429: 'Rate limit hit',
  430: 'Unsigned certificate',
  432: 'Certificate ID mismatch',
  433: 'Certificate signature invalid',
  470: 'Re-engagement message',
  471: 'Spam Rate limit hit',
  472: "User's number is part of an experiment",
  480: 'User potentially changed',
  500: 'Generic error',
  501: 'Unknown message type',
} as const;

export type ErrorCode = keyof typeof ERROR_TITLES;

/** Each kind is one way a request can fail, with the code and HTTP status it is answered with. */
const CATALOGUE = {
  generic: { code: 1000, status: 500 },
  messageTooLong: { code: 1001, status: 400 },
  invalidRecipientType: { code: 1002, status: 400 },
  alreadyExists: { code: 1004, status: 409 },
  unauthenticated: { code: 1005, status: 401 },
  forbidden: { code: 1005, status: 403 },
  notFound: { code: 1006, status: 404 },
  missingParameter: { code: 1008, status: 400 },
  invalidParameter: { code: 1009, status: 400 },
  unexpectedParameter: { code: 1010, status: 400 },
  serviceNotReady: { code: 1011, status: 503 },
  userNotValid: { code: 1013, status: 400 },
  // The cloud gateway: Meta refused our own access token (Cloud 0 / 190). The integration cannot fix it: 503.
  gatewayCredentialsRefused: { code: 1005, status: 503 },
  internal: { code: 1014, status: 500 },
  tooManyRequests: { code: 1015, status: 429 },
  overloaded: { code: 1016, status: 503 },
  notPrimaryMaster: { code: 1017, status: 503 },
  badUser: { code: 1021, status: 400 },
  receiverIncapable: { code: 1026, status: 400 },
  webhookUrlMissing: { code: 1022, status: 400 },
  databaseUnavailable: { code: 1023, status: 503 },
  databaseError: { code: 1023, status: 500 },
  passwordChangeRequired: { code: 1024, status: 401 },
  invalidRequest: { code: 1025, status: 400 },
  methodNotAllowed: { code: 1025, status: 405 },
  bodyTooLarge: { code: 1025, status: 413 },
  // A body that stopped arriving (src/http/hooks/body-timeout.ts): the request was not valid in time.
  requestTimeout: { code: 1025, status: 408 },
  accountLocked: { code: 1031, status: 403 },
  // The old API's documentation lists 1028 among the synchronous codes without an HTTP status; 400 like the other
  // refusals (docs/api/choices.md#error-statuses).
  identityNotAcknowledged: { code: 1028, status: 400 },
  templateParamCountMismatch: { code: 2000, status: 400 },
  templateMissing: { code: 2001, status: 400 },
  templateParamTooLong: { code: 2004, status: 400 },
  templateHydratedTextTooLong: { code: 2005, status: 400 },
  templateWhiteSpacePolicy: { code: 2006, status: 400 },
  templateMediaFormatUnsupported: { code: 2008, status: 400 },
  templateComponentMissing: { code: 2009, status: 400 },
  templateInvalidUrl: { code: 2010, status: 400 },
  templateFormatCharacterPolicy: { code: 2007, status: 400 },
  templateParamFormatMismatch: { code: 2012, status: 400 },
  templateButtonsUnsupported: { code: 2013, status: 400 },
  templateNamespaceMissing: { code: 2014, status: 400 },
  invalidSectionCount: { code: 2015, status: 400 },
  invalidRowCount: { code: 2016, status: 400 },
  invalidProductCount: { code: 2023, status: 400 },
  invalidHeaderStructure: { code: 2036, status: 400 },
  templateRejected: { code: 2060, status: 400 },
  templatePaused: { code: 2061, status: 400 },
  templateDisabled: { code: 2062, status: 400 },
} as const satisfies Record<string, { code: ErrorCode; status: number }>;

export type ErrorKind = keyof typeof CATALOGUE;

/** Every kind with its code and status, read by the OpenAPI document's error responses (src/http/docs). */
export const ERROR_CATALOGUE: Readonly<Record<ErrorKind, { readonly code: ErrorCode; readonly status: number }>> =
  CATALOGUE;

export interface ErrorBody {
  code: number;
  title: string;
  details?: string;
  href: string;
}

const HREF = 'https://developers.facebook.com/docs/whatsapp/api/errors';

/** An expected failure: rendered by the HTTP error handler into the envelope, never logged as a fault. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(
    readonly kind: ErrorKind,
    readonly details?: string,
    /** Seconds, sent as Retry-After on 429 and 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(details ?? ERROR_TITLES[CATALOGUE[kind].code]);
    this.name = 'ApiError';
    this.code = CATALOGUE[kind].code;
    this.status = CATALOGUE[kind].status;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, title: ERROR_TITLES[this.code], href: HREF };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
