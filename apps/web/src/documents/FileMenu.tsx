/** Import, export (YAML, JSON, Kubernetes, PNG, SVG) and share, from the designer's toolbar. */
import { BASE_SCENARIO, toJson, toYaml } from '@busboard/core';
import { useReactFlow } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { useDesign } from '../design/context.ts';
import { downloadBlob, downloadText, fileStem } from '../lib/download.ts';
import { useEditor } from '../state/editor.ts';
import { useToasts } from '../state/toast.ts';
import { useImportFile } from './ImportDialog.tsx';
import { canvasSvg, svgToPng } from './image.ts';
import { shareUrl } from './share.ts';

export function FileMenu() {
  const { doc } = useDesign();
  const rf = useReactFlow();
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  const toasts = useToasts.getState;
  const stem = () => fileStem(useEditor.getState().name);
  const imp = useImportFile((next, file) => {
    // A file replaces the whole design (its scenarios too), not the variant being edited.
    useEditor.getState().setScenario(BASE_SCENARIO);
    const problems = useEditor.getState().dispatch({ type: 'replaceDocument', doc: next });
    if (problems.length) toasts().problems(`${file} was not imported`, problems);
    else toasts().show(`Imported ${file}`, ['Ctrl+Z brings back what was there.']);
  });
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => !menu.current?.contains(e.target as Node) && setOpen(false);
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [open]);
  const raw = () => useEditor.getState().design ?? doc;
  const picture = async (kind: 'svg' | 'png') => {
    const root = document.querySelector<HTMLElement>('[data-testid="canvas"] .react-flow');
    if (!root) return;
    const { svg, width, height } = canvasSvg(rf, root);
    if (kind === 'svg') downloadText(`${stem()}.svg`, svg, 'image/svg+xml');
    else downloadBlob(`${stem()}.png`, await svgToPng(svg, width, height));
  };
  const share = async () => {
    const url = await shareUrl(raw());
    try {
      await navigator.clipboard.writeText(url);
      toasts().show('Share link copied', [`${url.length.toLocaleString()} characters; it holds the whole design.`]);
    } catch {
      window.prompt('Copy this share link:', url);
    }
  };
  const item = (label: string, run: () => void | Promise<void>, testId?: string) => (
    <button
      type="button"
      role="menuitem"
      data-testid={testId}
      onClick={() => {
        setOpen(false);
        Promise.resolve(run()).catch((err: unknown) => toasts().show(`${label} failed`, [String(err)], 'error'));
      }}
    >
      {label}
    </button>
  );
  return (
    <div className="menu" ref={menu}>
      <button type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="file-menu">
        File ▾
      </button>
      {open && (
        <div className="menu-items" role="menu">
          {item('Import YAML/JSON…', imp.open, 'menu-import')}
          {item('Export YAML', () => downloadText(`${stem()}.yaml`, toYaml(raw())), 'menu-export-yaml')}
          {item('Export JSON', () => downloadText(`${stem()}.json`, toJson(raw()), 'application/json'), 'menu-export-json')}
          {item('Export canvas as PNG', () => picture('png'), 'menu-export-png')}
          {item('Export canvas as SVG', () => picture('svg'), 'menu-export-svg')}
          {item('Copy share link', share, 'menu-share')}
        </div>
      )}
      {imp.picker}
      {imp.dialog}
    </div>
  );
}
