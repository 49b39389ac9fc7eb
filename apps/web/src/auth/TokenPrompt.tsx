import './auth.css';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { setToken, useTokenPrompt } from './token.ts';

/**
 * Asks for the server's access token when a call was refused with 401, then retries what was
 * refused. Modal: nothing else on the page works without the token anyway.
 */
export function TokenPrompt() {
  const prompt = useTokenPrompt();
  const queryClient = useQueryClient();
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (prompt.open) input.current?.focus();
  }, [prompt.open]);

  if (!prompt.open) return null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const token = value.trim();
    if (!token) return;
    setToken(token);
    setValue('');
    // Everything that was refused is asked again, now with the token.
    void queryClient.refetchQueries({ type: 'active' });
  };

  return (
    <div className="token-backdrop">
      <form className="token-dialog" role="dialog" aria-modal="true" aria-labelledby="token-title" onSubmit={submit}>
        <h2 id="token-title">This Busboard server needs an access token</h2>
        <p className="muted">
          It was started with <code>BUSBOARD_TOKEN</code>. Ask whoever runs it for the token; it is kept for this browser tab only.
        </p>
        {prompt.reason === 'rejected' && (
          <p className="error" role="alert">
            The server did not accept that token. Check it and try again.
          </p>
        )}
        <label>
          <span>Access token</span>
          <input
            ref={input}
            type="password"
            autoComplete="current-password"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            data-testid="token-input"
          />
        </label>
        <div className="token-actions">
          <button type="submit" className="primary" disabled={!value.trim()}>
            Continue
          </button>
        </div>
      </form>
    </div>
  );
}
