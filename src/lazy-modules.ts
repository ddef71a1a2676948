import { createRequire } from 'node:module';
import type fontoxpathModule from 'fontoxpath';
import type * as xmldomModule from '@xmldom/xmldom';
import type * as jsonpathPlusModule from 'jsonpath-plus';

/**
 * Libraries only some documents need, loaded on first use instead of at start-up: the XPath
 * engine and XML parser (about 120 ms to load) and the Goessner JSONPath engine. A run that
 * never meets an xpath criterion, an XML body or a Goessner query never pays for them. They are
 * CommonJS packages, so `require` loads them synchronously where the engine needs them.
 */
const require = createRequire(import.meta.url);

let fontoxpath: typeof fontoxpathModule | undefined;
let xmldom: typeof xmldomModule | undefined;
let jsonpathPlus: typeof jsonpathPlusModule | undefined;

export function loadFontoxpath(): typeof fontoxpathModule {
  return (fontoxpath ??= require('fontoxpath') as typeof fontoxpathModule);
}

export function loadXmldom(): typeof xmldomModule {
  return (xmldom ??= require('@xmldom/xmldom') as typeof xmldomModule);
}

export function loadJsonpathPlus(): typeof jsonpathPlusModule {
  return (jsonpathPlus ??= require('jsonpath-plus') as typeof jsonpathPlusModule);
}
