import { ArazzoError } from '../errors.js';
import type { WorkflowLocation } from './select-workflow.js';

/**
 * Why a workflow does not compile, in the document's terms. A document that was not validated
 * first (library use; the CLI validates before it runs) can be malformed anywhere, and the
 * compiler then fails with a JavaScript error that names no place in the document. The schema
 * says where: its first finding in this workflow, else in the components it may use, else
 * anywhere. Loaded on failure only, so a valid run never pays for the schema validator.
 */
export async function compileFailure(
  location: WorkflowLocation,
  error: unknown,
): Promise<ArazzoError> {
  const { loaded } = location.scope;
  const { schemaFindings } = await import('../validate/schema.js');
  const findings = schemaFindings(loaded.document);
  const within = (prefix: string) =>
    findings.find((f) => f.pointer === prefix || f.pointer.startsWith(`${prefix}/`));
  const finding = within(`/workflows/${location.index}`) ?? within('/components') ?? findings[0];
  const workflow = `${loaded.file}: workflow ${location.index} cannot be run`;
  if (finding === undefined) {
    const reason = error instanceof Error ? error.message : String(error);
    return new ArazzoError(
      'DOCUMENT_INVALID',
      `${workflow} (${reason}); \`arazzo validate\` says where`,
      { cause: error },
    );
  }
  return new ArazzoError(
    'DOCUMENT_INVALID',
    `${workflow}: at ${finding.pointer || '/'}: ${finding.message}`,
    { location: { file: loaded.file, pointer: finding.pointer }, cause: error },
  );
}
