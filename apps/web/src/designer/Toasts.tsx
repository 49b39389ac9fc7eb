import { useToasts } from '../state/toast.ts';

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.tone}`} data-testid="toast">
          <strong>{t.title}</strong>
          {t.lines.length > 0 && (
            <ul>
              {t.lines.slice(0, 8).map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
          {t.action && (
            <button
              type="button"
              className="small toast-action"
              data-testid="toast-action"
              onClick={() => {
                useToasts.getState().dismiss(t.id);
                t.action?.run();
              }}
            >
              {t.action.label}
            </button>
          )}
          <button type="button" className="icon" aria-label="dismiss" onClick={() => useToasts.getState().dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
