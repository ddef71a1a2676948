/**
 * MCP tool names (MCP 2025-11-25 §Tools, "Tool names"): 1 to 128 characters of `A-Z a-z 0-9 _
 * - .`, unique within a server. A workflowId usually is one already (Arazzo recommends
 * `[A-Za-z0-9_\-]+`); other characters become `_`. When two documents served together have
 * the same workflowId, the document's file name tells them apart (`orders.checkout`), and a
 * number when even that repeats.
 */
const MAX = 128;

export function toolNames(
  workflows: readonly { readonly workflowId: string; readonly documentStem: string }[],
): string[] {
  const counts = new Map<string, number>();
  for (const { workflowId } of workflows) {
    const name = clean(workflowId);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const taken = new Set<string>();
  return workflows.map(({ workflowId, documentStem }) => {
    const plain = clean(workflowId);
    let name =
      counts.get(plain) === 1 ? plain : clean(`${documentStem}.${workflowId}`, documentStem);
    for (let n = 2; taken.has(name); n += 1) name = withSuffix(name, `_${n}`);
    taken.add(name);
    return name;
  });
}

function clean(text: string, fallback = 'workflow'): string {
  const name = text.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, MAX);
  return name.length > 0 ? name : fallback;
}

function withSuffix(name: string, suffix: string): string {
  return name.slice(0, MAX - suffix.length) + suffix;
}
