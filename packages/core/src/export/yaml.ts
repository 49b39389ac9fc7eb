/** YAML with comments: manifests rendered one document each, joined into multi-document files. */
import { Document, isMap, isScalar, type Node } from 'yaml';
import type { ExportFile, Manifest } from './types.ts';

const commentLines = (lines: string[]) => lines.map((l) => ` ${l}`.trimEnd()).join('\n');

/** One YAML document, with its comment above and notes above the fields they name. */
export function renderDocument(value: unknown, comment: string[] = [], notes: Manifest['notes'] = []): string {
  // No anchors: repeated label maps are written out, as kubectl users expect.
  const doc = new Document(value, { aliasDuplicateObjects: false });
  if (comment.length) doc.commentBefore = commentLines(comment);
  for (const note of notes ?? []) {
    const parentPath = note.at.slice(0, -1);
    const last = note.at[note.at.length - 1];
    const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
    let target: Node | undefined;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
      target = pair?.key as Node | undefined;
    } else target = doc.getIn(note.at, true) as Node | undefined;
    if (!target) throw new Error(`note path ${note.at.join('.')} not in the document`);
    target.commentBefore = target.commentBefore ? `${target.commentBefore}\n${commentLines([note.text])}` : commentLines([note.text]);
  }
  return doc.toString({ lineWidth: 0 });
}

export function renderManifest(m: Manifest): string {
  return renderDocument(m.object, m.comment, m.notes);
}

/** Documents joined as one multi-document YAML file. */
export function joinDocuments(docs: string[]): string {
  return docs.join('---\n');
}

/**
 * Every YAML file as one multi-document stream (what `busboard export` prints without
 * `--out`), each file introduced by a `# Source:` comment as `helm template` does.
 */
export function toYamlStream(files: readonly ExportFile[]): string {
  return files
    .filter((f) => f.type === 'yaml')
    .map((f) => `# Source: ${f.path}\n${f.content}`)
    .join('---\n');
}
