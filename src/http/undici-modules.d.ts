// Types for the undici modules that undici-parts.ts imports one by one: undici publishes types
// for its index only, and each of these modules is the object the index exports under the same
// name (test/http/undici-parts.test.ts checks it).

declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';
  const agent: typeof Agent;
  export default agent;
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  function request(
    this: Dispatcher,
    options: Dispatcher.RequestOptions,
  ): Promise<Dispatcher.ResponseData>;
  export default request;
}

declare module 'undici/lib/core/errors.js' {
  import type { errors } from 'undici';
  const all: typeof errors;
  export default all;
}

declare module 'undici/lib/web/fetch/formdata.js' {
  import type { FormData } from 'undici';
  const formdata: { readonly FormData: typeof FormData };
  export default formdata;
}
