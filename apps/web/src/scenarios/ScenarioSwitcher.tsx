/**
 * The toolbar's scenario switcher (issue 20): `base` and the design's variants, "New variant"
 * (one click: from what is on the canvas and the what-if set, its name ready to type over),
 * rename and delete, and "Compare…". V opens it (not while typing, not with a modifier).
 */
import { BASE_SCENARIO } from '@busboard/core';
import { useEffect, useId, useRef, useState } from 'react';
import { useEditor } from '../state/editor.ts';
import { deleteVariant, newVariant, renameVariant, switchScenario } from './actions.ts';
import { describeWhatIf, variantsOf } from './variants.ts';
import './scenarios.css';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable));
}

function RenameField({ name, onDone }: { name: string; onDone(): void }) {
  const [text, setText] = useState(name);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const commit = () => {
    if (done.current) return;
    const why = renameVariant(name, text);
    setProblem(why);
    if (why) return;
    done.current = true;
    onDone();
  };
  return (
    <span className="scenario-rename">
      <input
        ref={input}
        value={text}
        aria-label={`Name of ${name}`}
        data-testid="scenario-rename-field"
        aria-invalid={problem !== null}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            e.stopPropagation();
            done.current = true;
            onDone();
          }
        }}
        onBlur={commit}
      />
      {problem && (
        <span className="scenario-problem" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}

export function ScenarioSwitcher({ onCompare }: { onCompare(): void }) {
  const scenario = useEditor((s) => s.scenario);
  const design = useEditor((s) => s.design);
  const [open, setOpen] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const id = useId();
  const variants = design ? variantsOf(design) : [];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 'v' || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      e.preventDefault();
      setOpen((o) => !o);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => !root.current?.contains(e.target as Node) && setOpen(false);
    const key = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      toggle.current?.focus();
    };
    window.addEventListener('mousedown', away);
    window.addEventListener('keydown', key);
    // The menu's first item takes the focus, so the arrow-less keyboard user can Tab on.
    root.current?.querySelector<HTMLButtonElement>('[aria-current="true"]')?.focus();
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('keydown', key);
    };
  }, [open]);

  const pick = (name: string) => {
    if (switchScenario(name)) setOpen(false);
  };

  return (
    <div className="scenario-switcher" ref={root}>
      <button
        ref={toggle}
        type="button"
        className={scenario === BASE_SCENARIO ? 'scenario-toggle' : 'scenario-toggle variant'}
        aria-expanded={open}
        aria-controls={id}
        data-testid="scenario-switcher"
        title="Scenarios: the base design and its variants (V)"
        aria-label={`Scenario: ${scenario}`}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="scenario-icon" aria-hidden="true">
          ⌥
        </span>{' '}
        <span data-testid="scenario-current">{scenario}</span> ▾
      </button>
      {open && (
        <div id={id} className="scenario-menu" data-testid="scenario-menu">
          <ul>
            {[BASE_SCENARIO, ...variants.map((v) => v.name)].map((name) => {
              const v = variants.find((x) => x.name === name);
              const what = describeWhatIf(v?.whatIf);
              return (
                <li key={name} className={name === scenario ? 'current' : undefined}>
                  {renaming === name ? (
                    <RenameField name={name} onDone={() => setRenaming(null)} />
                  ) : (
                    <button
                      type="button"
                      className="scenario-pick"
                      aria-current={name === scenario}
                      data-testid={`scenario-pick-${name}`}
                      onClick={() => pick(name)}
                    >
                      <span>{name}</span>
                      <span className="muted small">
                        {v
                          ? `${(v.changes ?? []).length} change${(v.changes ?? []).length === 1 ? '' : 's'}${what ? ` · ${what}` : ''}`
                          : 'the design itself'}
                      </span>
                    </button>
                  )}
                  {v && renaming !== name && (
                    <span className="scenario-row-actions">
                      <button type="button" className="link small" data-testid={`scenario-rename-${name}`} onClick={() => setRenaming(name)}>
                        Rename
                      </button>
                      <button
                        type="button"
                        className="link small danger-text"
                        data-testid={`scenario-delete-${name}`}
                        onClick={() => {
                          if (window.confirm(`Delete the variant "${name}"? Ctrl+Z brings it back.`)) deleteVariant(name);
                        }}
                      >
                        Delete
                      </button>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
          <div className="scenario-menu-actions">
            <button
              type="button"
              data-testid="scenario-new"
              title="A variant of what is on the canvas now, with the what-if set in Results; edits in it leave the base unchanged"
              onClick={() => {
                const made = newVariant();
                if (made) setRenaming(made);
              }}
            >
              + New variant
            </button>
            <button
              type="button"
              data-testid="scenario-compare"
              onClick={() => {
                setOpen(false);
                onCompare();
              }}
            >
              Compare…
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
