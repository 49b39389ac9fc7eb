/** A read-only file view with line numbers; YAML comments, keys and document breaks tinted. */
import { memo } from 'react';

const KEY = /^(\s*(?:- )?)([^\s#:][^:#]*?)(:)(\s.*|)$/;

export const YamlPreview = memo(function YamlPreview({ text, yaml }: { text: string; yaml: boolean }) {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return (
    <pre className="yaml-preview">
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text, in order
        <span className="yaml-line" key={i}>
          <span className="yaml-text">
            {yaml ? <Line line={line} /> : line}
            {'\n'}
          </span>
        </span>
      ))}
    </pre>
  );
});

function Line({ line }: { line: string }) {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('#')) return <span className="yaml-comment">{line}</span>;
  if (line === '---') return <span className="yaml-break">{line}</span>;
  const m = KEY.exec(line);
  if (!m) return <>{line}</>;
  return (
    <>
      {m[1]}
      <span className="yaml-key">{m[2]}</span>
      {m[3]}
      {m[4]}
    </>
  );
}
