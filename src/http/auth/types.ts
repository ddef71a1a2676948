/**
 * Credentials by security scheme name (the keys of `components.securitySchemes`, or of
 * `securityDefinitions` in Swagger 2.0). A key may also be qualified by the source
 * description's name (`petstore.api_key`), which wins over the bare scheme name.
 *
 * Values: the token for http bearer, apiKey and an oauth2 access token; `user:password` for
 * http basic; `clientId:clientSecret` for an oauth2 scheme with a client credentials flow.
 */
export interface Credentials {
  readonly [schemeName: string]: string;
}

/** What authentication adds to one request (applied below the step's own parameters). */
export interface SecurityAdditions {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: readonly (readonly [name: string, value: string])[];
  readonly cookies: readonly (readonly [name: string, value: string])[];
  /** The schemes applied, in requirement order (for reports). */
  readonly schemes: readonly string[];
}

export const NO_SECURITY: SecurityAdditions = Object.freeze({
  headers: Object.freeze({}),
  query: Object.freeze([]),
  cookies: Object.freeze([]),
  schemes: Object.freeze([]),
});
