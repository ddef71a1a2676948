/** The request/response side of the engine: what the runtime and the CLI call. */
export type {
  HttpRequest,
  HttpResponse,
  HttpTransport,
  RequestBody,
  SendOptions,
} from './types.js';
export { UndiciTransport } from './undici-transport.js';
export {
  buildRequest,
  requestContentType,
  type BuiltRequest,
  type EvaluatedParameter,
  type RequestPlan,
} from './build-request.js';
export { checkRequiredParameters, type RequiredCheckInput } from './check-required.js';
export { applyReplacements, type Replacement } from './replacements.js';
export { serializeBody, type EncodingObject, type SerializedBody } from './serialize-body.js';
export {
  serializationRule,
  serializeCookieParameter,
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
  type SerializationRule,
} from './serialize-parameters.js';
export { decodeBody, parseBody } from './parse-body.js';
export { isJsonMediaType, isXmlMediaType, mediaTypeOf } from './media-type.js';
export { selectServer } from './select-server.js';
export { checkResponse, type ContractIssue } from './check-response.js';
export { requestSignature, bodySignature } from './request-signature.js';
export { parseHeaderOption, parseHeaderOptions } from './header-option.js';
export { applySecurity, credentialFor, type ApplySecurityOptions } from './auth/apply-security.js';
export { TokenCache, fetchClientCredentialsToken, type TokenCacheOptions } from './auth/oauth2.js';
export {
  authEnvVarName,
  credentialSecrets,
  credentialsFromEnv,
  parseAuthOption,
  parseAuthOptions,
  readCredentialsFile,
} from './auth/credentials.js';
export {
  listSecuritySchemes,
  securityRequirements,
  securitySchemes,
} from './auth/security-schemes.js';
export { NO_SECURITY, type Credentials, type SecurityAdditions } from './auth/types.js';
